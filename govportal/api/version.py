"""The version of the public content: bumped (in the database, so every process sees it at
once) whenever anything public changes. It keys the API response cache and the search memos
(govportal.api.cache, govportal.api.search)."""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import PublicIndexState
from .statements import Statement

_BUMP_SQL = (
    f"UPDATE {PublicIndexState._meta.db_table} SET version = version + 1, changed_at = %s WHERE id = 1"
)


def bump_version():
    """Invalidate every cached API response and search memo, in this and every other process."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL, [connection.ops.adapt_datetimefield_value(now)])
        bumped = cursor.rowcount
    if not bumped:
        PublicIndexState.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})


_STATE_SQL = f"SELECT version, changed_at FROM {PublicIndexState._meta.db_table} WHERE id = 1"
_STATE = Statement(_STATE_SQL, [], "default")
# The version joined with a companion query (statement by the companion's SQL and values).
_JOINED = {}


def current_state(companion=None, *arguments):
    """(version, changed_at, companion row) of the public content. Read on every API request,
    so one plain SQL statement (prepared on PostgreSQL) rather than a compiled ORM query (a
    tenth of the cost). `companion`: a Statement of at most one row (with its `arguments`)
    read in the same statement, whose values come third (None when there is no row): a
    request that needs one row makes one round trip to the database instead of two."""
    if companion is None:
        rows = _STATE.fetchall()
    else:
        statement = _JOINED.get(companion.name)
        if statement is None:
            statement = _JOINED[companion.name] = Statement(
                f"SELECT s.version, s.changed_at, q.* FROM ({_STATE_SQL}) s "
                f"LEFT JOIN ({companion.sql}) q ON 1 = 1",
                companion.params,
                companion.using,
            )
        rows = statement.fetchall(*arguments)
    if not rows:  # nothing published yet: no version row to join with
        rows = companion.fetchall(*arguments) if companion is not None else []
        return (0, None, rows[0] if rows else None)
    version, changed_at, *rest = rows[0]
    if isinstance(changed_at, str):  # SQLite hands back the stored text
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    row = tuple(rest) if rest and any(value is not None for value in rest) else None
    return (version, changed_at, row)
