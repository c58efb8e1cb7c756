import json
import re

import pytest

from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db

REQUIRED = ["headline", "image", "datePublished", "dateModified", "author", "publisher"]


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_article_has_news_article_json_ld_with_every_required_property(client, sections, author, image):
    article = publish_article(
        sections["politics"], "Structured story", dek="A summary.", authors=[author], image=image,
        published_at=local(2025, 3, 1, 8, 0),
    )
    data = json_ld(client.get(article.url).text)
    assert len(data) == 1
    story = data[0]
    assert story["@context"] == "https://schema.org" and story["@type"] == "NewsArticle"
    for prop in REQUIRED:
        assert story.get(prop), prop
    assert story["headline"] == "Structured story"
    assert story["datePublished"].startswith("2025-03-01T08:00:00-06:00")
    assert all(url.startswith("http://testserver/media/images/") for url in story["image"])
    assert story["author"] == [{"@type": "Person", "name": "Ana Reportera", "url": "http://testserver/authors/ana-reportera/"}]
    assert story["publisher"]["@type"] == "NewsMediaOrganization"
    assert story["mainEntityOfPage"] == "http://testserver/politics/structured-story/"


def test_article_has_opengraph_twitter_and_canonical(client, sections, image):
    article = publish_article(sections["politics"], "Shared story", dek="Worth sharing.", image=image, tags=["Mexico"])
    html = client.get(article.url).text
    assert '<link rel="canonical" href="http://testserver/politics/shared-story/">' in html
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == "Shared story"
    assert meta(html, "property", "og:description") == "Worth sharing."
    assert meta(html, "property", "og:image").startswith("http://testserver/media/images/")
    assert meta(html, "property", "og:image:alt") == "A test photo"
    assert meta(html, "property", "article:section") == "Politics"
    assert meta(html, "property", "article:tag") == "Mexico"
    assert meta(html, "name", "twitter:card") == "summary_large_image"


def test_headlines_cannot_break_out_of_the_json_ld_script(client, sections):
    article = publish_article(sections["politics"], "Evil </script><script>alert(1)</script>")
    html = client.get(article.url).text
    assert "<script>alert(1)</script>" not in html
    assert json_ld(html)[0]["headline"] == "Evil </script><script>alert(1)</script>"
