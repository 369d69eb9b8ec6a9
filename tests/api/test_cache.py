"""Validators, the response cache, and its invalidation on publish, unpublish and edit."""

import datetime
import socket

import pytest
from django.core.cache import caches

from govportal.api.cache import MAX_ENTRY_BYTES, MAX_MEMO_IDS, memo, response_cache
from govportal.api.scope import PublicScope
from pages.models import NewsPage

from .conftest import publish


def test_validators_and_304(client, demo):
    response = client.get("/api/v2/pages/?limit=2")
    assert response["ETag"] and response["Last-Modified"] and "max-age" in response["Cache-Control"]
    again = client.get("/api/v2/pages/?limit=2", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_repeated_requests_are_cached(client, demo, django_assert_max_num_queries):
    client.get("/api/v2/pages/?limit=20")
    with django_assert_max_num_queries(1):
        assert client.get("/api/v2/pages/?limit=20").status_code == 200


def test_publish_is_visible_at_once(client, demo):
    column = demo.columns["gongzuo-dongtai"]
    before = client.get(f"/api/v2/pages/?child_of={column.pk}").json()
    page = NewsPage(title="刚刚发布的新闻", department=demo.departments["办公室"], live=False)
    column.add_child(instance=page)
    assert client.get(f"/api/v2/pages/?child_of={column.pk}").json() == before  # a draft changes nothing
    publish(page)
    after = client.get(f"/api/v2/pages/?child_of={column.pk}").json()
    assert "刚刚发布的新闻" in [i["title"] for i in after["items"]]
    assert after["meta"]["total_count"] == before["meta"]["total_count"] + 1


def test_edit_of_live_page_and_unpublish_invalidate(client, demo):
    page = NewsPage.objects.live().first()
    url = f"/api/v2/pages/{page.pk}/"
    etag = client.get(url)["ETag"]
    page.title = "修改后的标题"
    publish(page)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["title"] == "修改后的标题"
    page.unpublish()
    assert client.get(url).status_code == 404


def test_department_rename_is_visible(client, demo):
    department = demo.departments["社会救助股"]
    client.get(f"/api/v2/pages/?department={department.pk}")
    department.public_name = "开平市民政局社会救助股（新）"
    department.save()
    items = client.get(f"/api/v2/pages/?department={department.pk}").json()["items"]
    assert items[0]["department"]["name"] == "开平市民政局社会救助股（新）"


def test_memoised_counts_and_search_hits_follow_a_publish(client, demo, settings):
    """With the response cache off, listings still memoise counts and a search's ranked hits
    per content version: a publish must show in both at once, on every page of the results."""
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    column = demo.columns["gongzuo-dongtai"]
    listing = f"/api/v2/pages/?child_of={column.pk}&limit=1"
    search = (
        "/api/v2/pages/?search=%E6%A1%A3%E6%A1%88%E6%95%B4%E7%90%86%E5%B7%A5%E4%BD%9C&limit=1"  # 档案整理工作
    )
    before = client.get(listing).json()["meta"]["total_count"]
    assert client.get(search).json()["meta"]["total_count"] == 0
    page = NewsPage(
        title="开展档案整理工作",
        summary="全局开展档案整理工作。",
        department=demo.departments["办公室"],
        live=False,
    )
    column.add_child(instance=page)
    publish(page)
    assert client.get(listing + "&offset=1").json()["meta"]["total_count"] == before + 1
    found = client.get(search).json()
    assert found["meta"]["total_count"] == 1 and found["items"][0]["id"] == page.pk
    assert found["items"][0]["search"]["title_match"] is True
    page.unpublish()
    assert client.get(search + "&offset=0").json()["meta"]["total_count"] == 0
    assert client.get(listing).json()["meta"]["total_count"] == before


# --- the cache itself (govportal/api/cache.py) ---------------------------------------------


def scope_at(version):
    return PublicScope(
        version=version,
        changed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        root_path="0001",
        hidden_prefixes=[],
        departments={},
        columns={},
        column_departments={},
        identity=None,
    )


def entry(size):
    return (200, b"x" * size, '"etag"', None)


@pytest.fixture
def small_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-small",
            "OPTIONS": {"MAX_ENTRIES": 10},
        },
    }
    caches["public"].clear()
    yield caches["public"]
    caches["public"].clear()


def test_the_cache_is_bounded_in_entries_and_size(small_cache):
    scope = scope_at(1)
    for n in range(30):
        response_cache.put(scope, f"/a{n}", entry(10))
    assert sum(response_cache.get(scope, f"/a{n}") is not None for n in range(30)) <= 10
    response_cache.put(scope, "/big", entry(MAX_ENTRY_BYTES + 1))
    assert response_cache.get(scope, "/big") is None


def test_a_new_version_misses_and_zero_entries_turn_it_off(small_cache, settings):
    response_cache.put(scope_at(1), "/a", entry(10))
    assert response_cache.get(scope_at(1), "/a") == entry(10)
    assert response_cache.get(scope_at(2), "/a") is None  # a publish moved the version on
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    response_cache.put(scope_at(2), "/a", entry(10))
    assert response_cache.get(scope_at(2), "/a") is None


def test_memo_builds_once_per_version_and_keeps_no_oversized_value(small_cache):
    calls = []

    def build():
        calls.append(1)
        return [1, 2, 3]

    assert memo(scope_at(1), "t", "k", build) == [1, 2, 3]
    assert memo(scope_at(1), "t", "k", build) == [1, 2, 3]
    assert len(calls) == 1
    memo(scope_at(2), "t", "k", build)
    assert len(calls) == 2
    memo(scope_at(2), "t", "huge", build, size=lambda value: MAX_MEMO_IDS + 1)
    memo(scope_at(2), "t", "huge", build, size=lambda value: MAX_MEMO_IDS + 1)
    assert len(calls) == 4


def test_an_unreachable_shared_cache_is_a_miss_not_an_error(client, demo, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        },
    }
    response = client.get("/api/v2/pages/?limit=2")
    assert response.status_code == 200 and len(response.json()["items"]) == 2
