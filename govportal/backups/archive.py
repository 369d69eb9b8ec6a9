"""One backup is one .tar.gz: the database (pg_dump's custom format on PostgreSQL, an online
copy through SQLite's backup API), the media files (attachments, images) and a manifest.
Restoring goes into an empty instance: a new database and an empty media directory."""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_NAME = "db.sqlite3"
PG_NAME = "db.pgdump"
MEDIA_NAME = "media"


class BackupError(Exception):
    """A refusal with the reason in Chinese."""


def _database(alias="default"):
    return connections[alias].settings_dict


def _is_postgres(db):
    return db["ENGINE"].endswith(("postgresql", "postgis"))


def _pg_env(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = ["-h", db.get("HOST") or "127.0.0.1", "-U", db.get("USER") or "postgres"]
    return args + (["-p", str(db["PORT"])] if db.get("PORT") else [])


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[:500]}")


def _copy_sqlite(source_path, target_path):
    """An online copy through SQLite's backup API, consistent even while the site runs. Its
    own read-only connection: Django's may hold a write transaction (IMMEDIATE), which makes
    the backup API answer "locked" and Python retry for ever."""
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=20)
    with closing(source), closing(sqlite3.connect(target_path)) as copy:
        source.backup(copy)


def create_backup(directory, alias="default"):
    """Write a backup archive into `directory`; returns its path."""
    db = _database(alias)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"govportal-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if _is_postgres(db):
            dump = work / PG_NAME
            _run(
                ["pg_dump", "-Fc", "--no-owner", *_pg_args(db), "-f", str(dump), db["NAME"]], env=_pg_env(db)
            )
            members = [PG_NAME]
        else:
            _copy_sqlite(db["NAME"], work / SQLITE_NAME)
            members = [SQLITE_NAME]
        manifest = {
            "created_at": timezone.now().isoformat(),
            "engine": "postgresql" if _is_postgres(db) else "sqlite",
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False))
        with tarfile.open(target, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            for name in members:
                archive.add(work / name, arcname=name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname=MEDIA_NAME)
    return target


def _safe_members(archive):
    for member in archive.getmembers():
        if (
            member.issym()
            or member.islnk()
            or member.name.startswith(("/", ".."))
            or ".." in Path(member.name).parts
        ):
            raise BackupError(f"备份文件含有不安全的路径：{member.name}")
    return archive.getmembers()


def restore_backup(path, alias="default", force=False):
    """Restore `path` into the configured database and MEDIA_ROOT, which must be empty unless
    `force` is given."""
    db = _database(alias)
    media = Path(settings.MEDIA_ROOT)
    if not force and media.is_dir() and any(media.iterdir()):
        raise BackupError(f"媒体目录 {media} 不为空。恢复只能在空实例上进行（或使用 --force 覆盖）。")
    if not force and connections[alias].introspection.table_names():
        raise BackupError("目标数据库不为空。请先新建空数据库（或使用 --force 覆盖）。")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        work = Path(work)
        archive.extractall(work, members=_safe_members(archive), filter="data")
        manifest = json.loads((work / MANIFEST).read_text())
        if manifest["engine"] != ("postgresql" if _is_postgres(db) else "sqlite"):
            raise BackupError(f"备份来自 {manifest['engine']} 数据库，与当前数据库类型不同，无法直接恢复。")
        connections[alias].close()
        if _is_postgres(db):
            command = ["pg_restore", "--no-owner", "--exit-on-error", *_pg_args(db), "-d", db["NAME"]]
            _run(
                [*command, *(["--clean", "--if-exists"] if force else []), str(work / PG_NAME)],
                env=_pg_env(db),
            )
        else:
            shutil.copyfile(work / SQLITE_NAME, db["NAME"])
        if (work / MEDIA_NAME).is_dir():
            shutil.copytree(work / MEDIA_NAME, media, dirs_exist_ok=True)
    return manifest
