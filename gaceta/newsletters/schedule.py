"""Issues on schedule: `send_due_issues` is a periodic job (gaceta.core.periodic, registered in
apps.py) that runs every few minutes on the worker and under `make run`."""

import logging
from datetime import timedelta

from django.utils import timezone

from .models import Newsletter, NewsletterIssue

logger = logging.getLogger(__name__)
LATE_LIMIT = timedelta(hours=6)  # a worker down all morning does not send the Daily at night


def send_due_issues(now=None) -> int:
    from . import sending, services

    now = now or timezone.now()
    today = timezone.localdate(now)
    started = 0
    for newsletter in Newsletter.objects.filter(is_active=True, kind=Newsletter.Kind.DIGEST):
        due = newsletter.due_at(today)
        if due is None or not (due <= now < due + LATE_LIMIT):
            continue
        if newsletter.issues.filter(issue_date=today).exclude(status=NewsletterIssue.Status.DRAFT).exists():
            continue
        issue = services.issue_for_today(newsletter)
        sending.start_sending(issue)
        started += 1
        logger.info("Scheduled newsletter %s: issue %s started", newsletter.slug, issue.pk)
    return started
