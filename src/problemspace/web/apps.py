from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "problemspace.web"
    verbose_name = "Web"
