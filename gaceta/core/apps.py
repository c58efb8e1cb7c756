from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gaceta.core"
    label = "core"
    verbose_name = "Newsroom"

    def ready(self):
        from django.urls import register_converter

        from . import signals  # noqa: F401
        from .ids import IdConverter

        register_converter(IdConverter, "id")
