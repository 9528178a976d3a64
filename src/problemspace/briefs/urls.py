from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.briefs import views

app_name = "briefs"
urlpatterns: list[URLPattern] = [
    path("briefs/", views.brief_list, name="list"),
    path("briefs/new/", views.create_brief, name="create"),
    path("briefs/<int:pk>/", views.brief_detail, name="detail"),
    path("briefs/<int:pk>/brief.md", views.brief_markdown, name="markdown"),
    path("briefs/<int:pk>/brief.pdf", views.brief_pdf, name="pdf"),
    path("briefs/<int:pk>/publish/", views.publish_brief, name="publish"),
    path("briefs/<int:pk>/delete/", views.delete_brief, name="delete"),
    path("briefs/schedules/new/", views.create_schedule, name="create_schedule"),
    path("briefs/schedules/<int:pk>/edit/", views.edit_schedule, name="edit_schedule"),
    path("briefs/schedules/<int:pk>/delete/", views.delete_schedule, name="delete_schedule"),
]
