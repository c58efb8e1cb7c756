from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from lxml import etree

from gaceta.articles.sitemaps import ArticleSitemap
from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent.parent / "data" / "sitemap.xsd")))
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def parse_valid(content: bytes):
    document = etree.fromstring(content)
    SCHEMA.assertValid(document)
    return document


def sitemap_index(client) -> list[tuple[str, str | None]]:
    """The index's (loc, lastmod) pairs, after checking its structure against the protocol.

    sitemaps.org's siteindex.xsd ships in no registry package, so its rules are checked here:
    a <sitemapindex> root of at most 50,000 <sitemap> entries, each one absolute <loc> under
    2,048 characters and at most one W3C date-time <lastmod>, nothing else.
    """
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    entries = []
    assert 0 < len(root) <= 50_000
    for sitemap in root:
        assert sitemap.tag == f"{{{NS['sm']}}}sitemap"
        names = [etree.QName(child).localname for child in sitemap]
        assert names in (["loc"], ["loc", "lastmod"]), names
        loc = sitemap[0].text.strip()
        assert loc.startswith("http://testserver/") and len(loc) < 2048
        lastmod = sitemap[1].text.strip() if len(names) == 2 else None
        if lastmod:
            datetime.fromisoformat(lastmod)  # W3C date-time
        entries.append((loc, lastmod))
    return entries


def sitemap_locations(client) -> list[str]:
    """Every URL of every page the index lists, each page valid against sitemap.xsd."""
    locations = []
    for loc, _ in sitemap_index(client):
        parts = urlsplit(loc)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, loc
        locations += parse_valid(response.content).xpath("//sm:loc/text()", namespaces=NS)
    return locations


def test_sitemap_lists_front_page_sections_and_live_articles(client, sections):
    publish_article(sections["politics"], "Listed story")
    hidden = publish_article(sections["politics"], "Unpublished story")
    hidden.unpublish()
    locations = sitemap_locations(client)
    assert "http://testserver/" in locations
    assert "http://testserver/politics/" in locations
    assert "http://testserver/politics/listed-story/" in locations
    assert "http://testserver/politics/unpublished-story/" not in locations


def test_sitemap_index_pages_past_the_limit_with_lastmod(client, sections, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for day in range(1, 6):
        publish_article(sections["business"], f"Story {day}", published_at=local(2026, 3, day))
    entries = sitemap_index(client)
    article_pages = [(loc, lastmod) for loc, lastmod in entries if "articles" in loc]
    assert len(article_pages) == 3  # 5 stories, 2 a page
    assert all(lastmod and lastmod.startswith("2026-03-05") for _, lastmod in article_pages)
    locations = sitemap_locations(client)
    stories = [loc for loc in locations if loc.startswith("http://testserver/business/story-")]
    assert sorted(stories) == [f"http://testserver/business/story-{day}/" for day in range(1, 6)]
    assert len(locations) == len(set(locations))


def test_sitemap_pages_out_of_range_are_not_found(client, sections):
    publish_article(sections["politics"], "Only story")
    for page in ("2", "0", "abc", "99999999999999999999999"):
        assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


def test_news_sitemap_has_only_the_last_48_hours(client, sections):
    publish_article(sections["politics"], "Fresh story")
    publish_article(sections["politics"], "Last week", published_at=timezone.now() - timedelta(days=7))
    document = parse_valid(client.get("/news-sitemap.xml").content)
    titles = document.xpath("//news:title/text()", namespaces=NS)
    assert titles == ["Fresh story"]
    news = document.xpath("//news:news", namespaces=NS)[0]
    assert news.xpath("news:publication/news:name/text()", namespaces=NS) == ["Gaceta"]
    assert news.xpath("news:publication/news:language/text()", namespaces=NS) == ["en"]
    date = news.xpath("news:publication_date/text()", namespaces=NS)[0]
    assert date[:4].isdigit() and "T" in date


def test_robots_txt_points_at_both_sitemaps(client, front_page):
    text = client.get("/robots.txt").text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /ask/?" in text.splitlines()  # answers to /ask/?q=…, not the Ask page
