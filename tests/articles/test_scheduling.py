"""Scheduled go-live and expiry take effect on the clock, with nothing run by hand."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command, get_commands
from django_tasks_db.models import DBTaskResult
from wagtail.signals import page_published

from gaceta.search.retrieval import search_passages
from gaceta.articles.models import ArticlePage
from gaceta.core import periodic
from gaceta.core.models import PeriodicRun
from tests.conftest import local, publish_article


def schedule_story(section, title, go_live_at, paragraph="The council of Teotitlán met on Monday."):
    """An editor sets a go-live time and publishes: the revision waits for its time."""
    article = ArticlePage(
        title=title, dek=f"Summary of {title}.", body=[("paragraph", f"<p>{paragraph}</p>")],
        live=False, go_live_at=go_live_at,
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def ask_finds(words):
    return [passage.article_id for passage in search_passages(words, reader=AnonymousUser())]


@pytest.mark.django_db
def test_a_story_scheduled_for_ten_goes_live_at_the_run_at_ten_not_before(client, sections):
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        story = schedule_story(sections["politics"], "Teotitlán council elects its first woman president", local(2026, 3, 2, 10, 0))
        assert not story.live
    with time_machine.travel(local(2026, 3, 2, 9, 59), tick=False):
        assert "publish-scheduled" in periodic.run_due_jobs()
        assert not ArticlePage.objects.get(pk=story.pk).live
        assert "Teotitlán council" not in client.get("/").text
        assert ask_finds("Teotitlán council") == []
    # The clock ticks just after each minute boundary.
    with time_machine.travel(local(2026, 3, 2, 10, 0) + timedelta(seconds=1), tick=False):
        assert "publish-scheduled" in periodic.run_due_jobs()
        story = ArticlePage.objects.get(pk=story.pk)
        assert story.live and story.first_published_at == local(2026, 3, 2, 10, 0) + timedelta(seconds=1)
        assert "Teotitlán council elects its first woman president" in client.get("/").text
        assert client.get(story.url).status_code == 200
        assert story.pk in ask_finds("Teotitlán council")


@pytest.mark.django_db
def test_an_expiring_story_comes_down_on_the_clock(client, sections):
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        story = publish_article(sections["politics"], "Road closures for the marathon",
                                paragraphs=["Reforma closes on Sunday."], expire_at=local(2026, 3, 2, 12, 0))
        url = story.url
        assert client.get(url).status_code == 200
    with time_machine.travel(local(2026, 3, 2, 12, 0) + timedelta(seconds=1), tick=False):
        periodic.run_due_jobs()
        story.refresh_from_db()
        assert not story.live and story.expired
        assert client.get(url).status_code == 404
        assert "Road closures" not in client.get("/").text
        assert ask_finds("Reforma marathon") == []


@pytest.mark.django_db
def test_each_job_runs_once_a_period_however_many_processes_tick(monkeypatch):
    calls = []
    monkeypatch.setattr(periodic, "_jobs", {})
    periodic.register("count", lambda: calls.append(1))
    periodic.register("hourly", lambda: calls.append(60), every=timedelta(hours=1))
    with time_machine.travel(local(2026, 3, 2, 10, 0) + timedelta(seconds=5), tick=False):
        assert periodic.run_due_jobs() == ["count", "hourly"]
        assert periodic.run_due_jobs() == []  # a second process in the same minute
    with time_machine.travel(local(2026, 3, 2, 10, 1) + timedelta(microseconds=300), tick=False):
        assert periodic.run_due_jobs() == ["count"]
    with time_machine.travel(local(2026, 3, 2, 11, 0) + timedelta(seconds=2), tick=False):
        assert periodic.run_due_jobs() == ["count", "hourly"]
    assert calls == [1, 60, 1, 1, 60]
    assert PeriodicRun.objects.get(name="hourly").last_run_at == local(2026, 3, 2, 11, 0) + timedelta(seconds=2)
    with pytest.raises(ValueError):
        periodic.register("too-often", print, every=timedelta(seconds=30))


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(monkeypatch, caplog):
    calls = []
    monkeypatch.setattr(periodic, "_jobs", {})
    periodic.register("broken", lambda: 1 / 0)
    periodic.register("fine", lambda: calls.append("fine"))
    assert periodic.run_due_jobs() == ["broken", "fine"]
    assert calls == ["fine"] and "Periodic job broken failed" in caplog.text


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_ticks():
    return DBTaskResult.objects.filter(task_path=periodic.tick.module_path, status="READY")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_one_tick_queued_and_publishes_on_it(sections, queue):
    with time_machine.travel(local(2026, 3, 2, 9, 58), tick=False):
        story = schedule_story(sections["politics"], "Oaxaca budget passes", local(2026, 3, 2, 10, 0), "The budget passed in Oaxaca.")
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # what is queued so far
        assert not waiting_ticks().exists()  # a batch run starts no clock
    with time_machine.travel(local(2026, 3, 2, 9, 59) + timedelta(seconds=58.5), tick=True):
        # The worker, as `make worker` starts it, queues the clock's first tick for 10:00 and
        # runs it when the minute comes (max_tasks lets the test stop it after one task).
        call_command("db_worker", max_tasks=1, startup_delay=False, interval=0.2, verbosity=0)
        assert ArticlePage.objects.get(pk=story.pk).live
        [next_tick] = waiting_ticks()  # the tick queued the next one, and only one
        assert next_tick.run_after == local(2026, 3, 2, 10, 1)
        assert not periodic.queue_next_tick() and waiting_ticks().count() == 1
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # the reindex task
        assert story.pk in ask_finds("budget Oaxaca")
        assert waiting_ticks().count() == 1


@pytest.mark.django_db
def test_tasks_that_run_at_once_queue_no_tick():
    assert periodic.queue_next_tick() is False
    assert not DBTaskResult.objects.exists()


def test_make_run_serves_with_the_clock_running(monkeypatch):
    from gaceta.core.management.commands import runserver

    assert get_commands()["runserver"] == "gaceta.core"
    assert get_commands()["db_worker"] == "gaceta.core"
    started = []
    monkeypatch.setattr(periodic, "start_ticker", lambda: started.append(True))
    monkeypatch.setattr(runserver.StaticfilesRunserver, "inner_run", lambda self, *a, **k: None)
    runserver.Command().inner_run(use_threading=True)
    assert started == [True]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_ticker_thread_runs_due_jobs_at_each_minute(sections):
    published = threading.Event()

    def on_publish(sender, instance, **kwargs):
        if instance.title == "Peso closes higher" and instance.live:
            published.set()

    with time_machine.travel(local(2026, 3, 2, 9, 59) + timedelta(seconds=58), tick=True):
        story = schedule_story(sections["business"], "Peso closes higher", local(2026, 3, 2, 10, 0), "The peso rose.")
        page_published.connect(on_publish, weak=False)
        ticker = periodic.start_ticker()  # runs at once (09:59), then just after 10:00
        try:
            # Wait without touching the database: SQLite's shared in-memory test database
            # locks whole tables while the ticker's thread writes.
            assert published.wait(15)
        finally:
            ticker.stop()
            ticker.join(10)
            page_published.disconnect(on_publish)
        assert not ticker.is_alive()
        assert ArticlePage.objects.get(pk=story.pk).live
