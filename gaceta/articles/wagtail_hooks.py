"""Admin for the people and outlets articles credit.

Registered through viewsets rather than @register_snippet so that list columns, search and
ordering are declared here, beside the admin they shape.
"""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Author, Source


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
