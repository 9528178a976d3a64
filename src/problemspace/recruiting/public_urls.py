"""The public sign-up pages, mounted at /r/: no sign-in."""

from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.recruiting import public_views

app_name = "recruiting_public"
urlpatterns: list[URLPattern] = [
    path("<str:token>/", public_views.signup, name="signup"),
]
