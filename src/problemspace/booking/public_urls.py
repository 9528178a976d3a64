"""Public booking pages, mounted at /b/: no sign-in, reached by secret links."""

from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.booking import public_views

app_name = "booking_public"
urlpatterns: list[URLPattern] = [
    path("manage/<str:token>/", public_views.manage, name="manage"),
    path("manage/<str:token>/cancel/", public_views.cancel, name="cancel"),
    path("<str:token>/", public_views.book, name="book"),
]
