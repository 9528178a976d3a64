from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "problemspace.dashboard"
    verbose_name = "Dashboard"
