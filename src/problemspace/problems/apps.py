from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "problemspace.problems"
    verbose_name = "Problems"

    def ready(self) -> None:
        from problemspace.problems import placing

        placing.connect()
