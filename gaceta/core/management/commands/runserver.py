"""`runserver` that also keeps the periodic jobs' clock (scheduled publishing and the like).

Under `make run` tasks run at once inside requests, so no worker waits for the next minute:
this process starts a ticker thread instead (see core/periodic.py).
"""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver

from gaceta.core import periodic


class Command(StaticfilesRunserver):
    help = StaticfilesRunserver.help + " Also runs the newsroom's periodic jobs each minute."

    def inner_run(self, *args, **options):
        # inner_run runs in the serving process (the autoreloader's child), once per reload.
        periodic.start_ticker()
        super().inner_run(*args, **options)
