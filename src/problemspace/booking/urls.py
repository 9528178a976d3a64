from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.booking import views

app_name = "booking"
urlpatterns: list[URLPattern] = [
    path("availability/", views.availability_list, name="availability_list"),
    path("availability/<int:pk>/", views.availability_detail, name="availability"),
    path("windows/<int:pk>/delete/", views.window_delete, name="window_delete"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
]
