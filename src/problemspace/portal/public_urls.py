"""The customer portal's public pages, mounted at /p/<workspace slug>/: no team sign-in."""

from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.portal import public_views

app_name = "portal_public"
urlpatterns: list[URLPattern] = [
    path("", public_views.index, name="index"),
    path("new/", public_views.submit, name="submit"),
    path("similar/", public_views.similar, name="similar"),
    path("posts/<int:pk>/", public_views.post_detail, name="post"),
    path("posts/<int:pk>/vote/", public_views.vote, name="vote"),
    path("posts/<int:pk>/comment/", public_views.comment, name="comment"),
    path("sign-in/", public_views.sign_in, name="sign_in"),
    path("sign-in/confirm/", public_views.confirm, name="confirm"),
    path("sign-out/", public_views.sign_out, name="sign_out"),
    path("unsubscribe/", public_views.unsubscribe, name="unsubscribe"),
]
