from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "problemspace.portal"
    verbose_name = "Customer portal"
