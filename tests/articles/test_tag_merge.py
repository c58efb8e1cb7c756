"""Tags made before tags ignored case, and differing only in it, are merged by a migration."""

from importlib import import_module

import pytest
from django.apps import apps
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect

from tests.conftest import publish_article

pytestmark = pytest.mark.django_db

merge = import_module("gaceta.articles.migrations.0007_merge_tags_differing_in_case").merge_tags_differing_in_case


def test_tags_differing_only_in_case_become_the_one_on_most_stories(client, sections, settings):
    settings.TAGGIT_CASE_INSENSITIVE = False  # as tags were made before
    one = publish_article(sections["politics"], "One", tags=["China"])
    two = publish_article(sections["politics"], "Two", tags=["China"])
    both = publish_article(sections["politics"], "Both", tags=["China", "china"])
    lone = publish_article(sections["politics"], "Lone", tags=["china"])
    assert Tag.objects.filter(name__iexact="china").count() == 2
    old_slug = Tag.objects.get(name="china").slug

    merge(apps, None)

    [tag] = Tag.objects.filter(name__iexact="china")
    assert tag.name == "China"
    for article in (one, two, both, lone):
        assert list(type(article).objects.get(pk=article.pk).tags.names()) == ["China"]
    assert Redirect.objects.get(old_path=f"/tags/{old_slug}").link == f"/tags/{tag.slug}/"
    assert client.get(f"/tags/{old_slug}/")["Location"] == f"/tags/{tag.slug}/"
    merge(apps, None)  # again: nothing left to merge
    assert Tag.objects.filter(name__iexact="china").count() == 1
