"""The catalogue statements the API runs on every request (a detail row, a page of a listing),
prepared once per database connection on PostgreSQL.

Planning was half of what PostgreSQL spent on a listing (0.25 of 0.5 ms CPU). A prepared
statement keeps its plan, but PostgreSQL replans a statement with parameters unless told to
keep the generic plan, and a generic plan of `path LIKE $1` cannot use the path index. So a
statement is prepared with its fixed values written into it (quoted by psycopg, as Django's
client-side binding quotes them) and only the values that change per request — a page id, a
LIMIT and an OFFSET — as parameters, whose generic plan is the same index plan, and the
connection keeps generic plans (`plan_cache_mode`, which concerns prepared statements only:
Django prepares none). Elsewhere (SQLite) the statement simply runs. Off with
GOVPORTAL_API_PREPARED_STATEMENTS=0 (behind a pooler in transaction mode)."""

import hashlib
import re
import weakref

from django.conf import settings
from django.db import connections, transaction

# Stands for a value the statement takes on each run (a page id no row has).
ARGUMENT = -765_432_109

_PLACEHOLDER = re.compile(r"%%|%s")
# Statements prepared on one connection at most (then all are dropped and prepared again).
PREPARED_KEPT = 500
# psycopg connection -> names of the statements prepared on it (a new connection starts empty).
_prepared = weakref.WeakKeyDictionary()


class Statement:
    """`sql` with Django's %s placeholders; `params` its values, ARGUMENT where an integer is
    given to each run (in order; bigint, so an id past 2**31 finds nothing instead of failing)."""

    def __init__(self, sql, params, using):
        self.sql, self.params, self.using = sql, list(params), using
        self.name = "gp_" + hashlib.md5(f"{sql}|{self.params!r}".encode()).hexdigest()[:24]

    def fetchall(self, *arguments):
        connection = connections[self.using]
        if connection.vendor == "postgresql" and settings.GOVPORTAL_API_PREPARED_STATEMENTS:
            return self._fetch_prepared(connection, arguments)
        values = iter(arguments)
        params = [next(values) if p == ARGUMENT else p for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def _fetch_prepared(self, connection, arguments):
        connection.ensure_connection()
        names = _prepared.setdefault(connection.connection, set())
        with connection.cursor() as cursor:
            if self.name not in names:
                if len(names) >= PREPARED_KEPT:  # each keeps its plan in the server process
                    cursor.execute("DEALLOCATE ALL")
                    names.clear()
                self._prepare(connection, cursor)
                names.add(self.name)
            if arguments:
                cursor.execute(f"EXECUTE {self.name}({', '.join(['%s'] * len(arguments))})", arguments)
            else:
                cursor.execute(f"EXECUTE {self.name}")
            return cursor.fetchall()

    def _prepare(self, connection, cursor):
        numbered, fixed, n = [], [], 0
        pieces = iter(self.params)
        for match in _PLACEHOLDER.finditer(self.sql):
            if match.group() == "%s":
                value = next(pieces)
                if value == ARGUMENT:
                    n += 1
                    numbered.append((match.span(), f"${n}"))
                else:
                    fixed.append(value)
        text = self.sql
        for (start, end), number in reversed(numbered):
            text = text[:start] + number + text[end:]
        # Fixed values quoted by psycopg itself, as Django's client-side binding does.
        body = cursor.cursor.mogrify(text, fixed) if fixed else text.replace("%%", "%")
        types = f"({', '.join(['bigint'] * n)})" if n else ""
        prepare = f"SET plan_cache_mode = force_generic_plan; PREPARE {self.name}{types} AS {body}"
        if connection.in_atomic_block:  # a failure must not poison the caller's transaction
            with transaction.atomic(using=self.using):
                cursor.execute(prepare)
        else:
            cursor.execute(prepare)
