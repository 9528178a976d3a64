from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.evidence import capture_views, import_views, views

app_name = "evidence"
urlpatterns: list[URLPattern] = [
    path("inbox/", views.inbox, name="inbox"),
    path("triage/", views.triage_evidence, name="triage"),
    path("evidence/<int:pk>/", views.evidence_detail, name="detail"),
    path("search/", views.search_page, name="search"),
    path("capture/", capture_views.capture_page, name="capture"),
    path("import/", capture_views.import_page, name="import"),
    path("import/preview/", import_views.import_preview, name="import_preview"),
]
