"""Every way the API answers a search gives the one ranking — items whose title holds every
term first, then newest, then highest id (govportal/api/search.py): a rare bigram's candidates
ranked whole; every text checked, counted, and a page read walking the ranking index; a
segment too sparse to walk ranked whole. Compared with a ranking made here in Python from the
catalogue, on every page, and again after a publish, an edit and an unpublish."""

import pytest
from wagtail.models import Page, PageViewRestriction

from govportal.api import search
from govportal.api.catalogue import query_terms
from govportal.api.models import SearchText
from govportal.api.scope import get_scope
from pages.models import NewsPage

from .conftest import publish

# Words of the demo's texts (one in titles too), a two-word query, a word no text holds.
QUERIES = ["救助资金", "民政 工作", "工作", "据悉", "养老", "绝无此词"]
# The three ways, forced: (RAREST_COUNT_CAP, WALK_ROWS).
WAYS = {
    "rare bigram, ranked whole": (10**9, 0),
    "counted, walked": (0, 10**9),
    "counted, segments ranked whole": (0, 0),
}


@pytest.fixture(params=list(WAYS))
def way(request, monkeypatch, settings):
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0  # every request reaches the search
    cap, walk = WAYS[request.param]
    monkeypatch.setattr(search, "RAREST_COUNT_CAP", cap)
    monkeypatch.setattr(search, "WALK_ROWS", walk)
    return request.param


def expected(query):
    """[(id, title holds every term)] in rank order, from the public items' texts."""
    terms = query_terms(query)
    public = set(get_scope().documents().filter(is_item=True).values_list("pk", flat=True))
    rows = []
    for text in SearchText.objects.filter(pk__in=public):
        title, body = text.title.lower(), text.text.lower()
        if all(t in title or t in body for t in terms):
            rows.append((all(t in title for t in terms), text.published, text.pk))
    rows.sort(reverse=True)
    return [(pk, in_title) for in_title, _, pk in rows]


KEEP_ALL = {"date_from": "1900-01-01"}  # a filter that keeps every item


def answered(client, query, limit=7, extra=KEEP_ALL):
    """Every page of the search through the API, `limit` at a time. With a filter (even one
    that keeps everything) every query takes the general path; without one, a lone
    two-character word is answered from its postings and the rest search every item's text
    without matching it to the catalogue."""
    found, offset, total = [], 0, None
    while total is None or offset < total:
        data = client.get(
            "/api/v2/pages/", {"search": query, "limit": limit, "offset": offset, **extra}
        ).json()
        total = data["meta"]["total_count"]
        found += [(i["id"], i["search"]["title_match"]) for i in data["items"]]
        offset += limit
    assert len(found) == total
    return found


def test_every_way_pages_the_one_ranking(client, demo, way):
    for query in QUERIES:
        truth = expected(query)
        assert answered(client, query) == truth, (way, query)
        assert answered(client, query, extra={}) == truth, (way, query, "no filter")
    assert expected("工作") and expected("救助资金"), "the demo must hold these words"


def test_every_way_leaves_out_a_section_closed_to_the_public(client, demo, way):
    column = demo.columns["gongzuo-dongtai"]
    inside = set(Page.objects.descendant_of(column).values_list("pk", flat=True))
    before = answered(client, "工作", extra={})
    assert inside & {pk for pk, _ in before}, "the column must hold hits"
    PageViewRestriction.objects.create(page=column, restriction_type="login")
    for extra in ({}, KEEP_ALL):
        after = answered(client, "工作", extra=extra)
        assert after == expected("工作") and not inside & {pk for pk, _ in after}, (way, extra)
        assert len(after) < len(before)


def test_every_way_follows_a_publish_an_edit_and_an_unpublish(client, demo, way):
    query = "救助资金"
    before = answered(client, query)
    column = demo.columns["gongzuo-dongtai"]
    new = NewsPage(
        title="下拨救助资金的通知", summary="救助资金已下拨。", department=demo.departments["办公室"]
    )
    new.live = False
    column.add_child(instance=new)
    publish(new)
    after = answered(client, query)
    assert after[0] == (new.pk, True) and len(after) == len(before) + 1  # the newest title hit
    assert after == expected(query)

    old_hit = Page.objects.get(pk=before[-1][0]).specific
    old_hit.title = old_hit.title + "（救助资金）"
    publish(old_hit)
    new.unpublish()
    after = answered(client, query, limit=3)
    assert (old_hit.pk, True) in after and new.pk not in [pk for pk, _ in after]
    assert after == expected(query)


def test_a_search_is_paged_in_a_constant_number_of_statements(client, demo, django_assert_max_num_queries):
    """Counted once per content version, then each further page one walk per segment."""
    url = "/api/v2/pages/?search=%E5%B7%A5%E4%BD%9C&limit=5&date_from=1900-01-01"  # 工作
    client.get("/api/v2/site/")
    client.get(url)
    with django_assert_max_num_queries(8):
        client.get(url + "&offset=5")
