from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "problemspace.jobs"
    verbose_name = "Background jobs"
