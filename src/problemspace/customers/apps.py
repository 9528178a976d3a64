from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "problemspace.customers"
    verbose_name = "Customers"
