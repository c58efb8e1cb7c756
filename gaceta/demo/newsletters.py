"""The demo's newsletters, "The Daily" and "Breaking news", and who is on The Daily."""

from datetime import time

DEMO_SUBSCRIBERS = ["reader@example.org", "subscriber@example.org"]
DEMO_POSTAL_ADDRESS = "Gaceta demo newsroom, 1 Example Street, 00000 Example City"


def ensure_demo_newsletters() -> int:
    """Idempotent: creates what is missing and returns how many subscriptions it added."""
    from gaceta.members.models import Member
    from gaceta.newsletters.models import Newsletter, NewsletterSubscription
    from gaceta.newsletters.services import subscribe

    daily, _ = Newsletter.objects.get_or_create(slug="daily", defaults={
        "name": "The Daily", "description": "The day's stories, every morning.",
        "kind": Newsletter.Kind.DIGEST, "schedule": Newsletter.Schedule.DAILY, "send_time": time(7, 0),
    })
    Newsletter.objects.get_or_create(slug="breaking", defaults={
        "name": "Breaking news", "description": "An alert when big news breaks.",
        "kind": Newsletter.Kind.ALERT, "schedule": Newsletter.Schedule.MANUAL,
    })
    added = 0
    for email in DEMO_SUBSCRIBERS:
        member = Member.objects.filter(email__iexact=email).first()
        on_list = NewsletterSubscription.objects.filter(newsletter=daily, email__iexact=email).exists()
        if member and not on_list:
            subscribe(newsletter=daily, email=email, member=member)
            added += 1
    return added
