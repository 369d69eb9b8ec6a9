"""The version of the public content: bumped (in the database, so every process sees it at
once) whenever anything public changes, with a log of what changed. It keys the API response
cache and the search memos (govportal.api.cache, govportal.api.search)."""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from pages.models import PublicChange, PublicIndexState

from .statements import Statement

_BUMP_SQL = (
    f"UPDATE {PublicIndexState._meta.db_table} SET version = version + 1, changed_at = %s "
    "WHERE id = 1 RETURNING version"
)
# Change-log rows kept: a memo older than this many versions is recomputed, not patched.
CHANGES_KEPT = 500


def bump_version(page_id=None):
    """Invalidate every cached API response, in this and every other process, and log what
    changed: one page's catalogue row, or (None) anything public."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL, [connection.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    if row is None:
        state, _ = PublicIndexState.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})
        version, now = state.version, state.changed_at
    else:
        version = row[0]
    PublicChange.objects.create(version=version, changed_at=now, page_id=page_id)
    if version % CHANGES_KEPT == 0:
        old = PublicChange.objects.filter(version__lte=version - CHANGES_KEPT)
        old._raw_delete(old.db)


_STATE = Statement(
    f"SELECT version, changed_at FROM {PublicIndexState._meta.db_table} WHERE id = 1", [], "default"
)


def current_state():
    """(version, changed_at) of the public content. Read on every API request, so one plain
    SQL statement (prepared on PostgreSQL) rather than a compiled ORM query (a tenth of the
    cost)."""
    rows = _STATE.fetchall()
    if not rows:
        return (0, None)
    version, changed_at = rows[0]
    if isinstance(changed_at, str):  # SQLite hands back the stored text
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    return (version, changed_at)
