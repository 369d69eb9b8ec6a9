"""Behaviour around the pages: the CMS down or slow, caching and signed purges, concurrent
API calls, reading preferences, the question form, static assets and the static export."""

import asyncio
import gzip

import httpx
import pytest
from starlette.testclient import TestClient

from frontend.app import create_app, sign_purge, verify_purge
from frontend.cache import TTLCache, Unavailable
from frontend.config import Settings
from frontend.export import export_site

from .conftest import PURGE_SECRET, run_async
from .fake_api import create_fake_api

# -- the CMS down or slow ------------------------------------------------------------------


def test_cached_pages_survive_the_cms_going_down(site, cms, settings):
    assert site.get("/").status_code == 200
    cms.fail = True
    site.app.state.portal.purge()  # fresh entries gone: only stale fallbacks remain
    response = site.get("/")
    assert response.status_code == 200 and "要闻动态" in response.text


def test_uncached_page_while_cms_down_is_a_polite_chinese_503(site, cms):
    cms.fail = True
    response = site.get("/yaowen/")
    assert response.status_code == 503
    assert "网站维护中" in response.text and "Traceback" not in response.text
    assert response.headers["retry-after"] == "60"


def test_unreachable_cms_gives_503_not_a_traceback():
    settings = Settings(api_url="http://127.0.0.1:9/api/v2/", api_timeout=0.5)
    with TestClient(create_app(settings)) as client:
        response = client.get("/")
    assert response.status_code == 503 and "网站维护中" in response.text


def test_unexpected_error_gives_chinese_500(cms, settings):
    cms.site["columns"][0]["children"] = "not a list"
    app = create_app(settings, transport=httpx.ASGITransport(app=create_fake_api(cms)))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "页面出错了" in response.text and "Traceback" not in response.text


def test_api_calls_of_a_page_run_concurrently(cms, settings):
    # Counts calls in flight at once rather than timing the page, so a loaded
    # CI machine cannot turn a scheduling delay into a failure.
    inner = httpx.ASGITransport(app=create_fake_api(cms))
    in_flight = {"now": 0, "peak": 0}

    class SlowTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            in_flight["now"] += 1
            in_flight["peak"] = max(in_flight["peak"], in_flight["now"])
            try:
                await asyncio.sleep(0.05)
                return await inner.handle_async_request(request)
            finally:
                in_flight["now"] -= 1

    with TestClient(create_app(settings, transport=SlowTransport())) as client:
        client.get("/wuzhangai/")  # loads site/ into the cache
        in_flight["peak"] = 0
        assert client.get("/").status_code == 200
    listings = sum(1 for call in cms.calls if call.startswith("/api/v2/pages/"))
    assert listings >= 7
    assert in_flight["peak"] >= 7, f"at most {in_flight['peak']} of {listings} calls ran at once"


def test_cache_fetches_once_for_concurrent_requests():
    calls = []

    async def fetch():
        calls.append(1)
        await asyncio.sleep(0.05)
        return "value"

    async def scenario():
        cache = TTLCache(ttl=10, stale_ttl=100)
        results = await asyncio.gather(*(cache.get_or_fetch("k", fetch) for _ in range(10)))
        return results

    assert run_async(scenario()) == ["value"] * 10
    assert len(calls) == 1


def test_cache_serves_stale_only_when_the_source_fails():
    now = [0.0]
    cache = TTLCache(ttl=10, stale_ttl=100, clock=lambda: now[0])

    async def failing():
        raise Unavailable("down")

    async def scenario():
        cache.set("k", "old")
        now[0] = 50
        assert cache.get("k") is None
        assert await cache.get_or_fetch("k", failing) == "old"
        now[0] = 500
        with pytest.raises(Unavailable):
            await cache.get_or_fetch("k", failing)

    run_async(scenario())


# -- purge ---------------------------------------------------------------------------------


def test_signed_purge_makes_the_next_request_ask_the_cms(site, cms):
    site.get("/")
    before = len(cms.calls)
    site.get("/")
    assert len(cms.calls) == before  # served from cache
    body = b'{"paths": ["/"]}'
    assert site.post("/_purge/", content=body, headers={"X-Purge-Signature": "00"}).status_code == 403
    assert site.post("/_purge/", content=body, headers=sign_purge(PURGE_SECRET, body)).status_code == 204
    site.get("/")
    assert len(cms.calls) > before


def test_purge_signature_rules():
    body = b"{}"
    headers = sign_purge("s", body, timestamp=1000)
    ts, sig = headers["X-Purge-Timestamp"], headers["X-Purge-Signature"]
    assert verify_purge("s", ts, body, sig, now=1100)
    assert not verify_purge("s", ts, body, sig, now=2000)  # replayed too late
    assert not verify_purge("other", ts, body, sig, now=1100)
    assert not verify_purge("s", ts, b'{"x":1}', sig, now=1100)
    assert not verify_purge("", ts, body, sig, now=1100)  # no secret configured: disabled


# -- reading preferences ---------------------------------------------------------------------


def test_elderly_mode_is_a_plain_link_remembered_by_cookie(site):
    response = site.get("/prefs/", params={"mode": "elderly", "next": "/yaowen/"})
    assert response.status_code == 303 and response.headers["location"] == "/yaowen/"
    assert "gp_prefs=s2c1l1" in response.headers["set-cookie"]
    html = site.get("/yaowen/gongzuo-dongtai/").text
    assert '<html lang="zh-CN" class="text-2 high-contrast simple elderly">' in html
    assert ">退出长者模式<" in html
    site.get("/prefs/", params={"mode": "standard", "next": "/"})
    assert '<html lang="zh-CN" class="">' in site.get("/").text


def test_text_size_steps_and_no_open_redirect(site):
    site.get("/prefs/", params={"size": "up", "next": "/"})
    site.get("/prefs/", params={"size": "up", "next": "/"})
    assert 'class="text-2"' in site.get("/").text
    for target in ("https://evil.example/", "//evil.example/", "/\\evil"):
        response = site.get("/prefs/", params={"mode": "elderly", "next": target})
        assert response.headers["location"] == "/"


# -- public questions ------------------------------------------------------------------------


def test_question_form_keeps_input_and_shows_errors(site, cms):
    form = site.get("/liuyan/").text
    assert "7 加 5 等于几？" in form and 'name="challenge_token" value="tok-1"' in form
    response = site.post(
        "/liuyan/",
        data={
            "title": "问",
            "body": "太短",
            "name": "张三",
            "contact": "13800000000",
            "challenge_answer": "3",
        },
    )
    assert response.status_code == 400
    html = response.text
    assert "留言标题应为 4 至 80 个字。" in html and "验证答案不正确。" in html
    assert 'value="张三"' in html and ">太短</textarea>" in html and 'value="13800000000"' in html
    assert 'aria-invalid="true"' in html
    assert response.headers["cache-control"] == "no-store"


def test_question_submitted_gives_query_code_and_status_lookup(site, cms):
    response = site.post(
        "/liuyan/",
        data={
            "department": "2",
            "title": "低保复核周期",
            "body": "请问低保对象多久复核一次？",
            "name": "李四",
            "contact": "lisi@example.cn",
            "challenge_token": "tok-1",
            "challenge_answer": "12",
        },
    )
    assert response.status_code == 200 and "CODE000001" in response.text
    sent, forwarded_for = cms.posted[-1]
    assert sent["department"] == "2" and sent["challenge_token"] == "tok-1"
    assert forwarded_for  # the visitor's address, for the CMS's rate limit
    status = site.get("/liuyan/chaxun/", params={"code": "code000001"}).text
    assert "已受理" in status and "李四" not in status
    assert "未找到" in site.get("/liuyan/chaxun/", params={"code": "ZZZZZZZZ"}).text
    assert "查询码应为" in site.get("/liuyan/chaxun/", params={"code": "<x>"}).text


def test_question_flood_is_refused_politely_and_honeypot_blocks_bots(site, cms):
    data = {"title": "flood", "body": "0123456789ab", "name": "x", "contact": "13800000000"}
    response = site.post("/liuyan/", data={**data, "challenge_answer": "12"})
    assert response.status_code == 429 and "提交过于频繁" in response.text
    posted = len(cms.posted)
    bot = site.post("/liuyan/", data={**data, "website": "http://spam"})
    assert bot.status_code == 400 and len(cms.posted) == posted


def test_question_form_when_cms_down(site, cms):
    cms.fail = True
    response = site.post("/liuyan/", data={"title": "标题标题", "body": "内容内容内容内容内容"})
    assert response.status_code == 503
    assert "暂时无法连接" in response.text and 'value="标题标题"' in response.text


# -- assets and compression ------------------------------------------------------------------


def test_static_assets_hashed_immutable_and_gzipped(site):
    html = site.get("/").text
    href = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/static/css/site.") and href.endswith(".css") and len(href) > 25
    response = site.get(href, headers={"Accept-Encoding": "gzip"})
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert b"--brand" in response.content  # httpx decompressed it


def test_pages_are_gzipped_with_validators(site):
    response = site.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    etag = response.headers["etag"]
    assert site.get("/", headers={"If-None-Match": etag}).status_code == 304


# -- static export ---------------------------------------------------------------------------


def test_export_writes_files_and_rewrites_only_changes(tmp_path, cms, settings):
    transport = httpx.ASGITransport(app=create_fake_api(cms))
    export_settings = Settings(**{**settings.__dict__, "static_export": True, "cache_ttl": 3600})

    def run():
        return run_async(export_site(tmp_path, progress=False, settings=export_settings, transport=transport))

    first = run()
    assert not first.failed
    assert (tmp_path / "index.html").exists() and (tmp_path / "404.html").exists()
    assert (tmp_path / "yaowen/gongzuo-dongtai/index_2.html").exists()
    assert (tmp_path / "documents/12/meeting.pdf").read_bytes().startswith(b"%PDF")
    css = list((tmp_path / "static/css").glob("site.*.css.gz"))
    assert css and gzip.decompress(css[0].read_bytes()).startswith(b"/*")
    home = (tmp_path / "index.html").read_text("utf-8")
    assert "/prefs/" not in home and "/search/" not in home  # nothing needing a server

    second = run()
    assert second.written == 0 and second.unchanged == first.total

    changed = cms.items[0]
    changed["title"] = "标题已更新"
    removed = cms.items.pop(1)
    third = run()
    assert 0 < third.written < first.total
    assert third.deleted >= 1
    removed_file = tmp_path / removed["meta"]["html_path"].lstrip("/") / "index.html"
    assert not removed_file.exists()


# -- addresses -------------------------------------------------------------------------------


def test_an_items_old_address_redirects_permanently_to_its_current_one(site, cms):
    item = cms.items[0]
    old = item["meta"]["html_path"].rsplit("/", 2)[0] + "/社会救助政策宣传进村居活动/"
    cms.redirects[old] = item["id"]
    response = site.get(old, follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == item["meta"]["html_path"]
    assert site.get(item["meta"]["html_path"]).status_code == 200
