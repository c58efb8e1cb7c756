"""Background work for newsletters (django-tasks): sending an issue in batches."""

import logging
from django_tasks import task

from gaceta.core.tasks import retry_later

from . import sending

logger = logging.getLogger(__name__)


@task()
def send_issue_batch(issue_id: int, first_pk: int, last_pk: int, attempt: int = 0) -> int:
    """Send one batch. A mail server or provider that stops answering is tried again later, each
    wait twice the last; rows already sent are never sent again."""
    try:
        return sending.send_batch(issue_id=issue_id, first_pk=first_pk, last_pk=last_pk).sent
    except sending.SendInterrupted:
        if not retry_later(send_issue_batch, issue_id, first_pk, last_pk, attempt=attempt):
            raise
        return 0


@task()
def send_issue(issue_id: int) -> int:
    """List the recipients and queue the batches (an editor pressed Send)."""
    from .models import NewsletterIssue

    return sending.start_sending(NewsletterIssue.objects.select_related("newsletter").get(pk=issue_id))
