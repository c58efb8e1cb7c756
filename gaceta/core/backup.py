"""Backups of a whole newsroom: the database and the media files, in one directory.

SQLite is copied with SQLite's own online backup API (consistent while the site runs);
PostgreSQL with pg_dump in its custom format, restored with pg_restore. Media files go into a
tar archive beside it, read and written through Django's storage API, so media on S3 (or any
other storage in STORAGES["default"]) are saved and restored like files on disk.
`manifest.json` records what was saved, for `restore_newsroom` to check.

django-dbbackup was weighed and not taken: its SQLite restore writes over the database file
under the open connections (and leaves the WAL file beside it), and its media restore keeps
files added since the backup; see docs/libraries.md.
"""

import json
import posixpath
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections

DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_FILE = "media.tar.gz"
MEDIA_PREFIX = "media/"  # every file's name in the archive starts with it


def stored_files(storage, directory: str = ""):
    """Every file name in `storage`, through its API (a folder that is not there holds none)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(directory, name)
    for sub in directories:
        yield from stored_files(storage, posixpath.join(directory, sub))


def _archive_media(storage, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in sorted(stored_files(storage)):
            info = tarfile.TarInfo(MEDIA_PREFIX + name)
            info.size = storage.size(name)
            try:
                info.mtime = storage.get_modified_time(name).timestamp()
            except NotImplementedError:
                info.mtime = datetime.now(UTC).timestamp()
            with storage.open(name, "rb") as stored:
                archive.addfile(info, stored)
            count += 1
    return count


def _restore_media(storage, source: Path) -> None:
    """The storage ends up holding exactly the archive's files: the others are deleted first, so
    each file is saved under its own name. Storage.save refuses names that climb out ("..")."""
    with tarfile.open(source, "r:gz") as archive:  # a missing or unreadable archive deletes nothing
        for name in list(stored_files(storage)):
            storage.delete(name)
        for member in archive:
            if not member.isfile() or not member.name.startswith(MEDIA_PREFIX):
                continue
            name = member.name.removeprefix(MEDIA_PREFIX)
            saved = storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise ValueError(f"The storage saved {name} as {saved}.")


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _run(command: list[str], env: dict) -> None:
    import os

    subprocess.run(command, check=True, capture_output=True, env={**os.environ, **env})


def back_up(directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    target = directory / DATABASE_FILE[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    media_files = _archive_media(default_storage, directory / MEDIA_FILE)
    manifest = {"created": datetime.now(UTC).isoformat(), "database": vendor, "files": [target.name, MEDIA_FILE],
                "media_files": media_files}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(directory: Path) -> dict:
    manifest = json.loads((directory / "manifest.json").read_text())
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise ValueError(f"This backup is of a {manifest['database']} database; the site uses {vendor}.")
    source = directory / DATABASE_FILE[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as saved:
            saved.backup(connection.connection)
        saved.close()
    else:
        connections.close_all()
        args, env = _pg_env()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source)], env)
    _restore_media(default_storage, directory / MEDIA_FILE)
    return manifest
