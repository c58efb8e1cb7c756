"""A backup restores everything: row counts and a hash of the content and media match."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from gaceta.articles.models import ArticlePage
from gaceta.comments.models import Comment
from gaceta.core.backup import stored_files
from gaceta.members.models import Member
from tests.conftest import make_image, make_member, publish_article

pytestmark = pytest.mark.django_db(transaction=True)
TABLES = ["wagtailcore_page", "articles_articlepage", "comments_comment", "members_member", "wagtailimages_image"]


def fingerprint(media_root: Path) -> dict:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[table] = cursor.fetchone()[0]
    content = hashlib.sha256()
    for title, body in ArticlePage.objects.order_by("pk").values_list("title", "body"):
        content.update(f"{title}\n{body}".encode())
    for text in Comment.objects.order_by("pk").values_list("body", flat=True):
        content.update(text.encode())
    for path in sorted(media_root.rglob("*")):
        if path.is_file():
            content.update(path.relative_to(media_root).as_posix().encode() + path.read_bytes())
    return {"counts": counts, "hash": content.hexdigest()}


def test_backup_then_restore_loses_nothing(sections, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    article = publish_article(sections["politics"], "Kept story", image=make_image("kept"), paragraphs=["Kept words."])
    Comment.objects.create(article=article, member=make_member("c@example.org"), body="Kept comment", status="published")
    before = fingerprint(Path(settings.MEDIA_ROOT))
    call_command("backup_newsroom", str(tmp_path / "backup"), stdout=open("/dev/null", "w"))

    publish_article(sections["politics"], "Written after the backup")
    Comment.objects.all().delete()
    Member.objects.filter(email="c@example.org").delete()
    for path in Path(settings.MEDIA_ROOT).rglob("*.png"):
        path.unlink()
    assert fingerprint(Path(settings.MEDIA_ROOT)) != before

    call_command("restore_newsroom", str(tmp_path / "backup"), yes=True, stdout=open("/dev/null", "w"))
    assert fingerprint(Path(settings.MEDIA_ROOT)) == before
    assert not ArticlePage.objects.filter(title="Written after the backup").exists()


def storage_fingerprint(storage) -> dict:
    return {name: storage.open(name, "rb").read() for name in stored_files(storage)}


def test_media_in_a_storage_that_is_not_a_folder_are_backed_up_and_restored(sections, settings, tmp_path):
    """Media on S3 or any other storage go through Django's storage API: here one that keeps
    files in memory, with no path on disk at all."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    settings.MEDIA_ROOT = str(tmp_path / "not-used")
    publish_article(sections["politics"], "Stored story", image=make_image("stored"))
    default_storage.save("documents/report.pdf", ContentFile(b"%PDF kept"))
    before = storage_fingerprint(default_storage)
    assert "documents/report.pdf" in before and any(name.startswith("original_images/") for name in before)
    assert not (tmp_path / "not-used").exists()  # nothing on disk
    call_command("backup_newsroom", str(tmp_path / "backup"), stdout=open("/dev/null", "w"))

    default_storage.delete("documents/report.pdf")
    default_storage.save("documents/added-later.txt", ContentFile(b"not in the backup"))
    for name in stored_files(default_storage):
        if name.startswith("original_images/"):
            default_storage.delete(name)
    assert storage_fingerprint(default_storage) != before

    call_command("restore_newsroom", str(tmp_path / "backup"), yes=True, stdout=open("/dev/null", "w"))
    assert storage_fingerprint(default_storage) == before
    assert not (tmp_path / "not-used").exists()
