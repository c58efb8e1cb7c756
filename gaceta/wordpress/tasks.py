from django_tasks import task

from .services import run_import


@task()
def run_wordpress_import(job_id: int) -> str:
    """An import uploaded in the admin (services.start_import)."""
    return run_import(job_id)
