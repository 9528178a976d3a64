from django.contrib import admin

from problemspace.roadmap.models import Goal, Initiative, KeyResult, Move


class KeyResultInline(admin.TabularInline):
    model = KeyResult
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["objective", "workspace", "status", "period", "due_on"]
    list_filter = ["workspace", "status"]
    search_fields = ["objective"]
    raw_id_fields = ["owner"]
    inlines = [KeyResultInline]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "horizon", "status", "score", "score_override"]
    list_filter = ["workspace", "horizon", "status"]
    search_fields = ["title"]
    raw_id_fields = ["owner"]
    readonly_fields = ["figures", "score", "explanation", "scored_at"]


@admin.register(Move)
class MoveAdmin(admin.ModelAdmin):
    list_display = ["initiative", "from_horizon", "to_horizon", "to_status", "moved_at"]
    list_filter = ["workspace", "to_horizon", "to_status"]
    raw_id_fields = ["initiative", "moved_by"]
