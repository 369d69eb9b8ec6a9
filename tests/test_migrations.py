"""The migrations apply on an empty database: SQLite in a temporary file, or — when the suite
runs on PostgreSQL (DATABASE_URL) — a freshly created empty PostgreSQL database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "moderation", "pages", "wagtailcore"]


def _manage(database_url, *args):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="govportal.settings.test")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def _check_migrated(database_url):
    result = _manage(database_url, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr[-3000:]
    plan = _manage(database_url, "showmigrations", "--plan")
    assert plan.returncode == 0, plan.stderr[-3000:]
    assert "[ ]" not in plan.stdout
    for app in APPS:
        assert f"[X]  {app}.0001" in plan.stdout, app
    # The role groups are created once every app's permissions exist.
    groups = _manage(
        database_url,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group; print(sorted(Group.objects.values_list('name', flat=True)))",
    )
    assert "网站操作员" in groups.stdout and "管理员" in groups.stdout, groups.stdout + groups.stderr


def _postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def test_models_and_migrations_agree():
    result = _manage(
        os.environ.get("DATABASE_URL") or "sqlite:////tmp/unused.sqlite3",
        "makemigrations",
        "--check",
        "--dry-run",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(_postgres_url() is not None, reason="the suite runs on PostgreSQL")
def test_migrations_apply_on_an_empty_sqlite_database(tmp_path):
    _check_migrated(f"sqlite:///{tmp_path / 'empty.sqlite3'}")


@pytest.mark.skipif(_postgres_url() is None, reason="DATABASE_URL does not point to PostgreSQL")
def test_migrations_apply_on_an_empty_postgresql_database():
    import psycopg

    parts = urlsplit(_postgres_url())
    name = f"govportal_migrations_{uuid.uuid4().hex[:10]}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        _check_migrated(urlunsplit(parts._replace(path=f"/{name}")))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
