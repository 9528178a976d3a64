from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "problemspace.interviews"
    label = "interviews"
    verbose_name = "Interviews"
