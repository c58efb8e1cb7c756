from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gaceta.api"
    label = "api"
    verbose_name = "API"
