from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "problemspace.roadmap"
    verbose_name = "Goals and roadmap"

    def ready(self) -> None:
        # Scores follow the evidence: recounted when a synthesis finishes or an assumption
        # about a linked problem is decided; the demo's initiatives are tied to problems then.
        from problemspace.roadmap import signals

        signals.connect()
