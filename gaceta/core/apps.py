from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gaceta.core"
    label = "core"
    verbose_name = "Newsroom"

    def ready(self):
        from . import signals  # noqa: F401
