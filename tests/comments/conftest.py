import pytest
from django.contrib.auth.models import Permission

from tests.conftest import make_member, publish_article


@pytest.fixture
def article(sections):
    return publish_article(sections["politics"], "Commented story", paragraphs=["Body."])


@pytest.fixture
def moderator(db):
    member = make_member("mod@example.org", is_staff=True, display_name="The Moderator")
    member.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="comments"),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return member


@pytest.fixture
def rules(db, settings):
    from gaceta.comments.models import CommentSettings

    rules = CommentSettings.load()
    rules.premoderate_first = 0
    rules.save()
    return rules


@pytest.fixture
def paid_commenter(db):
    return make_member("writer@example.org", paid=True, display_name="Wanda Writer")
