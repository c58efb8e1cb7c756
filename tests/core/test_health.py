import json
import logging

import pytest

from gaceta.settings.base import redis_cache
from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db

# The production cache settings, pointed at a Redis that is not there.
DEAD_REDIS = {"default": redis_cache("redis://127.0.0.1:1/0")}  # nothing listens on port 1


def test_health_and_readiness(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in ready["Cache-Control"]


def test_with_redis_down_pages_still_serve_and_readiness_says_why(client, sections, settings, caplog):
    article = publish_article(sections["politics"], "Served without a cache")
    settings.CACHES = {**DEAD_REDIS, "renditions": DEAD_REDIS["default"]}
    with caplog.at_level(logging.ERROR, logger="gaceta.cache"):
        assert client.get("/").status_code == 200
        response = client.get(article.url)
    assert response.status_code == 200 and "Served without a cache" in response.text
    assert [record for record in caplog.records if record.name == "gaceta.cache" and record.exc_info]
    # Rate limits count in the cache: without it, uses are allowed (and logged), not refused.
    with caplog.at_level(logging.WARNING, logger="gaceta.core.ratelimit"):
        asked = client.post("/api/ask", json.dumps({"question": "Served?"}), content_type="application/json")
    assert asked.status_code == 200
    assert any("rate limit cache unavailable" in record.getMessage() for record in caplog.records)
    client.force_login(make_member("writer@example.org", paid=True, display_name="Writer"))
    commented = client.post(f"/comments/article/{article.pk}/", {"body": "Still here."}, HTTP_ACCEPT="application/json")
    assert commented.status_code == 201
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["cache"] == "unavailable"


def test_readiness_asks_the_database_itself_and_nothing_before_it(client, sections, django_assert_num_queries):
    """With the cached content generation expired, the site lookup would query first and fail
    with a 500 while PostgreSQL is down, instead of the 503 the load balancer needs."""
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(1):
        ready = client.get("/readyz", HTTP_HOST="10.0.0.7")  # load balancers probe by address
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
