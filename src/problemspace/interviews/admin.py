from django.contrib import admin

from problemspace.interviews.models import ExposurePreference, Guide, Highlight, Interview


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "workspace", "is_default", "updated_at"]
    list_filter = ["workspace", "kind"]
    search_fields = ["name"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["goal", "kind", "status", "scheduled_at", "duration_minutes", "workspace"]
    list_filter = ["workspace", "kind", "status"]
    search_fields = ["goal"]
    raw_id_fields = ["guide", "created_by"]
    filter_horizontal = ["contacts", "attendees"]


@admin.register(Highlight)
class HighlightAdmin(admin.ModelAdmin):
    list_display = ["interview", "source", "start", "end", "contact"]
    raw_id_fields = ["interview", "evidence", "contact"]


@admin.register(ExposurePreference)
class ExposurePreferenceAdmin(admin.ModelAdmin):
    list_display = ["member", "nudge", "last_nudged_at"]
    raw_id_fields = ["member"]
