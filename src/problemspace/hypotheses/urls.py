from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.hypotheses import views

app_name = "hypotheses"
urlpatterns: list[URLPattern] = [
    path("assumptions/", views.assumption_map, name="map"),
    path("assumptions/board/", views.board, name="board"),
    path("hypotheses/new/", views.create, name="create"),
    path("hypotheses/<int:pk>/", views.detail, name="detail"),
    path("hypotheses/<int:pk>/edit/", views.edit, name="edit"),
    path("hypotheses/<int:pk>/status/", views.move, name="move"),
    path("hypotheses/<int:pk>/experiments/new/", views.plan_experiment, name="plan_experiment"),
    path("experiments/<int:pk>/edit/", views.edit_experiment, name="edit_experiment"),
    path("experiments/<int:pk>/start/", views.start_experiment, name="start_experiment"),
    path("experiments/<int:pk>/result/", views.record_result, name="record_result"),
]
