import pytest

from gaceta.core.models import NewsroomSettings

pytestmark = pytest.mark.django_db


def test_footer_notice_links_addresses_and_escapes_markup(client, front_page):
    newsroom = NewsroomSettings.load()
    newsroom.footer_notice = "Text from https://en.wikinews.org <script>alert(1)</script>"
    newsroom.save()
    html = client.get("/").text
    assert '<a href="https://en.wikinews.org">https://en.wikinews.org</a>' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_sections_appear_in_the_navigation_as_soon_as_they_are_published(client, front_page):
    from gaceta.articles.models import SectionPage

    assert "Culture" not in client.get("/").text
    section = front_page.add_child(instance=SectionPage(title="Culture", slug="culture", live=False))
    section.save_revision().publish()
    assert '<a href="/culture/">Culture</a>' in client.get("/").text
