"""政府信息公开 as an inspector reads it, against the real CMS and front end with the demo data:
the catalogue's columns and filters, a repost named as such, the statutory list, and a column
the Office adds that is on the public site at once (no restart)."""

import time

import httpx

from .test_public_site import SHOTS

WIDTHS = ((1366, "desktop"), (390, "phone"))


def a_repost(servers):
    return next(
        i for i in servers.api("pages/", type="pages.NewsPage", limit=100)["items"] if i.get("is_repost")
    )


def test_catalogue_columns_and_topic_filter(page, servers):
    page.goto("/xxgk/")
    headers = page.locator("table.catalogue thead th").all_inner_texts()
    assert headers == ["索引号", "名称", "文号", "发布机构", "主题分类", "生成日期", "发布时间", "有效性"]
    topic = page.locator("#f-topic option").filter(has_text="社会救助").get_attribute("value")
    page.select_option("#f-topic", topic)
    page.get_by_role("button", name="筛选").click()
    assert f"topic={topic}" in page.url
    topics = set(page.locator("table.catalogue td[data-label=主题分类]").all_inner_texts())
    assert topics == {"社会救助"}


def test_repost_names_its_source_and_is_not_in_the_catalogue(page, servers):
    repost = a_repost(servers)
    page.goto(repost["meta"]["html_path"])
    assert "本文为转载信息" in page.locator(".repost-note").inner_text()
    assert page.locator("meta[name=ContentSource]").get_attribute("content") == repost["source"]
    catalogue = servers.api("pages/", catalogue=1, type="pages.NewsPage", limit=100)["items"]
    assert catalogue and repost["id"] not in {item["id"] for item in catalogue}


def test_statutory_list_says_where_each_kind_is(page):
    page.goto("/xxgk/")
    page.get_by_role("link", name="法定主动公开内容").click()
    assert page.locator("h1").inner_text() == "法定主动公开内容"
    assert page.get_by_role("link", name="政府信息公开指南").count() >= 1


def test_a_column_the_office_adds_is_on_the_public_site_at_once(servers):
    section = "/zhengwu-gongkai/zhengwu-gongkai/"
    with httpx.Client(base_url=servers.site_url, timeout=10) as site:
        assert "乡村振兴专题" not in site.get(section).text  # now cached for 30 s
        servers.manage(
            "shell",
            "-c",
            "import time\n"
            "from pages.models import ColumnPage, SectionPage\n"
            "section = SectionPage.objects.get(title='政务公开')\n"
            "column = ColumnPage(title='乡村振兴专题', slug='xczx', kind='news')\n"
            "section.add_child(instance=column)\n"
            "column.save_revision().publish()\n"
            "time.sleep(3)",
        )
        deadline = time.monotonic() + 10
        while "乡村振兴专题" not in site.get(section).text and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "乡村振兴专题" in site.get(section).text
        assert site.get(section + "xczx/").status_code == 200


def test_screenshots_of_the_disclosure_screens(browser, servers):
    repost = a_repost(servers)
    public = {
        "catalogue": "/xxgk/",
        "statutory": "/xxgk/fdzdgknr/",
        "repost": repost["meta"]["html_path"],
        "guide": "/zhengwu-gongkai/gongkai-zhinan/",
        "policy": servers.api("pages/", type="pages.PolicyPage", limit=1)["items"][0]["meta"]["html_path"],
    }
    servers.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "get_user_model().objects.update(must_change_password=False)",
    )
    admin = ["/admin/disclosure/statutory/", "/admin/disclosure_topics/", "/admin/statutory_kinds/"]
    for width, label in WIDTHS:
        context = browser.new_context(base_url=servers.site_url, viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, path in public.items():
            page.goto(path)
            page.screenshot(path=f"{SHOTS}/disclosure-{name}-{label}.png", full_page=True)
        page.goto(f"{servers.cms_url}/admin/login/")
        page.fill("input[name=username]", "operator")
        page.fill("input[name=password]", "Demo#2026gov")
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        for path in admin:
            page.goto(f"{servers.cms_url}{path}")
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=f"{SHOTS}/{name}-{label}.png", full_page=True)
        context.close()
