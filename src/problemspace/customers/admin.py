from django.contrib import admin

from problemspace.customers.models import Account, Contact


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "segment", "plan", "revenue", "region", "lifecycle"]
    list_filter = ["workspace", "segment", "lifecycle", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["workspace"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "account", "role", "research_consent", "last_contacted"]
    list_filter = ["workspace", "research_consent"]
    search_fields = ["name", "email", "account__name"]
    autocomplete_fields = ["workspace", "account"]
