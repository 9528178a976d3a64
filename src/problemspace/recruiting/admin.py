from django.contrib import admin

from problemspace.recruiting.models import Campaign, CampaignQuota, Candidate, ScreenerQuestion


class QuotaInline(admin.TabularInline):
    model = CampaignQuota
    extra = 0


class QuestionInline(admin.TabularInline):
    model = ScreenerQuestion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "interview_kind", "is_open", "created_at"]
    list_filter = ["workspace", "is_open"]
    inlines = [QuotaInline, QuestionInline]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["contact", "campaign", "segment", "status", "source", "created_at"]
    list_filter = ["workspace", "status", "source"]
    search_fields = ["contact__name", "contact__email"]
