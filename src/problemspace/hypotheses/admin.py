from django.contrib import admin

from problemspace.hypotheses.models import Experiment, Hypothesis, LearningCard, StatusChange


@admin.register(Hypothesis)
class HypothesisAdmin(admin.ModelAdmin):
    list_display = ["statement", "workspace", "kind", "importance", "evidence_strength", "status"]
    list_filter = ["workspace", "kind", "status"]
    search_fields = ["statement"]
    raw_id_fields = ["owner"]


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ["test", "hypothesis", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["hypothesis", "created_by"]


@admin.register(LearningCard)
class LearningCardAdmin(admin.ModelAdmin):
    list_display = ["experiment", "outcome", "recorded_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["experiment", "recorded_by"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["hypothesis", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["workspace", "to_status"]
    raw_id_fields = ["hypothesis", "changed_by", "experiment"]
