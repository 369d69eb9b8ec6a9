"""Draft preview and the purge call between the real CMS and the real front end (issue 5,
parts 5 and 7): an approver previews an item in review through the admin and sees it rendered
by the front end; a publish in the CMS is on the public site at once, not after the TTL."""

import re

import httpx

PASSWORD = "Demo#2026gov"


def _pending_item(servers):
    out = servers.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from wagtail.models import WorkflowState\n"
        "get_user_model().objects.update(must_change_password=False)\n"
        "ws = WorkflowState.objects.active().order_by('pk').first()\n"
        "ts = ws.current_task_state.specific\n"
        "print(ws.content_object.pk, ts.task_id, ts.approvers.first().username)\n"
        "print(ws.content_object.get_latest_revision_as_object().title)",
    ).stdout.strip()
    ids, title = out.splitlines()[-2:]
    page_id, task_id, username = ids.split()
    return int(page_id), int(task_id), username, title


def test_approver_previews_the_item_in_review_through_the_front_end(browser, servers):
    page_id, task_id, username, title = _pending_item(servers)
    context = browser.new_context(base_url=servers.cms_url, locale="zh-CN")
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    page.goto(f"/admin/pages/workflow/preview/{page_id}/{task_id}/")
    frame = page.frame_locator("iframe")
    assert frame.locator("h1#item-title").inner_text() == title
    assert "预览" in frame.locator(".preview-banner").inner_text()
    src = page.locator("iframe").get_attribute("src")
    assert src.startswith(f"{servers.site_url}/_preview/?token=")
    context.close()

    direct = httpx.get(src)
    assert direct.status_code == 200
    assert direct.headers["cache-control"].startswith("no-store")
    assert "noindex" in direct.headers["x-robots-tag"]
    # Not public anywhere else.
    assert httpx.get(f"{servers.api_url}pages/{page_id}/").status_code == 404
    assert httpx.get(f"{servers.site_url}/_preview/?token=forged").status_code == 403


def test_publish_in_the_cms_purges_the_front_ends_cache(servers):
    url = f"{servers.site_url}/yaowen/gongzuo-dongtai/"
    assert "清除缓存测试描述" not in httpx.get(url).text  # now cached for GOVPORTAL_CACHE_TTL (30 s)
    result = servers.manage(
        "shell",
        "-c",
        "import time\n"
        "from pages.models import ColumnPage\n"
        "c = ColumnPage.objects.get(slug='gongzuo-dongtai')\n"
        "c.description = '清除缓存测试描述'\n"
        "c.save_revision().publish()\n"
        "time.sleep(3)",
    )
    assert "not purged" not in result.stderr
    assert "清除缓存测试描述" in httpx.get(url).text
