"""Imports started from the admin: an uploaded export is queued, then run by the worker."""

import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .importer import Importer
from .models import WordPressImport
from .wxr import ExportError

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 25
"""Records between two writes of the progress the admin shows."""


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
    and delete the export file. The records imported before a failure stay: running the same
    export again skips them."""
    if not WordPressImport.objects.filter(pk=job_id, status=WordPressImport.Status.QUEUED).update(
            status=WordPressImport.Status.RUNNING):
        return "not queued"
    job = WordPressImport.objects.get(pk=job_id)
    done = 0

    def progress(count: int) -> None:
        nonlocal done
        before, done = done, done + count
        if done // PROGRESS_EVERY != before // PROGRESS_EVERY:
            WordPressImport.objects.filter(pk=job_id).update(records_done=done)

    try:
        importer = Importer(Path(job.export.path), section_map=job.section_map,
                            default_section=job.default_section, progress=progress)
        WordPressImport.objects.filter(pk=job_id).update(records_total=importer.count_records())
        report = "\n".join(importer.run().report())
        status = WordPressImport.Status.DONE
    except ExportError as error:
        report, status = str(error), WordPressImport.Status.FAILED
    except Exception as error:  # noqa: BLE001 - the editor is told; the log has the traceback
        logger.exception("WordPress import %s failed", job_id)
        report = (f"The import stopped ({error.__class__.__name__}); the server's log has the details. "
                  "What was imported before stays, and importing the same export again carries on.")
        status = WordPressImport.Status.FAILED
    job.export.delete(save=False)
    WordPressImport.objects.filter(pk=job_id).update(
        status=status, report=report, records_done=done, export="", finished_at=timezone.now())
    return status
