from __future__ import annotations

from django.contrib import admin

from problemspace.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "workspace", "kind", "state", "stage", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    readonly_fields = ["created_at", "started_at", "finished_at"]
