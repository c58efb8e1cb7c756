"""Reader pages carry a Content-Security-Policy that allows no inline or outside script."""

import pytest

from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_reader_pages_forbid_inline_and_outside_scripts(client, sections):
    article = publish_article(sections["politics"], "A story")
    client.force_login(make_member("reader@example.org"))
    for path in ("/", article.url, "/ask/?q=story", "/account/", "/search/?q=story", "/accounts/login/"):
        policy = directives(client.get(path))
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"], path
        assert policy["frame-ancestors"] == ["'self'"] and policy["base-uri"] == ["'self'"], path


def test_pages_from_the_anonymous_page_cache_carry_the_policy_too(client, sections):
    article = publish_article(sections["politics"], "A cached story")
    first, second = client.get(article.url), client.get(article.url)
    assert directives(first) == directives(second) and directives(second)["script-src"] == ["'self'"]


def test_wagtail_admin_is_left_to_its_own_scripts(client, admin_user):
    client.force_login(admin_user)
    assert "Content-Security-Policy" not in client.get("/admin/")
