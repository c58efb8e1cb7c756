"""Backups of a whole newsroom: the database and the media files, in one directory.

SQLite is copied with SQLite's own online backup API (consistent while the site runs);
PostgreSQL with pg_dump in its custom format, restored with pg_restore. Media files go into a
tar archive beside it. `manifest.json` records what was saved, for `restore_newsroom` to check.
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_FILE = "media.tar.gz"


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
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / MEDIA_FILE, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {"created": datetime.now(UTC).isoformat(), "database": vendor, "files": [target.name, MEDIA_FILE]}
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
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / MEDIA_FILE, "r:gz") as archive:
        archive.extractall(media.parent, filter="data")
    extracted = media.parent / "media"
    if extracted != media and extracted.exists():
        extracted.rename(media)
    return manifest
