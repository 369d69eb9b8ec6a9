"""The catalogue statements run on every request (govportal/api/statements.py): prepared once
per connection on PostgreSQL with the request's values as parameters, the same rows as a plain
run, and a bounded number kept."""

import pytest
from django.db import connection

from govportal.api import statements
from govportal.api.models import PublicDocument, PublicIndexState
from govportal.api.scope import get_scope
from tests.api.test_listing_statements import _combinations, _ids

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)


def _prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'gp\\_%%'")
        return {name for (name,) in cursor.fetchall()}


def _every_listing(client, demo):
    answers = {}
    for query in _combinations(demo):
        get_scope().extra.pop("listings", None)
        for offset, limit in ((0, 4), (2, 3), (0, 100)):
            answers[query, offset, limit] = _ids(client, f"{query}&offset={offset}&limit={limit}")
    return answers


def test_prepared_and_plain_statements_give_the_same_pages(client, demo, settings):
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    settings.GOVPORTAL_API_PREPARED_STATEMENTS = False
    plain = _every_listing(client, demo)
    details = [client.get(f"/api/v2/pages/{pk}/").content for pk in (3, 4, 999999)]
    settings.GOVPORTAL_API_PREPARED_STATEMENTS = True
    assert _every_listing(client, demo) == plain
    assert [client.get(f"/api/v2/pages/{pk}/").content for pk in (3, 4, 999999)] == details


@postgres_only
def test_statements_are_prepared_once_per_connection(client, demo, settings):
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    column = demo.columns["gongzuo-dongtai"].pk
    before = _prepared_names()
    for offset in range(6):
        client.get(f"/api/v2/pages/?child_of={column}&offset={offset}")
    added = _prepared_names() - before
    assert len(added) <= 1  # one statement for the listing, whatever the offset
    for offset in range(6):
        client.get(f"/api/v2/pages/?child_of={column}&offset={offset}&limit=3")
    assert _prepared_names() - before == added


@postgres_only
def test_a_bounded_number_is_kept(client, demo, settings, monkeypatch):
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    monkeypatch.setattr(statements, "PREPARED_KEPT", 3)
    with connection.cursor() as cursor:  # start from a connection with nothing prepared
        cursor.execute("DEALLOCATE ALL")
    statements._prepared.pop(connection.connection, None)
    for query in _combinations(demo):
        get_scope().extra.pop("listings", None)
        assert client.get(f"/api/v2/pages/?{query}").status_code == 200
        assert 1 <= len(_prepared_names()) <= 3


def test_a_detail_is_found_before_any_version_is_recorded(client, demo, settings):
    """The detail row is read with the content version in one statement; with no version
    row yet (nothing bumped it) the row is still read."""
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    page = PublicDocument.objects.filter(is_item=True).first()
    PublicIndexState.objects.all().delete()
    response = client.get(f"/api/v2/pages/{page.page_id}/")
    assert response.status_code == 200 and response.json()["id"] == page.page_id
    assert client.get("/api/v2/pages/999999999/").status_code == 404
