from django.db.models import QuerySet
from wagtail.models import PageViewRestriction

from .cache import cached_fragment


class NewsroomPageMixin:
    """Shared by every page type of the reader site."""

    def get_view_restrictions(self) -> QuerySet:
        # Wagtail checks its privacy settings (password, login) on every page view, with two
        # queries over the page's ancestors. Most newsrooms never set one; skip the queries
        # until one exists. Gaceta's own access rules are the article's visibility field.
        if not cached_fragment("any-view-restriction", PageViewRestriction.objects.exists):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
