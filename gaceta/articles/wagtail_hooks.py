"""Admin for the people and outlets articles credit.

Registered through viewsets rather than @register_snippet so that list columns, search and
ordering are declared here, beside the admin they shape.
"""

from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Author, Source
from .publishing import OVERDUE_AFTER, clock_last_ran, expiring_stories, scheduled_stories


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "link"
    list_display = ["name", "url"]
    search_fields = ["name"]
    ordering = ["name"]


class CreditsViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, SourceViewSet)
    menu_icon = "group"
    menu_label = "Credits"
    menu_name = "credits"


register_snippet(CreditsViewSetGroup)


class PublishingSchedulePanel(Component):
    """The dashboard's list of stories going live and coming down at a set time."""

    name = "publishing_schedule"
    order = 40
    template_name = "articles/admin/publishing_schedule.html"

    def get_context_data(self, parent_context=None):
        scheduled = scheduled_stories()
        last_ran = clock_last_ran()
        return {
            "scheduled": scheduled,
            "overdue": any(revision.overdue for revision in scheduled),
            "clock_last_ran": last_ran,
            "clock_stopped": last_ran is None or last_ran < timezone.now() - OVERDUE_AFTER,
            "expiring": expiring_stories(),
        }


@hooks.register("construct_homepage_panels")
def add_publishing_schedule(request, panels):
    panels.insert(0, PublishingSchedulePanel())


@hooks.register("insert_editor_js")
def character_counts():
    """A live character count under fields that ask for one (the summary)."""
    return format_html('<script src="{}"></script>', static("js/admin_character_count.js"))
