import logging

import pytest

from tests.conftest import publish_article

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "gaceta.core.cache_backends.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_health_and_readiness(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in ready["Cache-Control"]


def test_with_redis_down_pages_still_serve_and_readiness_says_why(client, sections, settings, caplog):
    article = publish_article(sections["politics"], "Served without a cache")
    settings.CACHES = {**DEAD_REDIS, "renditions": DEAD_REDIS["default"]}
    with caplog.at_level(logging.ERROR, logger="gaceta.core.cache_backends"):
        assert client.get("/").status_code == 200
        response = client.get(article.url)
    assert response.status_code == 200 and "Served without a cache" in response.text
    assert any("Cache unavailable" in record.getMessage() for record in caplog.records)
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
