"""An issue as email and as a web page: one rendering per reader tier, then per-recipient links.

Rendering 100,000 messages one by one would be slow and would be a copy of the access rule per
message; instead each tier's version (anonymous, free, paid) is rendered and its CSS inlined once,
and a placeholder is replaced by each recipient's unsubscribe link.
"""

import re
from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags

from gaceta.members.access import Tier, visibilities_for_tier

UNSUBSCRIBE_PLACEHOLDER = "GACETA-UNSUBSCRIBE-URL"
UNSUBSCRIBE_SALT = "gaceta.newsletters.unsubscribe"
# Our own templates write root-relative links ("/politics/story/"); mail needs the whole address.
_RELATIVE_LINK = re.compile(r'(\s(?:href|src))="/(?!/)')
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
EMAIL_BLOCKS = {"paragraph", "quote"}  # images and embeds are read on the web


@dataclass
class StoryView:
    article: object
    url: str
    readable: bool
    blocks: list

    @property
    def text(self) -> str:
        """The readable story's text for the plain-text part."""
        paragraphs = []
        for block in self.blocks:
            value = block.value
            source = value.get("text", "") if block.block_type == "quote" else str(getattr(value, "source", value))
            paragraphs.append(" ".join(strip_tags(source).split()))
        return "\n\n".join(p for p in paragraphs if p)


@dataclass
class RenderedIssue:
    subject: str
    html: str
    text: str

    def for_recipient(self, unsubscribe_url: str) -> tuple[str, str]:
        return (self.html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url),
                self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url))


def absolute(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def story_views(issue, tier: Tier) -> list[StoryView]:
    """The issue's live stories in order; only those `tier` may read in full carry their text."""
    readable = visibilities_for_tier(tier)
    views = []
    for item in issue.stories.filter(article__live=True).select_related("article").order_by("sort_order"):
        article = item.article
        can_read = article.visibility in readable
        blocks = [block for block in article.body if block.block_type in EMAIL_BLOCKS] if can_read else []
        views.append(StoryView(article=article, url=absolute(article.url), readable=can_read, blocks=blocks))
    return views


def issue_context(issue, tier: Tier) -> dict:
    from gaceta.core.models import NewsroomSettings

    return {
        "issue": issue,
        "newsletter": issue.newsletter,
        "stories": story_views(issue, tier),
        "tier": str(tier),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
        "postal_address": NewsroomSettings.load().postal_address,
        "web_url": absolute(issue.get_absolute_url()),
        "subscribe_url": absolute(reverse("payments:subscribe")),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
    }


def render_issue(issue, tier: Tier) -> RenderedIssue:
    context = issue_context(issue, tier)
    html = render_to_string("newsletters/email/issue.html", context)
    html = _INLINER.inline(_RELATIVE_LINK.sub(rf'\1="{settings.WAGTAILADMIN_BASE_URL}/', html))
    text = render_to_string("newsletters/email/issue.txt", context)
    return RenderedIssue(subject=issue.subject, html=html, text=text)


def unsubscribe_token(delivery_pk: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(delivery_pk))


def delivery_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def list_unsubscribe_headers(url: str, token: str) -> dict:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the URL."""
    mailto = f"mailto:{settings.GACETA_NEWSLETTER_UNSUBSCRIBE_EMAIL}?subject=unsubscribe%20{token}"
    return {"List-Unsubscribe": f"<{url}>, <{mailto}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
