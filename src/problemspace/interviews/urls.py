from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.interviews import views

app_name = "interviews"
urlpatterns: list[URLPattern] = [
    path("interviews/", views.interview_list, name="list"),
    path("interviews/plan/", views.interview_plan, name="plan"),
    path("interviews/exposure/", views.exposure_page, name="exposure"),
    path("interviews/exposure/nudge/", views.exposure_nudge, name="nudge"),
    path("interviews/guides/", views.guide_list, name="guides"),
    path("interviews/guides/new/", views.guide_new, name="guide_new"),
    path("interviews/guides/<int:pk>/", views.guide_detail, name="guide"),
    path("interviews/<int:pk>/", views.interview_detail, name="detail"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="edit"),
    path("interviews/<int:pk>/status/", views.interview_status, name="status"),
    path("interviews/<int:pk>/notes/", views.interview_notes, name="notes"),
    path("interviews/<int:pk>/transcript/", views.interview_transcript, name="transcript"),
    path("interviews/<int:pk>/highlights/", views.interview_highlight, name="highlight"),
    path("interviews/<int:pk>/debrief/", views.interview_debrief, name="debrief"),
]
