import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_admin_is_created_once_with_a_generated_password_shown_once(monkeypatch):
    monkeypatch.delenv("GACETA_ADMIN_PASSWORD", raising=False)
    first = run()
    password = first.split("password ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    second = run()
    assert password not in second and "exists" in second
    assert get_user_model().objects.count() == 1


def test_admin_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("GACETA_ADMIN_PASSWORD", "from-env-123")
    assert "from-env-123" not in run()
    assert get_user_model().objects.get(username="admin").check_password("from-env-123")
