from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "problemspace.briefs"
    verbose_name = "Briefs"

    def ready(self) -> None:
        # The demo's brief is written once synthesis has made its problems (after the roadmap
        # app has tied its initiatives to them, which is why this app is listed after it).
        from problemspace.briefs import signals

        signals.connect()
