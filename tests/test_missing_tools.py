"""A test whose tool (chromium, nginx, PostgreSQL's server) is missing: a developer's `make test`
skips it and says which tool to install; CI, which installs them all, fails instead."""

import pytest

from tests.conftest import unavailable


def test_a_missing_tool_skips_the_test_on_a_developers_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install nginx"):
        unavailable("install nginx")


def test_a_missing_tool_fails_the_test_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="install nginx"):
        unavailable("install nginx")
