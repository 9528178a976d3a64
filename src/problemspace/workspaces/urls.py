from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.workspaces import views

app_name = "workspaces"
urlpatterns: list[URLPattern] = [
    path("w/<slug:slug>/settings/", views.workspace_settings, name="settings"),
    path("w/<slug:slug>/settings/name/", views.rename, name="rename"),
    path("w/<slug:slug>/settings/invitations/", views.invite, name="invite"),
    path(
        "w/<slug:slug>/settings/invitations/<int:pk>/resend/",
        views.resend_invitation,
        name="resend_invitation",
    ),
    path(
        "w/<slug:slug>/settings/invitations/<int:pk>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("w/<slug:slug>/settings/members/<int:pk>/role/", views.set_role, name="set_role"),
    path("w/<slug:slug>/settings/members/<int:pk>/remove/", views.remove, name="remove_member"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept"),
    path("account/api-keys/", views.api_keys, name="api_keys"),
    path("account/api-keys/<int:pk>/revoke/", views.revoke_api_key, name="revoke_api_key"),
]
