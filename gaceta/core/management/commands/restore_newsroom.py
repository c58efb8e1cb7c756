from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gaceta.core.backup import restore


class Command(BaseCommand):
    help = "Replace the database and the media files with a backup made by backup_newsroom."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, directory, yes, **options):
        if not yes and input("This replaces the current database and media files. Type yes: ").strip() != "yes":
            raise CommandError("Nothing restored.")
        try:
            manifest = restore(Path(directory))
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup of {manifest['created']}.")
