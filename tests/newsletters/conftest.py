"""A real SMTP server on loopback (aiosmtpd) that keeps what it is sent, and newsletter fixtures."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from gaceta.newsletters.models import Newsletter, NewsletterSubscription
from tests.conftest import make_member, publish_article


class Inbox:
    """What the SMTP server accepted, parsed as a mail client would."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    yield inbox
    controller.stop()


@pytest.fixture
def daily(db):
    return Newsletter.objects.create(name="The Daily", slug="daily", description="Every morning.")


@pytest.fixture
def breaking(db):
    return Newsletter.objects.create(name="Breaking news", slug="breaking", kind=Newsletter.Kind.ALERT,
                                     schedule=Newsletter.Schedule.MANUAL)


@pytest.fixture
def stories(sections):
    politics = sections["politics"]
    return {
        "public": publish_article(politics, "Congress passes the budget", paragraphs=["Open text of the budget story."]),
        "paid": publish_article(politics, "Inside the budget deal", visibility="paid",
                                paragraphs=["Secret paid paragraph one.", "Secret paid paragraph two."]),
        "members": publish_article(politics, "Members explainer", visibility="members",
                                   paragraphs=["Members-only explainer text."]),
    }


def on_list(newsletter, email_address, member=None):
    return NewsletterSubscription.objects.create(
        newsletter=newsletter, email=email_address, member=member, status=NewsletterSubscription.Status.ACTIVE
    )


@pytest.fixture
def readers(daily):
    """A free member, a paid member and an address with no account, all on The Daily."""
    free = make_member("reader@example.org")
    paid = make_member("subscriber@example.org", paid=True)
    on_list(daily, free.email, free)
    on_list(daily, paid.email, paid)
    on_list(daily, "guest@example.net")
    return {"free": free, "paid": paid}
