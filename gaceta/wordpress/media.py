"""Attachments of a WordPress export as Wagtail images, from the files copied beside it.

An export names its media by URL only. When the uploads folder was copied (`--media-dir`), each
file is found by its path under `wp-content/uploads/` (or by its name) and becomes a Wagtail image
with its alt text; caption and credit travel with the blocks that show it. Without the file, the
image is recorded as missing and the story imports without it.
"""

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import phpserialize
from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from .content import ImageInfo
from .models import ImportedRecord
from .wxr import WordPressItem

# "photo-300x200.jpg" is WordPress's resized copy of "photo.jpg".
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
EXIF_ARTIST, EXIF_COPYRIGHT = 0x013B, 0x8298


@dataclass
class Attachment:
    id: int
    guid: str
    url: str
    title: str
    alt: str
    caption: str
    credit: str
    parent_id: int
    menu_order: int


def attachment_of(item: WordPressItem) -> Attachment:
    return Attachment(
        id=item.id, guid=item.guid, url=item.attachment_url or item.guid, title=item.title,
        alt=item.meta.get("_wp_attachment_image_alt", ""), caption=" ".join(item.excerpt.split()),
        credit=_credit_from_meta(item.meta), parent_id=item.parent_id, menu_order=item.menu_order,
    )


def _credit_from_meta(meta: dict[str, str]) -> str:
    """The Media Credit plugin's field, or the IPTC credit WordPress read from the file."""
    if meta.get("_media_credit"):
        return meta["_media_credit"].strip()
    serialised = meta.get("_wp_attachment_metadata", "")
    if not serialised:
        return ""
    try:
        data = phpserialize.loads(serialised.encode(), decode_strings=True)
    except ValueError:
        return ""
    image_meta = data.get("image_meta") if isinstance(data, dict) else None
    return str(image_meta.get("credit") or "").strip() if isinstance(image_meta, dict) else ""


def _credit_from_file(path: Path) -> str:
    try:
        with PILImage.open(path) as picture:
            exif = picture.getexif()
    except OSError:
        return ""
    return str(exif.get(EXIF_ARTIST) or exif.get(EXIF_COPYRIGHT) or "").strip()


def canonical_url(url: str) -> str:
    """The URL of the original upload: no query string, no size suffix, no scheme or host."""
    path = unquote(urlsplit(url).path)
    return _SIZE_SUFFIX.sub("", path)


class MediaLibrary:
    """The export's attachments, their images once imported, and what could not be found."""

    def __init__(self, media_dir: Path | None):
        self.media_dir = Path(media_dir) if media_dir else None
        self.attachments: dict[int, Attachment] = {}
        self.by_url: dict[str, Attachment] = {}
        self.images: dict[int, int] = {}  # attachment id → image id
        self.credits: dict[int, str] = {}
        self.missing: dict[str, str] = {}  # URL → why
        self.imported = 0

    def add(self, attachment: Attachment) -> None:
        self.attachments[attachment.id] = attachment
        self.by_url[canonical_url(attachment.url)] = attachment

    def children_of(self, post_id: int) -> list[int]:
        """A post's own images, as WordPress's `[gallery]` without ids shows them."""
        children = [a for a in self.attachments.values() if a.parent_id == post_id]
        return [a.id for a in sorted(children, key=lambda a: (a.menu_order, a.id))]

    def _find_file(self, url: str) -> Path | None:
        if self.media_dir is None:
            return None
        path = PurePosixPath(unquote(urlsplit(url).path))
        parts = path.parts
        candidates = []
        if "uploads" in parts:
            candidates.append(Path(*parts[parts.index("uploads") + 1 :]))
        candidates += [Path(*parts[1:]), Path(path.name)]
        for candidate in candidates:
            full = (self.media_dir / candidate).resolve()
            if full.is_file() and full.is_relative_to(self.media_dir.resolve()):
                return full
        return None

    def import_images(self) -> None:
        """A Wagtail image for every attachment whose file is here, once per attachment."""
        known = dict(
            ImportedRecord.objects.filter(kind=ImportedRecord.Kind.ATTACHMENT, image__isnull=False)
            .values_list("ref", "image_id")
        )
        for attachment in self.attachments.values():
            if attachment.guid in known:
                self.images[attachment.id] = known[attachment.guid]
                continue
            if PurePosixPath(urlsplit(attachment.url).path).suffix.lower().lstrip(".") not in settings.WAGTAILIMAGES_EXTENSIONS:
                continue  # a PDF or a sound file: not an image
            path = self._find_file(attachment.url)
            if path is None:
                self.missing[attachment.url] = "no --media-dir given" if self.media_dir is None else "file not found"
                continue
            self.credits[attachment.id] = _credit_from_file(path)
            with path.open("rb") as handle:
                image = Image(title=(attachment.title or path.stem)[:255], description=attachment.alt[:255],
                              file=ImageFile(handle, name=path.name))
                image.save()
            ImportedRecord.objects.create(
                kind=ImportedRecord.Kind.ATTACHMENT, ref=attachment.guid, wordpress_id=attachment.id, image=image
            )
            self.images[attachment.id] = image.pk
            self.imported += 1

    def find(self, attachment_id: int | None, url: str) -> ImageInfo | None:
        attachment = self.attachments.get(attachment_id) if attachment_id else None
        if attachment is None and url:
            attachment = self.by_url.get(canonical_url(url))
        if attachment is None:
            if url:
                self.missing.setdefault(url, "not among the export's attachments")
            return None
        image_id = self.images.get(attachment.id)
        if image_id is None:
            self.missing.setdefault(attachment.url, "no --media-dir given" if self.media_dir is None else "file not found")
        credit = attachment.credit or self.credits.get(attachment.id, "")
        return ImageInfo(url=attachment.url, image_id=image_id, caption=attachment.caption, credit=credit)
