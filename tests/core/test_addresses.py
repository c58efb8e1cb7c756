"""One address for the site: every link that leaves a page starts with GACETA_BASE_URL."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings

from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db
BASE = "https://news.example.org"
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def story(sections, image, author):
    return publish_article(sections["politics"], "Harbour reopens", image=image, authors=[author])


def absolute_links(text: str) -> set[str]:
    """The scheme and host of every absolute http(s) link in a page, feed or sitemap."""
    return {match[0] for match in re.finditer(r"https?://[^/\"'<\s]+", text)} - {
        "http://www.sitemaps.org", "http://www.google.com", "https://schema.org", "http://www.w3.org", "http://purl.org",
    }


@pytest.mark.slow
@override_settings(GACETA_BASE_URL=BASE)
def test_pages_feeds_and_sitemaps_use_the_base_url_whatever_host_is_asked(client, story):
    host = {"HTTP_HOST": "127.0.0.1"}  # the request's own host must not leak into links
    html = client.get(story.url, **host).text
    assert f'<link rel="canonical" href="{BASE}{story.url}">' in html
    assert f'<meta property="og:url" content="{BASE}{story.url}">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["url"] == data["mainEntityOfPage"] == f"{BASE}{story.url}"
    assert data["publisher"]["url"] == f"{BASE}/"
    assert all(url.startswith(f"{BASE}/media/") for url in data["image"]) and data["image"]
    assert re.search(rf'<meta property="og:image" content="{re.escape(BASE)}/media/', html)
    front = client.get("/", **host).text
    assert f'<link rel="canonical" href="{BASE}/">' in front and f'<meta property="og:url" content="{BASE}/">' in front
    section = client.get("/politics/", **host).text
    assert f'<link rel="canonical" href="{BASE}/politics/">' in section
    for url in ("/feed/", "/politics/feed/", "/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml", "/robots.txt"):
        body = client.get(url, **host).text
        assert absolute_links(body) == {BASE}, url
    assert f"<link>{BASE}{story.url}</link>" in client.get("/feed/", **host).text
    assert f"<loc>{BASE}{story.url}</loc>" in client.get("/sitemap-articles.xml", **host).text
    assert f"<loc>{BASE}/sitemap-articles.xml</loc>" in client.get("/sitemap.xml", **host).text


@override_settings(GACETA_BASE_URL=BASE)
def test_sign_in_emails_name_the_base_url(client, front_page):
    make_member("free@example.org")
    client.post("/accounts/login/code/", {"email": "free@example.org"}, HTTP_HOST="127.0.0.1")
    [message] = mail.outbox
    assert "news.example.org" in message.body and "127.0.0.1" not in message.body and "testserver" not in message.body


def base_url_in_a_fresh_process(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"PORT", "GACETA_BASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="gaceta.settings.dev")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.GACETA_BASE_URL)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.strip()


@pytest.mark.slow
def test_the_base_url_follows_the_port_unless_it_is_set():
    assert base_url_in_a_fresh_process() == "http://127.0.0.1:8000"
    assert base_url_in_a_fresh_process(PORT="8101") == "http://127.0.0.1:8101"
    assert base_url_in_a_fresh_process(PORT="8101", GACETA_BASE_URL="https://news.example.org/") == BASE
