from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gaceta.wordpress.importer import Importer, parse_section_map
from gaceta.wordpress.wxr import ExportError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export → All content): posts as articles, pages as plain "
        "pages, images, comments, and redirects from the old addresses. Running it again skips what "
        "is already here and updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The WXR (.xml) file WordPress exported.")
        parser.add_argument(
            "--media-dir", type=Path,
            help="A copy of the site's wp-content/uploads folder; without it images are reported missing.",
        )
        parser.add_argument(
            "--section-map", nargs="*", default=[], metavar="CATEGORY=SECTION",
            help="Put posts of a WordPress category (its name or slug) in a section (its slug); "
            "a section that does not exist is created.",
        )
        parser.add_argument("--default-section", default="news",
                            help="The section (slug) for posts of no mapped category. Default: news.")

    def parse_section_map_option(self, pairs):
        try:
            return parse_section_map(pairs)
        except ValueError as error:
            raise CommandError(f"--section-map takes CATEGORY=SECTION: {error}") from None

    def handle(self, *args, file, media_dir, section_map, default_section, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if media_dir and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a folder.")
        try:
            with tqdm(desc="Counting", unit=" records", disable=None, file=self.stderr) as bar:
                importer = Importer(file, media_dir=media_dir, section_map=self.parse_section_map_option(section_map),
                                    default_section=default_section, progress=bar.update)
                bar.total = importer.count_records()
                bar.set_description("Importing")
                summary = importer.run()
        except ExportError as error:
            raise CommandError(str(error)) from None
        self.report(summary)

    def report(self, summary):
        first, *rest = summary.report()
        self.stdout.write(self.style.SUCCESS(first))
        for line in rest:
            self.stdout.write(line)
