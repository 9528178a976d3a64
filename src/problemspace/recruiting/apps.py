from django.apps import AppConfig


class RecruitingConfig(AppConfig):
    name = "problemspace.recruiting"
    verbose_name = "Recruiting"

    def ready(self) -> None:
        # Keeps candidates and their interviews in step when a booking moves or is cancelled.
        import problemspace.recruiting.receivers  # noqa: F401
