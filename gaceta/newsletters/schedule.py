"""Issues on schedule, from the worker alone: a task that runs every few minutes and re-queues itself.

`ensure_clock` is idempotent: it queues the task only when no copy is waiting, so calling it
from `migrate`, from each tick and from `send_newsletter` keeps exactly one clock going. The
immediate backend (`make run` without a worker) cannot wait, so there the clock does not run.
"""

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


def ensure_clock(*, after=None) -> bool:
    """Queue `send_scheduled_issues` unless a copy already waits. Returns whether it queued one."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import send_scheduled_issues

    backend = send_scheduled_issues.get_backend()
    if not backend.supports_defer:
        return False
    waiting = DBTaskResult.objects.filter(task_path=send_scheduled_issues.module_path, status="READY")
    if waiting.exists():
        return False
    send_scheduled_issues.using(run_after=after or timezone.now()).enqueue()
    return True
