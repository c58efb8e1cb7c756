"""Helpers for background tasks (django-tasks)."""

from datetime import timedelta

from django.utils import timezone

MAX_ATTEMPTS = 5
FIRST_DELAY = timedelta(minutes=1)


def retry_later(task, *args, attempt: int, **kwargs) -> bool:
    """Queue `task` again, each wait twice the last (1, 2, 4, 8 minutes). False when the
    attempts are used up, or when the backend runs tasks at once and cannot wait (`make run`)."""
    if attempt + 1 >= MAX_ATTEMPTS or not task.get_backend().supports_defer:
        return False
    delay = FIRST_DELAY * 2**attempt
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1, **kwargs)
    return True
