from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from problemspace.web import auth, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("login/", auth.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth.PasswordResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.PasswordResetSentView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("problemspace.workspaces.urls")),
    path("w/<slug:slug>/", include("problemspace.dashboard.urls")),
    path("w/<slug:slug>/", include("problemspace.evidence.urls")),
    path("w/<slug:slug>/", include("problemspace.customers.urls")),
    path("w/<slug:slug>/", include("problemspace.jobs.urls")),
    path("w/<slug:slug>/", include("problemspace.problems.urls")),
    path("w/<slug:slug>/", include("problemspace.recruiting.urls")),
    path("w/<slug:slug>/", include("problemspace.booking.urls")),
    path("r/", include("problemspace.recruiting.public_urls")),
    path("b/", include("problemspace.booking.public_urls")),
    path("w/<slug:slug>/", include("problemspace.hypotheses.urls")),
    path("w/<slug:slug>/", include("problemspace.interviews.urls")),
    path("w/<slug:slug>/", include("problemspace.portal.urls")),
    path("p/<slug:slug>/", include("problemspace.portal.public_urls")),
    path("w/<slug:slug>/", include("problemspace.roadmap.urls")),
    path("w/<slug:slug>/", include("problemspace.integrations.urls")),
    path("w/<slug:slug>/", include("problemspace.briefs.urls")),
]
