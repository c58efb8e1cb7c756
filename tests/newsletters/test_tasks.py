"""The worker: batches on the database queue, retries with growing waits, the schedule's clock."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gaceta.newsletters.models import Delivery, NewsletterIssue
from gaceta.newsletters.schedule import send_due_issues
from tests.core.test_tasks import queue, run_worker  # noqa: F401 - the database queue, as in production

pytestmark = pytest.mark.django_db(transaction=True)
NEWSROOM = ZoneInfo(django_settings.TIME_ZONE)


@pytest.mark.slow
def test_batches_go_through_the_worker_one_connection_each(queue, smtp, daily, readers, stories, settings):
    settings.GACETA_NEWSLETTER_BATCH_SIZE = 2
    call_command("send_newsletter", "daily", "--queue", verbosity=0)
    assert DBTaskResult.objects.filter(status="READY", task_path__endswith="send_issue_batch").count() == 2
    assert smtp.messages == []
    run_worker()
    assert len(smtp.messages) == 3
    assert NewsletterIssue.objects.get().status == "sent"


@pytest.mark.slow
def test_a_mail_server_that_stops_answering_is_tried_again_with_growing_waits(queue, smtp, daily, readers, stories, settings):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = 9, 2  # nothing listens
    call_command("send_newsletter", "daily", "--queue", verbosity=0)
    run_worker()
    retry = DBTaskResult.objects.get(status="READY", task_path__endswith="send_issue_batch")
    assert retry.args_kwargs["kwargs"] == {"attempt": 1}
    assert timezone.now() + timedelta(seconds=30) < retry.run_after < timezone.now() + timedelta(minutes=2)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"queued"}
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()  # still down: the next wait is twice as long
    retry = DBTaskResult.objects.get(status="READY", task_path__endswith="send_issue_batch")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert timezone.now() + timedelta(seconds=90) < retry.run_after < timezone.now() + timedelta(minutes=3)
    settings.EMAIL_PORT = port
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert len(smtp.messages) == 3 and Delivery.objects.filter(status="sent").count() == 3


def test_the_clock_sends_the_daily_at_its_time_once(smtp, daily, readers, stories):
    daily.send_time = time(7, 0)
    daily.save()
    today = timezone.localdate()
    before = datetime.combine(today, time(6, 55), tzinfo=NEWSROOM)
    with time_machine.travel(before, tick=False):
        assert send_due_issues() == 0
    with time_machine.travel(before + timedelta(minutes=10), tick=False):
        assert send_due_issues() == 1
        assert send_due_issues() == 0  # the next tick finds today's issue
    assert len(smtp.messages) == 3
    with time_machine.travel(before + timedelta(hours=12), tick=False):
        assert send_due_issues() == 0


def test_weekdays_skip_the_weekend_and_manual_lists_wait_for_an_editor(daily, breaking):
    daily.schedule = "weekdays"
    saturday = datetime(2026, 12, 5).date()
    assert daily.due_at(saturday) is None and daily.due_at(saturday + timedelta(days=2)) is not None
    assert breaking.due_at(saturday) is None


def test_the_schedule_runs_as_a_periodic_job():
    from gaceta.core import periodic

    jobs = {job.name: job for job in periodic.registered()}
    assert jobs["send-due-newsletters"].func is send_due_issues
    assert jobs["send-due-newsletters"].every == timedelta(minutes=5)
