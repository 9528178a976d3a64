from django.contrib import admin

from problemspace.problems.models import Problem, ProblemEvidence, SynthesisRun


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "status", "score", "pinned", "dismissed", "candidate"]
    list_filter = ["workspace", "status", "pinned", "dismissed", "candidate"]
    search_fields = ["title", "statement"]
    exclude = ["centroid"]


@admin.register(ProblemEvidence)
class ProblemEvidenceAdmin(admin.ModelAdmin):
    list_display = ["problem", "evidence", "placed_by", "duplicate_of"]
    list_filter = ["placed_by"]
    raw_id_fields = ["problem", "evidence", "duplicate_of"]


@admin.register(SynthesisRun)
class SynthesisRunAdmin(admin.ModelAdmin):
    list_display = ["workspace", "mode", "status", "started_at", "finished_at", "model_id"]
    list_filter = ["workspace", "status", "mode"]
