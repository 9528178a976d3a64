from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "problemspace.integrations"
    verbose_name = "Integrations (webhooks and exports)"
