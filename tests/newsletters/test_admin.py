"""Staff: issues with their numbers, a preview as a free and a paid reader, a test send, sending,
and a breaking alert from a story's page."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from gaceta.newsletters import services
from gaceta.newsletters.models import Delivery, NewsletterIssue
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
ISSUES = "/admin/snippets/newsletters/newsletterissue/"


@pytest.fixture
def editor(db):
    member = make_member("editor@example.org", is_staff=True)
    member.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="newsletters"),
    )
    return member


@pytest.fixture
def page_editor(editor):
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


@pytest.fixture
def issue(daily, stories):
    return services.build_digest_issue(newsletter=daily)


def test_the_preview_shows_exactly_what_a_free_and_a_paid_reader_get(client, editor, issue):
    client.force_login(editor)
    page = client.get(f"{ISSUES}preview/{issue.pk}/")
    assert page.status_code == 200
    free = client.get(f"{ISSUES}preview/{issue.pk}/free.html").content.decode()
    paid = client.get(f"{ISSUES}preview/{issue.pk}/paid.html").content.decode()
    assert "Inside the budget deal" in free and "Secret paid paragraph" not in free
    assert "Secret paid paragraph one." in paid
    assert f"preview/{issue.pk}/free.html" in page.content.decode() and f"preview/{issue.pk}/paid.html" in page.content.decode()
    assert "<h2>As a newsletter subscriber without an account</h2>" in page.content.decode()
    assert "As a anonymous" not in page.content.decode()


def test_an_issue_is_named_once_by_its_newsletter(daily, issue):
    assert issue.subject.startswith("The Daily: ") and str(issue) == issue.subject
    issue.subject = "Budget day"
    assert str(issue) == "The Daily: Budget day"


def test_a_test_send_goes_to_the_editor_only(client, editor, issue, readers):
    client.force_login(editor)
    client.post(f"{ISSUES}test/{issue.pk}/", {"tier": "paid"})
    [message] = mail.outbox
    assert message.to == ["editor@example.org"] and message.subject.startswith("[Test, as a paid subscriber]")
    assert "Secret paid paragraph one." in message.alternatives[0][0]
    assert not Delivery.objects.exists()


def test_editors_reorder_drop_and_introduce_stories_before_sending(client, editor, issue, stories, readers):
    client.force_login(editor)
    items = list(issue.stories.order_by("sort_order"))
    data = {"subject": "Budget day", "introduction": "Good morning from the newsroom.",
            "stories-TOTAL_FORMS": len(items), "stories-INITIAL_FORMS": len(items),
            "stories-MIN_NUM_FORMS": 0, "stories-MAX_NUM_FORMS": 1000}
    for index, item in enumerate(items):  # as the admin's drag and drop posts it: new ORDER values
        data.update({f"stories-{index}-id": item.pk, f"stories-{index}-article": item.article_id,
                     f"stories-{index}-ORDER": len(items) - index, f"stories-{index}-DELETE": ""})
    data["stories-0-DELETE"] = "1"  # drop the first story
    response = client.post(f"{ISSUES}edit/{issue.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    issue.refresh_from_db()
    kept = [s.article_id for s in issue.stories.order_by("sort_order")]
    assert kept == [item.article_id for item in reversed(items)][:-1]
    client.post(f"{ISSUES}send/{issue.pk}/")
    issue.refresh_from_db()
    assert issue.status == "sent" and len(mail.outbox) == 3
    assert "Good morning from the newsroom." in mail.outbox[0].body and mail.outbox[0].subject == "Budget day"


def test_the_issue_list_shows_each_issues_numbers(client, editor, issue, readers):
    client.force_login(editor)
    client.post(f"{ISSUES}send/{issue.pk}/")
    Delivery.objects.filter(email="reader@example.org").update(status="bounced")
    listing = client.get(ISSUES).content.decode()
    assert issue.subject in listing
    stats = client.get(f"{ISSUES}preview/{issue.pk}/").content.decode()
    assert "Recipients 3 · sent 2 · failed 0 · bounced 1 · unsubscribed 0" in stats


def test_a_breaking_alert_is_sent_from_the_storys_page(client, page_editor, breaking, stories):
    from tests.newsletters.conftest import on_list

    on_list(breaking, "alerts@example.org")
    client.force_login(page_editor)
    story = stories["public"]
    edit_page = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert f"/admin/newsletters/breaking/{story.pk}/" in edit_page
    response = client.post(f"/admin/newsletters/breaking/{story.pk}/", {"subject": "BREAKING: budget passes"})
    alert = NewsletterIssue.objects.get(newsletter=breaking)
    assert response.status_code == 302 and [s.article_id for s in alert.stories.all()] == [story.pk]
    client.post(f"{ISSUES}send/{alert.pk}/")
    [message] = mail.outbox
    assert message.subject == "BREAKING: budget passes" and message.to == ["alerts@example.org"]


def test_readers_and_staff_without_the_permission_cannot_preview_or_send(client, issue, readers):
    moderator = make_member("mod@example.org", is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(moderator)
    assert client.get(f"{ISSUES}preview/{issue.pk}/paid.html").status_code in (302, 403)
    assert client.post(f"{ISSUES}send/{issue.pk}/").status_code in (302, 403)
    client.force_login(readers["free"])
    assert client.get(f"{ISSUES}preview/{issue.pk}/paid.html").status_code == 302  # to the admin login
    assert not Delivery.objects.exists() and mail.outbox == []


def test_a_sent_issue_can_no_longer_change(client, editor, issue, readers):
    client.force_login(editor)
    client.post(f"{ISSUES}send/{issue.pk}/")
    response = client.post(f"{ISSUES}edit/{issue.pk}/", {"subject": "Changed afterwards", "stories-TOTAL_FORMS": 0,
                                                          "stories-INITIAL_FORMS": 0})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject != "Changed afterwards" and issue.stories.count() == 3


def test_subscribers_and_issues_are_not_added_by_hand(client, editor, issue):
    """Addresses join by confirming; issues are built from the front page or a story."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-for-tests"))
    for listing in (ISSUES, ISSUES.replace("newsletterissue", "newslettersubscription")):
        page = client.get(listing)
        assert page.status_code == 200 and f'href="{listing}add/"' not in page.text
        assert client.get(f"{listing}add/").status_code in (302, 403)
