"""The demo loader, on a small data folder written here and on the real shared one."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Site

from gaceta.articles.models import ArticlePage, SectionPage
from gaceta.core.models import NewsroomSettings
from tests.core.test_seed import SYNTHETIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "000_310ed6a4d7bb92a7.txt").write_text(SYNTHETIC, encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    records = [
        {"id": "wikinews-1", "title": "Mexico holds election", "date": "2006-07-02", "url": "https://en.wikinews.org/wiki/Mexico_holds_election",
         "section": ["Politics and conflicts"], "body": "Mexico Voters in Mexico went to the polls on Sunday. Turnout was high.\n\nResults come on Wednesday."},
        {"id": "wikinews-2", "title": "Peso falls", "date": "2008-10-10", "url": "https://en.wikinews.org/wiki/Peso_falls",
         "section": ["Economy and business", "Politics and conflicts"], "body": "The peso fell 5% on Friday."},
    ]
    (tmp_path / "corpus" / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return tmp_path


def load(data_dir):
    call_command("load_demo_content", data=str(data_dir), stdout=open("/dev/null", "w"))


@pytest.mark.slow
def test_loads_seed_stories_and_archive_with_attribution(client, data_dir):
    load(data_dir)
    assert ArticlePage.objects.live().count() == 4  # seed article, one teaser, two archive articles
    seed = ArticlePage.objects.get(title="Harbour reopens after storm")
    assert seed.lead_image_caption == "Cranes back at work." and seed.lead_image_credit == "Port Authority/Handout"
    assert seed.lead_image.description == "A crane lifting a container"
    assert [link.source.name for link in seed.source_links()] == ["La Gaceta", "Radio Costa", "El Faro"]
    teaser = ArticlePage.objects.get(title="Rain returns on Sunday")
    assert teaser.dek == "Forecasters expect more rain."
    election = ArticlePage.objects.get(import_ref="wikinews-1")
    assert election.get_parent().slug == "politics"
    assert election.first_published_at.date().isoformat() == "2006-07-02"
    assert [str(t) for t in election.tags.all()] == ["Mexico"]
    html = client.get(election.url).text
    assert "Voters in Mexico went to the polls on Sunday." in html
    assert "https://en.wikinews.org/wiki/Mexico_holds_election" in html and "CC BY 2.5" in html
    assert "Placeholder image" in html  # the credit says the picture is not a photo
    assert ArticlePage.objects.get(import_ref="wikinews-2").get_parent().slug == "business"
    assert "https://en.wikinews.org" in NewsroomSettings.load().footer_notice
    assert "en.wikinews.org" in client.get("/").text  # the site-wide notice in the footer


@pytest.mark.slow
def test_loading_again_adds_nothing(data_dir):
    from gaceta.newsletters.models import Newsletter, NewsletterSubscription

    load(data_dir)
    counts = (ArticlePage.objects.count(), SectionPage.objects.count(), Site.objects.count(),
              Newsletter.objects.count(), NewsletterSubscription.objects.count())
    load(data_dir)
    assert (ArticlePage.objects.count(), SectionPage.objects.count(), Site.objects.count(),
            Newsletter.objects.count(), NewsletterSubscription.objects.count()) == counts


@pytest.mark.slow
def test_the_demo_has_the_daily_and_breaking_news_with_two_subscribers(data_dir):
    from gaceta.newsletters.models import Newsletter

    load(data_dir)
    daily, breaking = Newsletter.objects.get(slug="daily"), Newsletter.objects.get(slug="breaking")
    assert (daily.name, daily.kind, breaking.name, breaking.kind) == ("The Daily", "digest", "Breaking news", "alert")
    on_daily = {(s.email, s.status, s.member.tier_label()) for s in daily.subscriptions.select_related("member")}
    assert on_daily == {("reader@example.org", "active", "Free"), ("subscriber@example.org", "active", "Complimentary")}
    assert NewsroomSettings.load().postal_address


@pytest.mark.slow
def test_without_data_a_small_original_newsroom_is_served(client, tmp_path):
    out = tmp_path / "out.txt"
    with out.open("w") as stdout:
        call_command("load_demo_content", data=str(tmp_path / "missing"), stdout=stdout)
    assert "GACETA_DEMO_DATA" in out.read_text()
    assert ArticlePage.objects.live().count() >= 6
    assert client.get("/").status_code == 200


@pytest.mark.slow
def test_full_demo_archive_from_shared_data(client):
    data = Path(settings.GACETA_DEMO_DATA)
    if not (data / "corpus" / "corpus.jsonl").exists():
        pytest.fail(f"The shared data folder is missing at {data}; set GACETA_DEMO_DATA.")
    call_command("load_demo_content", data=str(data), limit=200, stdout=open("/dev/null", "w"))
    seed = ArticlePage.objects.get(title="US sends 12 soldiers for joint training exercises with Mexican army")
    assert seed.lead_image_caption == "Mexican soldiers training."
    assert seed.lead_image_credit == "@Sedena/Twitter"
    assert seed.first_published_at.year == 2023 and seed.first_published_at.month == 4
    html = client.get(seed.url).text
    assert "With reports from Infobae and El Economista" in html
    assert "Published April 6, 2023: more than" in html
    assert ArticlePage.objects.filter(import_ref__startswith="wikinews-").count() == 200
    for title in (
        "7 of 8 bodyguards arrested in connection with Mayor Carlos Manzo’s assassination",
        "Facts and figures about the newly opened US Embassy in CDMX: A perspective from our CEO",
        "Mega-blockades expected to impact transit in more than 20 states",
    ):
        assert ArticlePage.objects.filter(title=title).exists()


@pytest.mark.slow
def test_the_demo_newsroom_has_staff_in_each_role_and_corrections(client, data_dir):
    from gaceta.articles.models import ArticleCorrection
    from gaceta.members.models import Member

    load(data_dir)
    load(data_dir)
    groups = {member.email: sorted(member.groups.values_list("name", flat=True)) for member in Member.objects.filter(
        email__in=["reporter@example.org", "editor@example.org", "desk@example.org"])}
    assert groups == {
        "reporter@example.org": ["Reporters", "Reporters: Politics"],
        "editor@example.org": ["Editors"],
        "desk@example.org": ["Moderators"],
    }
    notes = list(ArticleCorrection.objects.select_related("page"))
    assert len(notes) == 2 and all(note.page.import_ref.startswith("wikinews-") for note in notes)
    assert all(note.noted_at > note.page.first_published_at for note in notes)
    html = client.get("/corrections/").text
    assert all(note.page.title in html for note in notes)
    story = notes[0].page
    assert client.get(story.url).text.count("article-note--") == 1
