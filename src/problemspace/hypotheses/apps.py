from django.apps import AppConfig


class HypothesesConfig(AppConfig):
    name = "problemspace.hypotheses"
    verbose_name = "Assumptions and experiments"

    def ready(self) -> None:
        # The demo's assumptions are tied to its problems once synthesis has made them.
        from problemspace.hypotheses import demo

        demo.connect()
