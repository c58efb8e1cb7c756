import html
import re

import pytest
from django.contrib.auth import get_user_model

from gaceta.comments import services
from gaceta.comments.models import Comment, CommentReport, ModerationAction
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return make_member("new@example.org", paid=True, display_name="Newcomer")


def test_first_comments_wait_for_a_moderator_then_appear(client, article, member, moderator, rules):
    rules.premoderate_first = 1
    rules.save()
    first = services.post_comment(member=member, article=article, body="My first comment")
    assert first.status == "pending"
    client.force_login(member)
    assert "awaiting moderation" in client.get(article.url).text  # its author sees it
    other = make_member("other@example.org", paid=True)
    client.force_login(other)
    assert "My first comment" not in client.get(article.url).text
    assert 'Comments <span class="count">(0)</span>' in client.get(article.url).text
    services.moderate(moderator=moderator, comment=first, action="approve")
    assert 'Comments <span class="count">(1)</span>' in client.get(article.url).text
    second = services.post_comment(member=member, article=article, body="Second goes straight up")
    assert second.status == "published"


def test_banned_words_and_too_many_links_go_to_the_queue(article, member, rules):
    rules.banned_words = "scam\nbuy now"
    rules.max_links = 1
    rules.save()
    assert services.post_comment(member=member, article=article, body="This is a SCAM").status == "pending"
    links = "See https://a.example and https://b.example"
    assert services.post_comment(member=member, article=article, body=links).status == "pending"
    assert services.post_comment(member=member, article=article, body="Fine words").status == "published"


def test_banned_members_cannot_post_but_can_still_report(article, member, moderator, rules):
    comment = services.post_comment(member=member, article=article, body="Rude")
    services.moderate(moderator=moderator, comment=comment, action="ban")
    member = get_user_model().objects.get(pk=member.pk)
    assert member.banned_from_comments_at is not None
    assert Comment.objects.get(pk=comment.pk).status == "hidden"
    with pytest.raises(services.PermissionDenied):
        services.post_comment(member=member, article=article, body="Again")
    other = services.post_comment(member=make_member("o@example.org", paid=True, display_name="Other"), article=article, body="Something")
    services.report_comment(member=member, comment=other, reason="Off topic")
    assert CommentReport.objects.filter(member=member).exists()


def test_every_moderator_action_is_logged(article, member, moderator, rules):
    comment = services.post_comment(member=member, article=article, body="Log me")
    for action in ("feature", "unfeature", "reject", "approve"):
        services.moderate(moderator=moderator, comment=comment, action=action)
    assert list(ModerationAction.objects.order_by("created_at", "pk").values_list("action", flat=True)) == [
        "feature", "unfeature", "reject", "approve"]
    assert all(entry.moderator == moderator for entry in ModerationAction.objects.all())


def test_moderation_queue_filters_and_bulk_actions(client, article, member, moderator, rules):
    rules.premoderate_first = 5
    rules.save()
    waiting = [services.post_comment(member=member, article=article, body=f"Waiting {n}") for n in range(3)]
    published = Comment.objects.create(article=article, member=moderator, body="Reported one", status="published")
    Comment.objects.create(article=article, imported_author_name="Wordpress Reader", body="Imported, waiting")
    CommentReport.objects.create(comment=published, member=member, reason="Rude")
    Comment.objects.create(article=article, member=moderator, body="Quiet one", status="published")  # newer
    client.force_login(moderator)
    listing = client.get("/admin/snippets/comments/comment/").text  # opens on what waits, above the rest
    assert "<h1" in listing and "Moderation queue" in listing.split("<h1", 1)[1].split("</h1>")[0]
    assert max(listing.index(c.body) for c in waiting) < listing.index("Reported one") < listing.index("Quiet one")
    assert f"{member.public_name} ({member.email})" in listing and ">False<" not in listing
    table = listing.split("<table", 1)[1].split("</table>", 1)[0]
    assert "Add comment" not in listing and "icon-cross" not in table  # readers write comments; no row looks failed
    assert client.get("/admin/snippets/comments/comment/add/").status_code in (302, 403)
    assert "Imported, waiting" in listing and "Wordpress Reader" in listing  # no member: no address
    pending = client.get("/admin/snippets/comments/comment/", {"status": "pending"}).text
    assert all(c.body in pending for c in waiting) and "Reported one" not in pending
    reported = client.get("/admin/snippets/comments/comment/", {"reported": "true"}).text
    assert "Reported one" in reported and "Waiting 0" not in reported
    by_member = client.get("/admin/snippets/comments/comment/", {"member": "new@"}).text
    assert "Waiting 1" in by_member and "Reported one" not in by_member
    ids = "&".join(f"id={c.pk}" for c in waiting)
    url = f"/admin/bulk/comments/comment/approve/?{ids}&next=/admin/"
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Approve these 3 comments?" in page
    assert re.search(r'<button type="submit" class="button button">\s*Approve\s*</button>', page)  # labelled buttons
    assert re.search(r'class="button button-secondary">\s*No, go back\s*</a>', page)
    response = client.post(url, follow=True)
    assert "3 comments approved." in response.content.decode()
    assert set(Comment.objects.filter(pk__in=[c.pk for c in waiting]).values_list("status", flat=True)) == {"published"}
    assert ModerationAction.objects.filter(action="approve").count() == 3


def test_a_rows_menu_approves_or_rejects_that_comment(client, article, member, moderator, rules):
    rules.premoderate_first = 5
    rules.save()
    waiting = services.post_comment(member=member, article=article, body="Waiting one")
    shown = Comment.objects.create(article=article, member=moderator, body="Shown one", status="published")
    client.force_login(moderator)
    listing = client.get("/admin/snippets/comments/comment/", {"status": "pending"}).text
    approve = f"/admin/bulk/comments/comment/approve/?id={waiting.pk}&amp;next="
    assert approve in listing and f"/admin/bulk/comments/comment/reject/?id={waiting.pk}&amp;next=" in listing
    full = client.get("/admin/snippets/comments/comment/").text
    assert f"approve/?id={shown.pk}&amp;" not in full and f"reject/?id={shown.pk}&amp;" in full  # only what applies
    url = html.unescape(re.search(f'href="({re.escape(approve)}[^"]*)"', listing).group(1))
    assert "Approve this comment?" in client.get(url).text
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/admin/snippets/comments/comment/?status=pending"
    waiting.refresh_from_db()
    assert waiting.status == "published" and ModerationAction.objects.filter(comment=waiting, action="approve").exists()


def test_members_without_the_permission_cannot_open_the_queue(client, member):
    client.force_login(member)
    assert client.get("/admin/snippets/comments/comment/").status_code in (302, 403)
