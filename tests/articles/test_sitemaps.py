from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent.parent / "data" / "sitemap.xsd")))
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def parse_valid(content: bytes):
    document = etree.fromstring(content)
    SCHEMA.assertValid(document)
    return document


def test_sitemap_lists_front_page_sections_and_live_articles(client, sections):
    publish_article(sections["politics"], "Listed story")
    hidden = publish_article(sections["politics"], "Unpublished story")
    hidden.unpublish()
    document = parse_valid(client.get("/sitemap.xml").content)
    locations = document.xpath("//sm:loc/text()", namespaces=NS)
    assert "http://testserver/" in locations
    assert "http://testserver/politics/" in locations
    assert "http://testserver/politics/listed-story/" in locations
    assert "http://testserver/politics/unpublished-story/" not in locations


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
