from django.contrib import admin

from problemspace.booking.models import Availability, Booking, Window


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "purpose", "time_zone", "slot_minutes", "active"]
    list_filter = ["workspace", "purpose", "active"]
    inlines = [WindowInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["booker_name", "booker_email", "member", "purpose", "starts_at", "status"]
    list_filter = ["workspace", "purpose", "status"]
    search_fields = ["booker_name", "booker_email"]
