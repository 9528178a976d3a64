from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "problemspace.evidence"
    verbose_name = "Evidence"
