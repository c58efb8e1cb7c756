"""With GACETA_PURGE_URL set, publishing and commenting tell the cache in front which URLs to drop:
the ones whose pages changed (core/cdn.py)."""

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import django
django.setup()
from django.conf import settings
assert "wagtail.contrib.frontend_cache" in settings.INSTALLED_APPS
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.conftest import publish_article
from wagtail.models import Page, Site
from gaceta.articles.models import SectionPage
from gaceta.frontpage.models import FrontPage
root = Page.get_first_root_node()
front = root.add_child(instance=FrontPage(title="F", slug="f"))
Site.objects.update(root_page=front, hostname="news.example.org", port=80)
section = front.add_child(instance=SectionPage(title="Politics", slug="politics"))
story = publish_article(section, "Purged story", tags=["mexico"])
from gaceta.comments.models import Comment
Comment.objects.create(article=story, body="A reader's word.", status=Comment.Status.PUBLISHED)
"""


@pytest.mark.slow
def test_publishing_and_commenting_purge_the_urls_that_changed():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="gaceta.settings.test", GACETA_SQLITE_PATH=":memory:",
               GACETA_PURGE_URL=f"http://127.0.0.1:{server.server_port}")
    try:
        result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-2000:]
    paths = [path for host, path in received if host == "news.example.org"]
    # The publish: the story (Wagtail), the front page, its section and section feed, its tag,
    # the feed and the sitemaps; then the comment: the story, its section and the front page.
    for path in ["/feed/", "/politics/feed/", "/tags/mexico/", "/sitemap.xml", "/news-sitemap.xml"]:
        assert paths.count(path) == 1, (path, paths)
    for path in ["/politics/purged-story/", "/politics/", "/"]:
        assert paths.count(path) == 2, (path, paths)
