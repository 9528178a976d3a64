from django.contrib import admin

from problemspace.briefs.models import Brief, BriefSchedule, BriefSend


@admin.register(Brief)
class BriefAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "audience", "period_label", "generated_at"]
    list_filter = ["workspace", "audience"]
    search_fields = ["title"]
    raw_id_fields = ["created_by", "schedule"]


@admin.register(BriefSchedule)
class BriefScheduleAdmin(admin.ModelAdmin):
    list_display = ["workspace", "audience", "weekday", "time_of_day", "active", "next_run_at"]
    list_filter = ["workspace", "audience", "active"]
    raw_id_fields = ["created_by"]


@admin.register(BriefSend)
class BriefSendAdmin(admin.ModelAdmin):
    list_display = ["schedule", "due_at", "status", "finished_at"]
    list_filter = ["status"]
    raw_id_fields = ["schedule", "brief"]
