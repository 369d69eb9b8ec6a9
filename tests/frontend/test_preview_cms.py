"""The CMS side of draft preview (issue 5 part 7): the admin's preview frames the front end's
/_preview/ with a signed one-hour token; /api/v2/preview/ serves the previewed content, never
cached nor indexed; the public API never shows the draft."""

import re
import time
from html import unescape

import pytest
from django.core import signing
from django.test import Client
from wagtail.models import Page

from govportal.api import preview
from pages.models import NewsPage
from tests.helpers import create_item, current_task_state, news_form_data

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<iframe src="[^"]*/_preview/\?token=([^"]+)"')


def token_of(response):
    assert response.status_code == 200, response.content.decode()[:2000]
    match = TOKEN.search(response.content.decode())
    assert match, response.content.decode()[:2000]
    return unescape(match.group(1))


def api_preview(client, token):
    return client.get("/api/v2/preview/", {"token": token})


def _client(login, username):
    return login(username, client=Client())


def _submitted_draft(login, demo, title):
    response = create_item(
        _client(login, "staff_jiuzhu"),
        demo.columns["gongzuo-dongtai"],
        demo.departments["社会救助股"],
        title=title,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return NewsPage.objects.get(title=title)


def test_in_review_draft_previewed_by_its_approver(login, demo):
    title = "预览测试：审批中的草稿标题"
    page = _submitted_draft(login, demo, title)
    task_state = current_task_state(page)
    approver = _client(login, "head_jiuzhu")
    response = approver.get(f"/admin/pages/workflow/preview/{page.pk}/{task_state.task_id}/")
    assert response["Cache-Control"].startswith("no-store")
    token = token_of(response)
    assert "http://127.0.0.1:8080/_preview/?token=" in response.content.decode()

    anonymous = Client()
    answer = api_preview(anonymous, token)
    assert answer.status_code == 200
    data = answer.json()
    assert data["title"] == title and data["id"] == page.pk
    assert data["meta"]["preview"] is True and data["meta"]["live"] is False
    assert "长沙街道开展社会救助政策宣传活动" in data["body"]
    assert data["department"]["name"] and data["column"]["title"] == "工作动态"
    # The public API never shows it, whoever asks.
    assert anonymous.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    assert title not in anonymous.get("/api/v2/pages/", {"search": "预览测试"}).content.decode()
    assert approver.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def test_editor_preview_shows_the_unsaved_form(login, demo):
    """Live preview posts the form; the preview shows what is typed, not what is saved."""
    column = demo.columns["gongzuo-dongtai"]
    author = _client(login, "staff_jiuzhu")
    url = f"/admin/pages/add/pages/newspage/{column.pk}/preview/"
    data = news_form_data(demo.departments["社会救助股"], title="尚未保存的新稿件标题")
    assert author.post(url, data).json()["is_valid"]
    token = token_of(author.get(url))
    answer = api_preview(Client(), token).json()
    assert answer["title"] == "尚未保存的新稿件标题" and answer["id"] is None
    assert answer["meta"]["html_path"].startswith("/yaowen/gongzuo-dongtai/")
    assert not NewsPage.objects.filter(title="尚未保存的新稿件标题").exists()

    # Editing a published item: the edit is previewed, the live page is unchanged.
    live = NewsPage.objects.live().child_of(column).first()
    edit_url = f"/admin/pages/{live.pk}/edit/preview/"
    admin = _client(login, "admin")
    data = news_form_data(live.department, title="已发布信息的修改稿", slug=live.slug)
    assert admin.post(edit_url, data).json()["is_valid"]
    answer = api_preview(Client(), token_of(admin.get(edit_url))).json()
    assert answer["title"] == "已发布信息的修改稿" and answer["meta"]["live"] is True
    public = Client().get(f"/api/v2/pages/{live.pk}/").json()
    assert public["title"] == live.title


def test_preview_answer_has_the_detail_shape_and_is_never_cached(login, demo):
    live = NewsPage.objects.live().child_of(demo.columns["gongzuo-dongtai"]).first()
    token = preview.make_token(live.get_latest_revision_as_object())
    response = api_preview(Client(), token)
    assert response["Cache-Control"].startswith("no-store")
    assert "noindex" in response["X-Robots-Tag"]
    assert "ETag" not in response and "Last-Modified" not in response
    detail = Client().get(f"/api/v2/pages/{live.pk}/").json()
    data = response.json()
    assert list(data) == list(detail)
    assert set(data["meta"]) == set(detail["meta"]) | {"preview", "live"}
    assert data["breadcrumbs"] == detail["breadcrumbs"]


def test_token_expires_after_an_hour(demo, monkeypatch):
    live = NewsPage.objects.live().first()
    token = preview.make_token(live)
    client = Client()
    assert api_preview(client, token).status_code == 200
    later = time.time() + preview.MAX_AGE + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = api_preview(client, token)
    assert response.status_code == 403
    assert "过期" in response.json()["message"]
    assert response["Cache-Control"].startswith("no-store")


def test_bad_tokens_are_refused(demo):
    client = Client()
    live = NewsPage.objects.live().first()
    forged = signing.dumps({"page": live.pk, "revision": None, "key": "x"}, salt="another-salt")
    for token in ("", "garbage", forged):
        response = api_preview(client, token)
        assert response.status_code == 403 and "message" in response.json()
    # A valid signature over a structure page (not an item) is refused too.
    column_token = preview.make_token(demo.columns["gongzuo-dongtai"])
    assert api_preview(client, column_token).status_code == 403
    assert client.post("/api/v2/preview/", {"token": "x"}).status_code == 405


def test_stored_content_gone_falls_back_to_the_revision(demo):
    live = NewsPage.objects.live().first()
    revision = live.save_revision()
    token = preview.make_token(Page.objects.get(pk=live.pk).specific)
    preview._cache().clear()
    data = api_preview(Client(), token).json()
    assert data["title"] == revision.as_object().title
