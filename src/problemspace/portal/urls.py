from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.portal import views

app_name = "portal"
urlpatterns: list[URLPattern] = [
    path("portal/", views.queue, name="queue"),
    path("portal/posts/", views.posts, name="posts"),
    path("portal/settings/", views.portal_settings, name="settings"),
    path("portal/posts/<int:pk>/", views.post_detail, name="post"),
    path("portal/posts/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("portal/posts/<int:pk>/problem/", views.link, name="link"),
    path("portal/comments/<int:pk>/moderate/", views.moderate_comment, name="moderate_comment"),
]
