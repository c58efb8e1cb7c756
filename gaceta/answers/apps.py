from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "gaceta.answers"
    label = "answers"
    verbose_name = "Ask"

    def ready(self):
        from datetime import timedelta

        from gaceta.core import periodic

        from . import checks, signals  # noqa: F401
        from .vectors import backfill

        periodic.register("embed-missing-passages", backfill, every=timedelta(hours=1))
