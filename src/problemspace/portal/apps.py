from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "problemspace.portal"
    verbose_name = "Customer portal"

    def ready(self) -> None:
        # Voters hear back when the problem behind their post is solved or its work ships.
        from problemspace.portal import receivers

        receivers.connect_roadmap()
