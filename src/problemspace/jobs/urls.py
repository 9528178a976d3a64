from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.jobs import views

app_name = "jobs"
urlpatterns: list[URLPattern] = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<int:pk>/", views.job_detail, name="detail"),
]
