from django import template

from gaceta.articles.structured_data import image_urls, news_article

register = template.Library()


@register.inclusion_tag("tags/article_meta.html", takes_context=True)
def article_meta(context, page):
    """OpenGraph, Twitter card and JSON-LD NewsArticle for an article page."""
    images = image_urls(page.lead_image)
    return {
        "page": page,
        "site_name": context.get("site_name"),
        "share_image": images[-1] if images else None,
        "structured_data": news_article(page, images),
    }
