from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "gaceta.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from . import signals  # noqa: F401
