"""A reader signs up with a code from a real SMTP server, subscribes through the local Stripe
server, and reads a paid story in full; a free member sees only its opening."""

import re
import socket
import time

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import publish_article
from tests.payments.fake_stripe import FakeStripe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"

    def code_for(self, address: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for recipients, content in reversed(self.messages):
                if address in recipients and (match := re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", content, re.M)):
                    return match.group(1)
            time.sleep(0.1)
        raise AssertionError(f"No code was mailed to {address}")


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


@pytest.fixture
def stripe_server(settings, live_server):
    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = fake.api_key, fake.webhook_secret
        settings.STRIPE_API_BASE = fake.url
        fake.webhook_url = live_server.url + "/payments/stripe/webhook/"
        yield fake


def sign_up(page, base_url, email, inbox):
    page.goto(base_url + "/accounts/signup/")
    page.fill("main input[name=email]", email)
    page.click("main form:has(input[name=email]) button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    page.fill("main input[name=code]", inbox.code_for(email))
    page.click("main form:has(input[name=code]) button[type=submit]")
    page.wait_for_url(re.compile(r"/account/$"))


def test_sign_up_subscribe_and_read_a_paid_story(browser, live_server, sections, inbox, stripe_server, settings):
    settings.GACETA_PREVIEW_PARAGRAPHS = 1
    settings.GACETA_BASE_URL = live_server.url  # Stripe sends the browser back to the site's address
    story = publish_article(sections["politics"], "Paid scoop", paragraphs=["The opening.", "THE-PAID-REVELATION."], visibility="paid")
    subscriber = browser.new_context(viewport={"width": 390, "height": 900})
    page = subscriber.new_page()
    sign_up(page, live_server.url, "sub@example.org", inbox)
    assert "Free member" in page.content()

    page.goto(live_server.url + "/subscribe/")
    page.click("button:has-text('Subscribe monthly')")
    page.wait_for_url(re.compile(re.escape(stripe_server.url) + "/pay/"))
    page.click("button:has-text('Pay')")
    page.wait_for_url(re.compile(r"/account/$"))
    assert "Paid subscriber" in page.content()

    page.goto(live_server.url + story.url)
    assert page.locator("text=THE-PAID-REVELATION.").is_visible()
    subscriber.close()

    reader = browser.new_context()
    page = reader.new_page()
    sign_up(page, live_server.url, "free@example.org", inbox)
    page.goto(live_server.url + story.url)
    assert page.locator("text=The opening.").is_visible()
    assert "THE-PAID-REVELATION." not in page.content()
    assert page.locator("text=Subscribe to keep reading").is_visible()
    reader.close()
