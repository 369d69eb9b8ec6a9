"""A search memoised at one content version is patched after a publish, an edit or an
unpublish (govportal/api/search.py): the answer must be exactly the one a full search gives,
without searching every candidate's text again."""

import pytest
from wagtail.models import Page, PageViewRestriction

from govportal.api import search
from govportal.api.cache import response_cache
from pages.models import NewsPage

from .conftest import publish

SEARCH = "/api/v2/pages/?search=%E6%95%91%E5%8A%A9%E8%B5%84%E9%87%91&limit=100"  # 救助资金


@pytest.fixture
def full_searches(monkeypatch, settings):
    """Response cache off (every request reaches the ranking); counts full searches."""
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    calls = []
    computed = search._computed

    def counting(scope, queryset):
        calls.append(1)
        return computed(scope, queryset)

    monkeypatch.setattr(search, "_computed", counting)
    return calls


def hits(client):
    data = client.get(SEARCH).json()
    return data["meta"]["total_count"], [(i["id"], i["search"]["title_match"]) for i in data["items"]]


def recomputed(client):
    response_cache.clear()  # the public cache: memos too
    return hits(client)


def test_publish_edit_and_unpublish_patch_the_memo(client, demo, full_searches):
    before = hits(client)
    assert before[0] > 0 and len(full_searches) == 1

    column = demo.columns["gongzuo-dongtai"]
    new = NewsPage(
        title="下拨救助资金的通知", summary="救助资金已下拨。", department=demo.departments["办公室"]
    )
    new.live = False
    column.add_child(instance=new)
    publish(new)
    patched = hits(client)
    assert patched[0] == before[0] + 1 and patched[1][0] == (new.pk, True)  # newest title hit first
    assert len(full_searches) == 1

    old_hit = Page.objects.get(pk=before[1][-1][0]).specific
    old_hit.title = old_hit.title + "（救助资金）"
    publish(old_hit)
    new.unpublish()
    patched = hits(client)
    assert len(full_searches) == 1
    assert (old_hit.pk, True) in patched[1] and new.pk not in [pk for pk, _ in patched[1]]
    assert patched == recomputed(client)
    assert len(full_searches) == 2


def test_a_change_of_what_is_public_recomputes(client, demo, full_searches):
    hits(client)
    PageViewRestriction.objects.create(page=demo.columns["gongzuo-dongtai"], restriction_type="login")
    after = hits(client)
    assert len(full_searches) == 2
    assert after == recomputed(client)
