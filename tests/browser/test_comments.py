"""Comments in a real browser: a paid member posts and replies in place; a free member sees the
invitation and no comment text."""

import pytest

from gaceta.comments.models import Comment, CommentSettings
from tests.conftest import make_member, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, member, width=1280, **context_options):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(member.pk), settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.save()
    context = browser.new_context(viewport={"width": width, "height": 900}, **context_options)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    return context, context.new_page()


def test_paid_member_posts_and_replies_in_place(browser, live_server, sections):
    rules = CommentSettings.load()
    rules.premoderate_first = 0
    rules.save()
    article = publish_article(sections["politics"], "Talked about", paragraphs=["Body."])
    other = make_member("other@example.org", paid=True, display_name="Olga")
    Comment.objects.create(article=article, member=other, body="Existing opinion", status="published")
    member = make_member("paid@example.org", paid=True, display_name="Pat")

    context, page = signed_in_page(browser, live_server, member, width=390)
    page.goto(live_server.url + article.url + "#comments")
    page.evaluate("window.__notReloaded = true")
    page.fill("#comment-body-new", "My first thoughts")
    page.click("form[data-comment-form] >> text=Post comment")
    page.wait_for_selector(".comment__body >> text=My first thoughts")
    page.click(f"#comment-{Comment.objects.get(body='Existing opinion').pk} [data-reply]")
    reply_box = page.locator(f"#comment-body-{Comment.objects.get(body='Existing opinion').pk}")
    reply_box.fill("A reply to Olga")
    page.click(f"#comment-{Comment.objects.get(body='Existing opinion').pk} form[data-comment-form] button")
    page.wait_for_selector(".comment-replies .comment__body >> text=A reply to Olga")
    like = page.locator(f"#comment-{Comment.objects.get(body='Existing opinion').pk} [data-like-form] button").first
    like.click()
    page.wait_for_selector("[data-like-form] button[aria-pressed=true]")
    assert page.evaluate("window.__notReloaded") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert Comment.objects.get(body="A reply to Olga").parent.body == "Existing opinion"
    assert Comment.objects.get(body="Existing opinion").like_count == 1

    context, page = signed_in_page(browser, live_server, make_member("free@example.org"))
    page.goto(live_server.url + article.url)
    assert page.locator("text=Paid subscribers get all access to make & read comments.").is_visible()
    content = page.content()
    assert "Existing opinion" not in content and "My first thoughts" not in content
    assert "Comments <span class=\"count\">(3)</span>" in content
    context.close()


def test_the_first_comment_asks_for_a_name_then_never_again(browser, live_server, sections, tmp_path):
    rules = CommentSettings.load()
    rules.premoderate_first = 0
    rules.save()
    article = publish_article(sections["politics"], "First words", paragraphs=["Body."])
    other = make_member("olga@example.org", paid=True, display_name="Olga")
    existing = Comment.objects.create(article=article, member=other, body="Existing opinion", status="published")
    member = make_member("maria.lopez@example.org", paid=True)

    context, page = signed_in_page(browser, live_server, member, width=390)
    page.goto(live_server.url + article.url + "#comments")
    name = page.locator("#display-name-new")
    assert name.input_value() == member.pseudonym
    page.screenshot(path=str(tmp_path / "first-comment-390.png"), full_page=True)
    name.fill("María L.")
    page.fill("#comment-body-new", "Hello from Oaxaca")
    page.click("form[data-comment-form] >> text=Post comment")
    page.wait_for_selector(".comment__meta >> text=María L.")
    assert page.locator(".comment-form__name").count() == 0
    page.click(f"#comment-{existing.pk} [data-reply]")
    reply = page.locator(f"#comment-{existing.pk} form[data-comment-form]")
    assert reply.locator("input[name=display_name]").count() == 0
    reply.locator(f"label[for=comment-body-{existing.pk}]").click()
    page.keyboard.type("And a reply")
    reply.locator("button").click()
    page.wait_for_selector(".comment-replies .comment__body >> text=And a reply")
    assert "maria.lopez" not in page.content()
    context.close()
    assert Comment.objects.get(body="And a reply").member.display_name == "María L."


def test_the_first_comment_replaces_the_invitation_to_start_the_conversation(browser, live_server, sections):
    """Held for moderation, it shows to its author in place of "No comments yet"."""
    article = publish_article(sections["politics"], "Nobody spoke yet", paragraphs=["Body."])
    member = make_member("paid@example.org", paid=True, display_name="Pat")
    context, page = signed_in_page(browser, live_server, member)
    page.goto(live_server.url + article.url + "#comments")
    assert page.locator(".comment-list .empty").is_visible()
    page.fill("#comment-body-new", "The very first word")
    page.click("form[data-comment-form] >> text=Post comment")
    page.wait_for_selector(".comment__body >> text=The very first word")
    assert page.locator(".comment__pending").is_visible()
    assert "No comments yet" not in page.locator(".comment-list").inner_text()
    context.close()
