"""Backups that restore: `manage.py backup` of the seeded site, `manage.py restore` into an
empty instance (new database, empty media directory) in another process, and every page,
revision, approval step record, document (with its file) and audit entry is there."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision, TaskState

from govportal.accounts.models import SecurityEvent
from govportal.backups.archive import BackupError, restore_backup

ROOT = Path(__file__).resolve().parents[2]
COUNT_SCRIPT = "import json; from tests.govportal.test_backups import counts; print(json.dumps(counts()))"


def counts():
    """What must survive a backup: pages, revisions, step records, documents with their files,
    the audit entries."""
    documents = get_document_model().objects.all()
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "step_records": TaskState.objects.count(),
        "documents": documents.count(),
        "page_log": PageLogEntry.objects.count(),
        "model_log": ModelLogEntry.objects.count(),
        "security_events": SecurityEvent.objects.count(),
        "files_present": all((Path(django_settings.MEDIA_ROOT) / d.file.name).is_file() for d in documents),
    }


def _empty_database(tmp_path):
    """A new, empty database of the kind the suite runs on; returns its DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    name = f"govportal_restore_{os.getpid()}"
    params = dict(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"]
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{params['host']}:{params['port']}/{name}"


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.django_db
def test_a_backup_restores_into_an_empty_instance(tmp_path, demo):
    before = counts()
    assert before["documents"] and before["step_records"] and before["security_events"]
    call_command("backup", dir=str(tmp_path / "backups"), stdout=open(os.devnull, "w"))
    (archive,) = (tmp_path / "backups").glob("govportal-*.tar.gz")
    with tarfile.open(archive) as contents:
        names = contents.getnames()
    assert "manifest.json" in names and any(n.startswith("media/") for n in names)

    env = {
        **{
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOVPORTAL_", "DATABASE_URL"))
        },
        "DJANGO_SETTINGS_MODULE": "govportal.settings.dev",
        "DATABASE_URL": _empty_database(tmp_path),
        "GOVPORTAL_MEDIA_ROOT": str(tmp_path / "empty-media"),
    }
    restored = _manage("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "已恢复" in restored.stdout
    after = _manage("shell", "-c", COUNT_SCRIPT, env=env)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout.strip().splitlines()[-1]) == {**before, "files_present": True}

    # Restoring again over the now filled instance is refused without --force.
    again = _manage("restore", str(archive), env=env)
    assert again.returncode != 0 and "不为空" in again.stderr


def test_an_archive_with_an_unsafe_path_is_refused(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "x"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as archive:
        archive.add(payload, arcname="../../etc/evil")
    with pytest.raises(BackupError, match="不安全"):
        restore_backup(evil, force=True)
