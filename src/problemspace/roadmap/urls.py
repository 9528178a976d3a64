from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.roadmap import views

app_name = "roadmap"
urlpatterns: list[URLPattern] = [
    path("roadmap/", views.board, name="board"),
    path("roadmap/list/", views.ranked_list, name="list"),
    path("roadmap/goals/", views.goals, name="goals"),
    path("roadmap/goals/new/", views.create_goal, name="create_goal"),
    path("roadmap/goals/<int:pk>/edit/", views.edit_goal, name="edit_goal"),
    path("roadmap/goals/<int:pk>/key-results/new/", views.add_key_result, name="add_key_result"),
    path("roadmap/key-results/<int:pk>/edit/", views.edit_key_result, name="edit_key_result"),
    path("roadmap/key-results/<int:pk>/delete/", views.delete_key_result, name="delete_key_result"),
    path("roadmap/initiatives/new/", views.create_initiative, name="create_initiative"),
    path("roadmap/initiatives/<int:pk>/", views.initiative, name="initiative"),
    path("roadmap/initiatives/<int:pk>/edit/", views.edit_initiative, name="edit_initiative"),
    path("roadmap/initiatives/<int:pk>/move/", views.move, name="move"),
    path("roadmap/initiatives/<int:pk>/recount/", views.recount, name="recount"),
]
