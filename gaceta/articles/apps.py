from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "gaceta.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self):
        from gaceta.core import page_cache, periodic

        from . import signals  # noqa: F401
        from .publishing import PUBLISH_SCHEDULED, breaking_state, publish_scheduled
        from .roles import roles_after_migrate

        periodic.register(PUBLISH_SCHEDULED, publish_scheduled)
        page_cache.vary_on(breaking_state)
        post_migrate.connect(roles_after_migrate, sender=self)
