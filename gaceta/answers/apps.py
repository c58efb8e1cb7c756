from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "gaceta.answers"
    label = "answers"
    verbose_name = "Ask"

    def ready(self):
        from . import signals  # noqa: F401
