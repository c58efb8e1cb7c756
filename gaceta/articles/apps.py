from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "gaceta.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import signals  # noqa: F401
