from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "problemspace.problems"
    verbose_name = "Problems"
