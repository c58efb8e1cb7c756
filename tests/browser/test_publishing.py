"""Editing and publishing in a real browser: the admin at a phone's width and a laptop's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gaceta.articles.models import ArticleCorrection, ArticlePage
from tests.conftest import make_member, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


def sign_in_to_admin(page, live_server):
    make_member("chief@example.org", password="chief-pw-123", is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "chief-pw-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_counts_its_characters_and_an_authors_slug_follows_the_name(browser, live_server, sections, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        sign_in_to_admin(page, live_server)
        page.goto(f"{live_server.url}/admin/pages/add/articles/articlepage/{sections['politics'].pk}/")
        summary = page.locator("textarea#id_dek")
        summary.fill("Truckers and farmers are blocking highways")
        assert page.locator(".gaceta-count").text_content() == "42 / 300 characters"
        summary.press("End")
        summary.type(" across Mexico.")
        assert page.locator(".gaceta-count").text_content() == "57 / 300 characters"
        assert page.get_by_text("Add byline").is_visible() and page.get_by_text("Add source").count() == 1
        page.screenshot(path=str(tmp_path / f"article-{width}.png"))
        page.goto(live_server.url + "/admin/snippets/articles/author/add/")
        page.click("#id_name")
        page.type("#id_name", "Ana María López", delay=10)
        page.locator("#id_name").blur()
        page.wait_for_function("document.querySelector('#id_slug').value === 'ana-maria-lopez'")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_banner_correction_and_dashboard_seen_at_each_width(browser, live_server, sections, width, tmp_path):
    story = publish_article(sections["politics"], "Earthquake shakes Oaxaca", breaking_until=timezone.now() + timedelta(hours=1))
    story.corrections.add(ArticleCorrection(kind="correction", text="An earlier version gave the wrong magnitude."))
    story.save_revision().publish()
    later = ArticlePage(title="Budget vote tomorrow", dek="x", body=[], live=False, go_live_at=timezone.now() + timedelta(hours=5))
    sections["politics"].add_child(instance=later)
    later.save_revision().publish()
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(live_server.url + "/politics/")
        banner = page.locator(".breaking-banner a")
        assert banner.is_visible() and banner.text_content() == "Earthquake shakes Oaxaca"
        banner.click()
        page.wait_for_url(live_server.url + story.url)
        assert page.locator(".article-note--correction").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"story-{width}.png"))
        page.goto(live_server.url + "/corrections/")
        assert page.get_by_text("An earlier version gave the wrong magnitude.").is_visible()
        sign_in_to_admin(page, live_server)
        assert page.get_by_role("heading", name="Publishing schedule").is_visible()
        assert page.get_by_role("link", name="Budget vote tomorrow").count() == 1
        page.screenshot(path=str(tmp_path / f"dashboard-{width}.png"))
    finally:
        page.close()
