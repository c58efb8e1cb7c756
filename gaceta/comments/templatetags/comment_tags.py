from django import template
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from gaceta.members import access

from ..models import Comment, CommentSettings
from ..threads import SORTS, build_thread

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    """The comments under an article. Readers who may not read them get the count and an
    invitation, never the text. Not cached: it depends on who is reading."""
    request = context["request"]
    viewer = request.user
    rules = CommentSettings.load()
    can_read = access.can_read_comments(viewer, article, rules)
    sort = request.GET.get("sort", "oldest")
    return {
        "request": request,
        "article": article,
        "viewer": viewer,
        "hidden": article.comment_mode == "hidden",
        "count": Comment.objects.counts_for([article.pk]).get(article.pk, 0),
        "can_read": can_read,
        "can_post": access.can_post_comments(viewer, article, rules),
        "is_open": access.comments_are_open(article, rules),
        "banned": getattr(viewer, "banned_from_comments_at", None) is not None,
        "thread": build_thread(article, viewer, sort) if can_read else [],
        "sort": sort,
        "sorts": SORTS,
        "rules": rules,
        "audience": rules.who_can_read,
    }


@register.filter
def comment_text(text: str):
    """Text in, text out: everything escaped, then links made, marked as user content."""
    html = urlize(text, autoescape=True)
    html = html.replace("<a href=", '<a rel="nofollow ugc noopener" href=')
    paragraphs = [p.replace("\n", "<br>") for p in html.split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))
