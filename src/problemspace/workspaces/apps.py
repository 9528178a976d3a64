from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "problemspace.workspaces"
    verbose_name = "Workspaces"
