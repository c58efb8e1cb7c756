"""Sending an issue through a real SMTP server on loopback, and reading it as a mail client does."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gaceta.newsletters import sending, services
from gaceta.newsletters.models import Delivery, NewsletterIssue, NewsletterSubscription
from tests.conftest import publish_article


pytestmark = pytest.mark.django_db


def send_today(newsletter):
    issue = services.issue_for_today(newsletter)
    for first, last in sending.prepare_sending(issue):
        sending.send_batch(issue_id=issue.pk, first_pk=first, last_pk=last)
    issue.refresh_from_db()
    return issue


def parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_the_daily_reaches_every_subscriber_once_with_both_parts(smtp, daily, readers, stories):
    issue = send_today(daily)
    assert issue.status == NewsletterIssue.Status.SENT
    assert sorted(m["To"] for m in smtp.messages) == ["guest@example.net", "reader@example.org", "subscriber@example.org"]
    message = smtp.to("reader@example.org")[0]
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert "Congress passes the budget" in text and "Congress passes the budget" in html
    assert message["From"] == "Gaceta <newsroom@example.org>"
    assert "The Daily" in message["List-Id"]


def test_every_message_has_its_own_one_click_unsubscribe(smtp, daily, readers, stories):
    send_today(daily)
    urls = set()
    for message in smtp.messages:
        header = message["List-Unsubscribe"]
        https, mailto = re.findall(r"<([^>]+)>", header)
        assert https.startswith("http://testserver/newsletters/unsubscribe/") and mailto.startswith("mailto:unsubscribe@")
        assert message["To"] not in https and message["To"].split("@")[0] not in https  # never the address in clear
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text, html = parts(message)
        assert https in text and f'href="{https}"' in html  # a visible link too
        urls.add(https)
    assert len(urls) == 3


@pytest.mark.slow
def test_a_one_click_post_without_cookies_unsubscribes_at_once(smtp, daily, readers, stories):
    issue = send_today(daily)
    message = smtp.to("reader@example.org")[0]
    url = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])[0]
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("http://testserver"), data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert 200 <= response.status_code < 300
    assert NewsletterSubscription.objects.get(email="reader@example.org").status == "unsubscribed"
    assert NewsletterSubscription.objects.get(email="subscriber@example.org").status == "active"
    stats = sending.issue_stats(NewsletterIssue.objects.filter(pk=issue.pk)).get()
    assert (stats.recipients, stats.sent, stats.failed, stats.bounced, stats.unsubscribed) == (3, 3, 0, 0, 1)
    # Replayed: the same state, still 2xx.
    assert Client().post(url.removeprefix("http://testserver")).status_code == 200
    assert sending.issue_stats(NewsletterIssue.objects.filter(pk=issue.pk)).get().unsubscribed == 1


@pytest.mark.slow
def test_a_link_scanner_opening_the_link_unsubscribes_no_one(smtp, daily, readers, stories):
    send_today(daily)
    url = re.findall(r"<([^>]+)>", smtp.messages[0]["List-Unsubscribe"])[0]
    response = Client().get(url.removeprefix("http://testserver"))
    assert response.status_code == 200 and b"Unsubscribe me" in response.content
    assert not NewsletterSubscription.objects.filter(status="unsubscribed").exists()
    assert Client().post("/newsletters/unsubscribe/1:forged/").status_code == 404


@pytest.mark.slow
def test_locked_stories_show_headline_summary_and_link_but_never_their_text(smtp, daily, readers, stories):
    send_today(daily)
    paid_url = f"http://testserver{stories['paid'].url}"
    for address in ("guest@example.net", "reader@example.org"):
        text, html = parts(smtp.to(address)[0])
        for part in (text, html):
            assert "Inside the budget deal" in part and "Summary of Inside the budget deal." in part
            assert paid_url in part
            assert "Secret paid paragraph" not in part
    guest_text, _ = parts(smtp.to("guest@example.net")[0])
    free_text, _ = parts(smtp.to("reader@example.org")[0])
    assert "Members-only explainer text." not in guest_text and "Members-only explainer text." in free_text
    paid_text, paid_html = parts(smtp.to("subscriber@example.org")[0])
    assert "Secret paid paragraph one." in paid_text and "Secret paid paragraph two." in paid_html


@pytest.mark.slow
def test_html_is_inlined_and_carries_the_postal_address_and_no_tracking(smtp, daily, readers, stories):
    from gaceta.core.models import NewsroomSettings

    NewsroomSettings.objects.update_or_create(pk=NewsroomSettings.load().pk, defaults={"postal_address": "Calle Madero 12, CDMX"})
    send_today(daily)
    text, html = parts(smtp.messages[0])
    assert "<style" not in html and 'style="' in html  # CSS moved onto the elements
    assert re.search(r'<h2 class="nl-story__title" style="[^"]*font-size: ?21px', html)
    assert "Calle Madero 12, CDMX" in html and "Calle Madero 12, CDMX" in text
    assert "<img" not in html  # no pixel
    links = re.findall(r'href="([^"]+)"', html)
    assert links and all(link.startswith("http://testserver/") for link in links)  # none rewritten


def test_run_again_when_all_is_sent_it_sends_nothing(smtp, daily, readers, stories):
    send_today(daily)
    assert len(smtp.messages) == 3
    send_today(daily)
    assert len(smtp.messages) == 3
    assert Delivery.objects.filter(status="sent").count() == 3


def test_only_confirmed_subscribers_in_the_audience_receive(smtp, daily, readers, stories):
    NewsletterSubscription.objects.create(newsletter=daily, email="pending@example.org")  # not confirmed
    daily.audience = "paid"
    daily.save()
    send_today(daily)
    assert [m["To"] for m in smtp.messages] == ["subscriber@example.org"]


def test_a_refused_address_is_marked_failed_and_the_others_still_sent(smtp, daily, readers, stories):
    smtp.refuse.add("guest@example.net")
    issue = send_today(daily)
    assert Delivery.objects.get(email="guest@example.net").status == "failed"
    assert Delivery.objects.filter(status="sent").count() == 2 and issue.status == "sent"


def test_the_daily_holds_front_page_stories_and_everything_since_the_last_issue(daily, sections, stories):
    first = services.build_digest_issue(newsletter=daily)
    assert {s.article_id for s in first.stories.all()} == {a.pk for a in stories.values()}
    NewsletterIssue.objects.filter(pk=first.pk).update(status="sent", sent_at=timezone.now())
    later = publish_article(sections["business"], "Peso rises")
    second = services.build_digest_issue(newsletter=daily, day=timezone.localdate() + timedelta(days=1))
    ids = [s.article_id for s in second.stories.order_by("sort_order")]
    assert later.pk in ids and len(ids) == len(set(ids))  # the lead and top stories, then the new one, once each


def test_a_quiet_day_still_has_the_front_page(daily, sections, stories):
    NewsletterIssue.objects.create(newsletter=daily, issue_date=timezone.localdate(), subject="x", status="sent", sent_at=timezone.now())
    issue = services.build_digest_issue(newsletter=daily)
    assert issue.stories.count() >= 1


def test_an_unpublished_story_is_not_sent(smtp, daily, readers, stories):
    issue = services.issue_for_today(daily)
    stories["public"].unpublish()
    for first, last in sending.prepare_sending(issue):
        sending.send_batch(issue_id=issue.pk, first_pk=first, last_pk=last)
    text, _ = parts(smtp.messages[0])
    assert "Congress passes the budget" not in text


def test_the_sent_issue_has_a_public_page_locked_as_in_the_email(smtp, daily, readers, stories, client):
    issue = send_today(daily)
    page = client.get(f"/newsletters/daily/{issue.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Inside the budget deal" in body and "Secret paid paragraph" not in body
    assert "Open text of the budget story." in body
    assert 'style="' not in body.split("<main", 1)[1]
    client.force_login(readers["paid"])
    assert "Secret paid paragraph one." in client.get(f"/newsletters/daily/{issue.pk}/").content.decode()
    archive = client.get("/newsletters/daily/")
    assert issue.subject in archive.content.decode()


def test_a_draft_issue_has_no_public_page(daily, stories, client):
    issue = services.build_digest_issue(newsletter=daily)
    assert client.get(f"/newsletters/daily/{issue.pk}/").status_code == 404
