from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.evidence import views

app_name = "evidence"
urlpatterns: list[URLPattern] = [
    path("inbox/", views.inbox, name="inbox"),
    path("evidence/<int:pk>/", views.evidence_detail, name="detail"),
]
