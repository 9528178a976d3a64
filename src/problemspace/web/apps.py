from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "problemspace.web"
    verbose_name = "Web"

    def ready(self) -> None:
        # Registers the configuration checks.
        from problemspace.web import checks  # noqa: F401
