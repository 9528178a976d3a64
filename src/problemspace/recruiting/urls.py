from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.recruiting import views

app_name = "recruiting"
urlpatterns: list[URLPattern] = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/questions/", views.question_add, name="question_add"),
    path("campaigns/<int:pk>/prospects/", views.prospect_list, name="prospects"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
]
