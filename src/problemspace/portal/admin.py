from django.contrib import admin

from problemspace.portal.models import Comment, Notice, OptOut, PortalSettings, Post, Vote


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    list_display = ["workspace", "enabled", "access", "moderation"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "kind", "status", "vote_count", "created_at"]
    list_filter = ["workspace", "status", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["contact", "merged_into", "problem", "evidence", "moderated_by"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["post", "contact", "created_at"]
    raw_id_fields = ["post", "contact"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["post", "contact", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["post", "contact"]


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["contact", "post", "created_at"]
    raw_id_fields = ["contact", "post"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["post", "key", "created_at", "sent_at", "recipients"]
    raw_id_fields = ["post"]
