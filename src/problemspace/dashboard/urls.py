from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.dashboard import views

# No app namespace: the dashboard is the workspace's own URL, named "workspace" everywhere.
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="workspace"),
    path("loud-or-wide/", views.loud_or_wide, name="loud_or_wide"),
]
