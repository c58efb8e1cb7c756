"""Jobs that run on a clock: register a callable with an interval, and it runs once a period.

    from gaceta.core import periodic
    periodic.register("publish-scheduled", publish_scheduled)            # each minute
    periodic.register("daily-digest", send_digest, every=timedelta(days=1))

Nothing has to be run by hand (no cron). Two things keep the clock going:
- the worker (`make worker`, `manage.py db_worker`) keeps one `tick` task queued for the next
  minute boundary; each tick runs the jobs that are due, then queues the next tick;
- the development server (`make run`, `manage.py runserver`) runs a ticker thread that does the
  same each minute, since its tasks run at once and cannot wait.

A job runs at most once per period however many processes tick: each claims the period with
one conditional UPDATE of the job's PeriodicRun row, and only the process that changed the row
runs the job. Periods are aligned to the epoch (a daily job's period starts at 00:00 UTC); a job
that must run at another time of day checks the time itself.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connections
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

TICK = timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    every: timedelta


_jobs: dict[str, Job] = {}


def register(name: str, func: Callable[[], object], *, every: timedelta = TICK) -> None:
    """Run `func` once every `every` (a whole number of minutes). Registering a name again
    replaces the job, so an app's ready() may run twice."""
    if every < TICK or every % TICK:
        raise ValueError(f"A periodic job runs every whole number of minutes, not {every}.")
    _jobs[name] = Job(name, func, every)


def registered() -> list[Job]:
    return list(_jobs.values())


def period_start(now: datetime, every: timedelta) -> datetime:
    seconds = every.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=UTC)


def claim(job: Job, now: datetime) -> bool:
    """True for the one caller that takes the period containing `now` for this job."""
    from .models import PeriodicRun

    try:
        PeriodicRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # another process created the row at the same moment
        pass
    not_run_this_period = Q(last_run_at__isnull=True) | Q(last_run_at__lt=period_start(now, job.every))
    return PeriodicRun.objects.filter(not_run_this_period, name=job.name).update(last_run_at=now) == 1


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Run every job whose period has not run yet; the names of those run. A job that fails is
    logged and does not stop the others."""
    now = now or timezone.now()
    ran = []
    for job in registered():
        if not claim(job, now):
            continue
        try:
            job.func()
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
        ran.append(job.name)
    return ran


def next_tick(now: datetime) -> datetime:
    return period_start(now, TICK) + TICK


@task()
def tick() -> list[str]:
    """The worker's clock: run what is due, then queue the next tick."""
    ran = run_due_jobs()
    queue_next_tick()
    return ran


def queue_next_tick() -> bool:
    """Queue a tick for the next minute boundary unless one is already waiting. False when the
    task backend cannot wait (tasks run at once: the development server's ticker thread keeps
    the clock there)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = tick.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    if DBTaskResult.objects.filter(task_path=tick.module_path, status="READY").exists():
        return False
    tick.using(run_after=next_tick(timezone.now())).enqueue()
    return True


def seconds_to_next_tick(now: datetime | None = None) -> float:
    now = now or timezone.now()
    return max(0.0, (next_tick(now) - now).total_seconds())


def start_ticker() -> threading.Thread:
    """A daemon thread that runs due jobs now, then at each minute boundary; `thread.stop()`
    ends it."""
    stopped = threading.Event()

    def loop():
        while not stopped.is_set():
            try:
                run_due_jobs()
            except Exception:
                logger.exception("Periodic jobs could not run")
            finally:
                connections.close_all()
            stopped.wait(seconds_to_next_tick() + 0.1)

    thread = threading.Thread(target=loop, name="gaceta-periodic", daemon=True)
    thread.stop = stopped.set
    thread.start()
    return thread
