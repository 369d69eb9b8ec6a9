"""The front end's /_preview/ route against the fake CMS: the draft rendered through the normal
item template, never cached here, never indexed (issue 5 part 7)."""

import copy

from .fake_api import item


def _draft(cms, token="tok-draft", title="草稿：养老服务补贴发放公告（预览）"):
    draft = item(5, "pages.NewsPage", title, 20, source="开平市民政局")
    draft["meta"].update(first_published_at=None, last_published_at=None, preview=True, live=False)
    cms.previews[token] = draft
    return draft


def test_preview_renders_the_draft_uncached_and_noindex(site, cms):
    draft = _draft(cms)
    response = site.get("/_preview/", params={"token": "tok-draft"})
    assert response.status_code == 200
    assert response.headers["cache-control"].startswith("no-store")
    assert "noindex" in response.headers["x-robots-tag"]
    assert "etag" not in response.headers
    html = response.text
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert f'<h1 id="item-title">{draft["title"]}</h1>' in html
    assert "preview-banner" in html and "尚未发布" in html
    # The normal item layout: breadcrumbs to the column, disclosure metadata.
    assert 'href="/yaowen/gongzuo-dongtai/"' in html and "索引号" in html


def test_preview_is_fetched_fresh_every_time(site, cms):
    draft = _draft(cms)
    assert draft["title"] in site.get("/_preview/", params={"token": "tok-draft"}).text
    changed = copy.deepcopy(draft)
    changed["title"] = "草稿：标题已修改"
    cms.previews["tok-draft"] = changed
    assert "草稿：标题已修改" in site.get("/_preview/", params={"token": "tok-draft"}).text
    assert cms.calls.count("/api/v2/preview/?token=tok-draft") == 2


def test_bad_or_expired_token_is_a_polite_403_never_cached(site, cms):
    for params in ({"token": "nope"}, {}, {"token": "x" * 5000}):
        response = site.get("/_preview/", params=params)
        assert response.status_code == 403
        assert response.headers["cache-control"].startswith("no-store")
        assert "noindex" in response.headers["x-robots-tag"]
        assert "无法预览" in response.text and "Traceback" not in response.text


def test_preview_pages_are_not_public_pages(site, cms):
    """A draft's path is not served by the public routes, and the preview is never exported."""
    draft = _draft(cms)
    assert site.get(draft["meta"]["html_path"]).status_code == 404
    assert "/_preview/" not in site.get("/").text


def test_cms_down_during_preview_is_a_polite_page(site, cms):
    _draft(cms)
    cms.fail = True
    response = site.get("/_preview/", params={"token": "tok-draft"})
    assert response.status_code == 503
    assert "Traceback" not in response.text
