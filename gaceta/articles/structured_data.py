"""schema.org NewsArticle data for an article page (JSON-LD)."""

from django.conf import settings
from django.utils.timezone import localtime

from gaceta.core.addresses import absolute_url
from gaceta.core.models import NewsroomSettings


def image_urls(image) -> list[str]:
    """The lead image at the three aspect ratios Google asks for, as absolute URLs."""
    if image is None:
        return []
    specs = ["fill-1200x1200", "fill-1200x900", "fill-1200x675"]
    renditions = image.get_renditions(*[f"{spec}|format-jpeg" for spec in specs])
    return [absolute_url(rendition.url) for rendition in renditions.values()]


def news_article(page, images: list[str]) -> dict:
    publisher = {"@type": "NewsMediaOrganization", "name": settings.WAGTAIL_SITE_NAME, "url": absolute_url("/")}
    logo = NewsroomSettings.load().logo
    if logo:
        rendition = logo.get_rendition("max-600x60|format-png")
        publisher["logo"] = {"@type": "ImageObject", "url": absolute_url(rendition.url)}
    authors = [
        {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
        for author in page.byline_authors()
    ] or [{"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute_url(page.url),
        "url": absolute_url(page.url),
        "headline": page.title[:110],
        "description": page.dek,
        "image": images,
        "datePublished": localtime(page.published_at).isoformat(),
        "dateModified": localtime(page.modified_at).isoformat(),
        "author": authors,
        "publisher": publisher,
        "isAccessibleForFree": page.visibility == "public",
        "keywords": [tag.name for tag in page.tags.all()],
    }
    if page.visibility != "public":
        # Google's markup for subscription content: the story body is the paywalled part.
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".article__body--restricted",
        }
    if page.section:
        data["articleSection"] = page.section.title
    corrections = [note for note in page.notes() if note.is_correction]
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": localtime(note.noted_at).isoformat()}
            for note in corrections
        ]
    return data
