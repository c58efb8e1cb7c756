from pathlib import Path

from django.core.management.base import BaseCommand

from gaceta.core.backup import back_up


class Command(BaseCommand):
    help = "Save the database and the media files into a directory (see docs in README: Backups)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the backup; created if missing.")

    def handle(self, *args, directory, **options):
        manifest = back_up(Path(directory))
        self.stdout.write(f"Backed up the {manifest['database']} database and media files to {directory}.")
