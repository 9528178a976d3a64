from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.problems import views

app_name = "problems"
urlpatterns: list[URLPattern] = [
    path("problems/", views.problem_list, name="list"),
    path("problems/synthesize/", views.synthesize, name="synthesize"),
    path("problems/history/", views.edit_history, name="history"),
    path("problems/history/<int:pk>/undo/", views.undo, name="undo"),
    path("problems/<int:pk>/", views.problem_detail, name="detail"),
    path("problems/<int:pk>/text/", views.edit_text, name="edit_text"),
    path("problems/<int:pk>/status/", views.edit_status, name="edit_status"),
    path("problems/<int:pk>/pin/", views.pin, name="pin"),
    path("problems/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("problems/<int:pk>/accept/", views.accept, name="accept"),
    path("problems/<int:pk>/merge/", views.merge, name="merge"),
    path("problems/<int:pk>/evidence/", views.evidence_action, name="evidence"),
]
