from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "problemspace.booking"
    verbose_name = "Booking"
