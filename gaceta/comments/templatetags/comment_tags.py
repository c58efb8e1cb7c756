from django import template
from django.template.backends.utils import csrf_input

from gaceta.core import slots
from gaceta.core.cache import depends_on
from gaceta.members import access

from ..models import CommentSettings, comments_tag
from ..rendering import render_thread, text_to_html
from ..threads import SORTS, build_thread

register = template.Library()


@register.simple_tag
def comments_open_to() -> str:
    """Who may post comments ("paid", "members" or "off"), for pages that describe the plans."""
    return CommentSettings.current().who_can_post


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    """The comments under an article. Readers who may not read them get the count and an
    invitation, never the text. Not cached: it depends on who is reading."""
    request = context["request"]
    viewer = request.user
    rules = CommentSettings.current()
    can_read = access.can_read_comments(viewer, article, rules)
    sort = request.GET.get("sort", "oldest")
    can_post = access.can_post_comments(viewer, article, rules)
    if can_read:  # the thread is shown: the page changes with every comment
        depends_on(comments_tag(article.pk))
    thread = build_thread(article, viewer, sort) if can_read else []
    placed = notes(request)
    return {
        "form_notes": placed.get("comments", []),
        "request": request,
        "article": article,
        "viewer": viewer,
        "hidden": article.comment_mode == "hidden",
        # Filled in as the page leaves (core/slots.py): a cached page shows the count of now.
        "count": slots.marker("comment-number", article.pk),
        "can_read": can_read,
        "can_post": can_post,
        "is_open": access.comments_are_open(article, rules),
        "banned": getattr(viewer, "banned_from_comments_at", None) is not None,
        "thread": thread,
        "thread_html": render_thread(thread, viewer, can_post, csrf_input(request), opened_form(request), placed) if thread else "",
        "sort": sort,
        "sorts": SORTS,
        "rules": rules,
        "audience": rules.who_can_read,
        # A member's first comment asks for the name it appears under, suggesting a pseudonym.
        "ask_name": can_post and not viewer.display_name,
        "name_value": viewer.pseudonym if can_post else "",
    }


def notes(request) -> dict[str, list]:
    """Messages for a place in the comments ("comments", "comment-12"), by place; the page's
    own message list leaves them out."""
    from django.contrib.messages import get_messages

    from ..views import NOTE_TAG

    placed: dict[str, list] = {}
    for message in get_messages(request):
        if message.extra_tags.startswith(NOTE_TAG):
            placed.setdefault(message.extra_tags.removeprefix(NOTE_TAG), []).append(message)
    return placed


def opened_form(request) -> str:
    for kind in ("reply", "report"):
        value = request.GET.get(kind, "")
        if value.isdigit():
            return f"{kind}-{value}"
    return ""


@register.filter
def comment_text(text: str):
    return text_to_html(text)
