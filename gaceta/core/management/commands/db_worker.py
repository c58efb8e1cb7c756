"""`db_worker` that also keeps the periodic jobs' clock: a `tick` task queued each minute.

A batch run (`--batch`: run what is queued, then exit) starts no clock.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from gaceta.core import periodic


class Command(DatabaseWorker):
    help = DatabaseWorker.help + " Also queues the newsroom's periodic jobs each minute."

    def handle(self, *args, **options):
        if not options.get("batch"):
            periodic.queue_next_tick()
        return super().handle(*args, **options)
