"""Shared fixtures: a newsroom page tree, images, articles published the way editors do."""

import io
import os
import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from gaceta.articles.models import ArticleByline, ArticlePage, ArticleSource, Author, SectionPage, Source
from gaceta.search.index import reindex_articles
from gaceta.core.cache import bump_content_generation
from gaceta.frontpage.models import FrontPage

NEWSROOM_TZ = ZoneInfo(settings.TIME_ZONE)


def unavailable(reason: str):
    """A tool a test needs is missing (chromium, nginx, PostgreSQL's server): skipped on a
    developer's machine, with the reason; in CI (`.ci/run` installs them all) the test fails."""
    (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


@pytest.fixture(autouse=True)
def clear_cache():
    """Cached fragments are keyed by a counter stored in the database, which each test resets."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch):
    """Tests talk to loopback only."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("/"):
            raise RuntimeError(f"Tests may not reach {host}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def make_image(title="Test photo", alt="A test photo", size=(1600, 900), colour="#336699", focal=None, picture=None):
    buffer = io.BytesIO()
    (picture or PILImage.new("RGB", size, colour)).save(buffer, format="PNG")
    image = Image(title=title, description=alt, file=ImageFile(buffer, name=f"{title}.png"))
    if focal:
        image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = focal
    image.save()
    return image


@pytest.fixture
def image(db):
    return make_image()


@pytest.fixture
def front_page(db):
    root = Page.get_first_root_node()
    if root is None:  # a transactional test flushed the rows Wagtail's migrations create
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        Collection.add_root(name="Root")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    front = root.add_child(instance=FrontPage(title="Gaceta Test Daily", slug="front"))
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=front, is_default_site=True, site_name="Gaceta")
    return front


@pytest.fixture
def sections(front_page):
    politics = front_page.add_child(instance=SectionPage(title="Politics", slug="politics"))
    business = front_page.add_child(instance=SectionPage(title="Business", slug="business"))
    return {"politics": politics, "business": business}


def local(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=NEWSROOM_TZ)


def publish_article(section, title, *, dek=None, paragraphs=("First paragraph.",), published_at=None,
                    tags=(), authors=(), sources=(), image=None, visibility="public", **fields):
    """Create and publish an article through a revision, as the admin does."""
    article = ArticlePage(
        title=title,
        dek=dek or f"Summary of {title}.",
        body=[("paragraph", f"<p>{text}</p>") for text in paragraphs],
        lead_image=image,
        visibility=visibility,
        live=False,
        **fields,
    )
    section.add_child(instance=article)
    article.tags.add(*tags)
    for order, author in enumerate(authors):
        ArticleByline.objects.create(page=article, author=author, sort_order=order)
    for order, source in enumerate(sources):
        ArticleSource.objects.create(page=article, source=source, sort_order=order)
    article.save_revision().publish()
    if published_at:
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=published_at, last_published_at=published_at
        )
        bump_content_generation()  # a direct update sends no signal
        reindex_articles([article.pk])
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def author(db):
    return Author.objects.create(name="Ana Reportera", slug="ana-reportera", bio="Covers politics.")


@pytest.fixture
def sources(db):
    return [Source.objects.create(name="Infobae"), Source.objects.create(name="El Economista", url="https://www.eleconomista.com.mx/")]


def make_member(email="reader@example.org", *, paid=False, password="reader-pw-123", **fields):
    """A member with a verified email address; `paid` gives complimentary paid access."""
    from allauth.account.models import EmailAddress

    from gaceta.members.models import Member
    from gaceta.members.services import grant_complimentary_access

    member = Member.objects.create_user(username=email.split("@")[0], email=email, password=password, **fields)
    EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
    if paid:
        grant_complimentary_access(member=member, granted_by=None, note="test")
    return member


@pytest.fixture
def free_member(db):
    return make_member("free@example.org")


@pytest.fixture
def paid_member(db):
    return make_member("paid@example.org", paid=True)
