"""Imports started from the admin: an uploaded export is queued, then run by the worker."""

import logging
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .importer import Importer
from .models import WordPressImport
from .wxr import ExportError

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 25
"""Records between two writes of the progress the admin shows."""
STALLED_AFTER = timedelta(minutes=15)
"""A running import that has not moved on for this long was stopped with its worker."""
STOPPED = ("The import stopped before it finished{why}. What was imported stays, and importing the same "
           "export again carries on.")


def start_import(*, export, section_map: dict[str, str], default_section: str, user) -> WordPressImport:
    """Keep the uploaded export and queue its import; the worker runs it (at once when tasks
    run in the request, as under `make run`)."""
    from .tasks import run_wordpress_import

    job = WordPressImport.objects.create(
        export=export, file_name=export.name[:255], section_map=section_map,
        default_section=default_section, started_by=user,
    )
    transaction.on_commit(lambda: run_wordpress_import.enqueue(job.pk))
    return job


def run_import(job_id: int) -> str:
    """Run a queued import once (a second delivery of the task finds it taken), write its report,
    and delete the export file, whatever happens. The records imported before a failure stay:
    running the same export again skips them."""
    Status = WordPressImport.Status
    if not WordPressImport.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.RUNNING, progress_at=timezone.now()):
        return "not queued"
    job = WordPressImport.objects.get(pk=job_id)
    done = 0

    def progress(count: int) -> None:
        nonlocal done
        before, done = done, done + count
        if done // PROGRESS_EVERY != before // PROGRESS_EVERY:
            WordPressImport.objects.filter(pk=job_id).update(records_done=done, progress_at=timezone.now())

    status, report = Status.FAILED, STOPPED.format(why="")
    try:
        importer = Importer(Path(job.export.path), section_map=job.section_map,
                            default_section=job.default_section, progress=progress)
        WordPressImport.objects.filter(pk=job_id).update(records_total=importer.count_records())
        report, status = "\n".join(importer.run().report()), Status.DONE
    except ExportError as error:
        report = str(error)
    except Exception as error:  # noqa: BLE001 - the editor is told; the log has the traceback
        logger.exception("WordPress import %s failed", job_id)
        report = STOPPED.format(why=f" ({error.__class__.__name__}; the server's log has the details)")
    finally:
        _finish(job, status=status, report=report, records_done=done)
    return status


def abandon_stalled(now=None) -> int:
    """Mark failed the imports whose worker stopped mid-run (killed, restarted) and delete their
    files: no `finally` runs in a killed process. How many there were."""
    now = now or timezone.now()
    stalled = WordPressImport.objects.filter(status=WordPressImport.Status.RUNNING, progress_at__lt=now - STALLED_AFTER)
    for job in stalled:
        _finish(job, status=WordPressImport.Status.FAILED,
                report=STOPPED.format(why=" (it made no progress for 15 minutes: was the worker stopped?)"),
                records_done=job.records_done)
    return len(stalled)


def _finish(job: WordPressImport, *, status: str, report: str, records_done: int) -> None:
    try:
        job.export.delete(save=False)
    except OSError:
        logger.exception("WordPress import %s: the export file could not be deleted", job.pk)
    WordPressImport.objects.filter(pk=job.pk).update(
        status=status, report=report, records_done=records_done, export="", finished_at=timezone.now())
