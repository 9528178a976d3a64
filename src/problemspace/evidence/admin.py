from django.contrib import admin

from problemspace.evidence.models import Evidence, EvidenceTag, Tag


class EvidenceTagInline(admin.TabularInline):
    model = EvidenceTag
    extra = 0
    autocomplete_fields = ["tag"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "occurred_at",
        "channel",
        "provenance",
        "kind",
        "score",
        "account",
        "source",
    ]
    list_filter = ["workspace", "channel", "provenance", "kind", "kind_corrected", "source"]
    search_fields = ["text", "external_id"]
    autocomplete_fields = ["workspace", "account", "contact", "captured_by"]
    date_hierarchy = "occurred_at"
    # The admin's default COUNT(*) and full-table paginator are slow on a million rows.
    show_full_result_count = False
    list_select_related = ["account"]
    inlines = [EvidenceTagInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace"]
    search_fields = ["name"]
    autocomplete_fields = ["workspace"]
