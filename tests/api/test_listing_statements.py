"""A listing's statement is compiled (and counted) once per content version and listing, then run with any
LIMIT and OFFSET (govportal/api/views.py, _listing_response): every filter and order gives the same
pages as a statement compiled afresh, on SQLite and PostgreSQL."""

import pytest

from govportal.api.models import PublicDocument
from govportal.api.scope import get_scope
from tests.api.conftest import publish


def _combinations(demo):
    column = demo.columns["gongzuo-dongtai"]
    department = demo.departments["社会救助股"]
    first = PublicDocument.objects.filter(is_item=True).order_by("first_published_at").first()
    day = first.first_published_at.date().isoformat()
    return [
        "",
        "type=pages.NewsPage",
        "type=pages.NewsPage,pages.NoticePage&order=title",
        f"child_of={column.pk}",
        f"child_of={column.pk}&order=-id",
        f"descendant_of={column.get_parent().pk}",
        f"column={column.pk}",
        f"department={department.pk}&order=-first_published_at",
        "validity=in_force",
        "catalogue=1",
        "items_only=1&order=path",
        "topic=general",
        f"year={day[:4]}",
        f"date_from={day}&date_to=2100-01-01",
        "items_only=true&fields=_,title",
    ]


def _ids(client, query):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 200, (query, response.content[:200])
    body = response.json()
    return body["meta"]["total_count"], [item["id"] for item in body["items"]]


@pytest.mark.parametrize("pages", [[(0, 5), (3, 5), (7, 2), (0, 100)]])
def test_every_listing_pages_as_a_fresh_statement_does(client, demo, settings, pages):
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    for query in _combinations(demo):
        prefix = f"{query}&" if query else ""
        fresh = {}
        for offset, limit in pages:
            get_scope().extra.pop("listings", None)
            fresh[offset, limit] = _ids(client, f"{prefix}offset={offset}&limit={limit}")
        for offset, limit in pages:  # the second and later pages run the kept statement
            kept = len(get_scope().extra.get("listings", {}))
            assert _ids(client, f"{prefix}offset={offset}&limit={limit}") == fresh[offset, limit], query
            assert len(get_scope().extra["listings"]) == max(kept, 1), query
        total, everything = fresh[0, 100]
        assert total == len(everything) or len(everything) == 100, query
        assert fresh[3, 5][1] == everything[3:8] and fresh[7, 2][1] == everything[7:9], query


def test_a_publish_compiles_again(client, demo, settings):
    """The kept statements belong to one content version: a change of what is public (here
    a column's items) is seen by the next request of the same listing."""
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    column = demo.columns["gongzuo-dongtai"]
    before = _ids(client, f"child_of={column.pk}&limit=100")
    item = column.get_children().live().first().specific
    item.title = item.title + "（更新）"
    item.save_revision(user=demo.users["admin"])
    publish(item)
    kept = get_scope().extra.get("listings", {})
    assert not kept  # a new version starts without statements
    after = _ids(client, f"child_of={column.pk}&limit=100")
    assert sorted(after[1]) == sorted(before[1]) and after[0] == before[0]
