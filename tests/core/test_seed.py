from pathlib import Path

import pytest
from django.conf import settings

from gaceta.demo.seed import parse_seed_page, read_seed_page, split_names

SYNTHETIC = """Friday, March 7, 2025

Harbour reopens after storm

The harbour reopened on Friday.

Boats queued at dawn.

A crane lifting a container
Cranes back at work. (Port Authority/Handout)

Traffic is expected to normalise by Monday.

With reports from La Gaceta, Radio Costa and El Faro

Have something to say? Paid Subscribers get all access to make & read comments.
A flooded street

Rain returns on Sunday

3
Forecasters expect more rain.
BETA Version - Powered by Perplexity
"""


def test_parses_headline_paragraphs_photo_sources_and_teasers():
    page = parse_seed_page(SYNTHETIC)
    assert str(page.day) == "2025-03-07"
    article = page.article
    assert article.title == "Harbour reopens after storm"
    assert article.paragraphs == [
        "The harbour reopened on Friday.",
        "Boats queued at dawn.",
        "Traffic is expected to normalise by Monday.",
    ]
    assert (article.image.alt, article.image.caption, article.image.credit) == (
        "A crane lifting a container", "Cranes back at work.", "Port Authority/Handout")
    assert article.sources == ["La Gaceta", "Radio Costa", "El Faro"]
    [teaser] = page.teasers
    assert (teaser.title, teaser.summary, teaser.image.alt) == (
        "Rain returns on Sunday", "Forecasters expect more rain.", "A flooded street")


def test_split_names():
    assert split_names("Infobae and El Economista") == ["Infobae", "El Economista"]
    assert split_names("Reuters") == ["Reuters"]


def shared_data() -> Path:
    path = Path(settings.GACETA_DEMO_DATA)
    if not (path / "seeds").exists():
        pytest.fail(f"The shared data folder is missing at {path}; set GACETA_DEMO_DATA.")
    return path


def test_reads_the_real_seed_page():
    page = read_seed_page(shared_data())
    assert page.article.title == "US sends 12 soldiers for joint training exercises with Mexican army"
    assert page.article.image.caption == "Mexican soldiers training."
    assert page.article.image.credit == "@Sedena/Twitter"
    assert page.article.sources == ["Infobae", "El Economista"]
    assert len(page.article.paragraphs) == 10
    assert [t.title for t in page.teasers] == [
        "7 of 8 bodyguards arrested in connection with Mayor Carlos Manzo’s assassination",
        "Facts and figures about the newly opened US Embassy in CDMX: A perspective from our CEO",
        "Mega-blockades expected to impact transit in more than 20 states",
    ]
    assert page.teasers[2].image.alt == "Oil tankers drive down a highway at sunset"
