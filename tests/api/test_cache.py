"""Validators, the response cache, and its invalidation on publish, unpublish and edit."""

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


def test_memoised_counts_and_search_hits_follow_a_publish(client, demo, monkeypatch):
    """With the response cache off, listings still memoise counts and a search's ranked hits
    per content version: a publish must show in both at once, on every page of the results."""
    from govportal.api import responses

    monkeypatch.setattr(responses.response_cache, "max_entries", 0)
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
