"""What each page shows: government meta tags, footer identifiers, item types laid out for
what they are, listings with pagination and filters, search, the Chinese 404 page."""

import re

from frontend.app import sign_purge

from .conftest import PURGE_SECRET
from .fake_api import NEW_POLICY, OLD_POLICY

NEWS_COLUMN = "/yaowen/gongzuo-dongtai/"


def meta(html, name):
    match = re.search(rf'<meta name="{name}" content="([^"]*)"', html)
    return match and match.group(1)


def item_path(cms, title):
    return next(i for i in cms.items if i["title"] == title)["meta"]["html_path"]


def test_home_shows_latest_items_entries_and_site_identity(site):
    response = site.get("/")
    html = response.text
    assert response.status_code == 200
    assert "我局召开2026年第四季度民政重点工作推进会" in html  # 要闻动态
    assert "关于2027年元旦期间婚姻登记安排的通知" in html  # 通知公告
    assert "开平市最低生活保障审核确认办法" in html  # 政策法规
    assert 'href="/liuyan/"' in html and 'href="/banshi-fuwu/"' in html
    assert meta(html, "SiteName") == "开平市民政局"
    assert meta(html, "SiteDomain") == "mzj.kaiping.gov.cn"
    assert meta(html, "SiteIDCode") == "4407830012"
    for text in ("主办单位", "4407830012", "粤ICP备12345678号", "粤公网安备44078302000001号", "0750-2222222"):
        assert text in html
    assert 'class="skip-link" href="#main"' in html
    assert ">无障碍<" in html and ">长者模式<" in html


def test_column_page_meta_pagination_and_publication_times(site):
    html = site.get(NEWS_COLUMN).text
    assert meta(html, "ColumnName") == "工作动态"
    assert meta(html, "ColumnType") == "动态要闻"
    assert meta(html, "ColumnDescription") and meta(html, "ColumnKeywords")
    assert "共 26 条，第 1 / 2 页" in html
    assert f'href="{NEWS_COLUMN}index_2.html"' in html
    assert html.count('class="entry-date"') == 20
    second = site.get(f"{NEWS_COLUMN}index_2.html")
    assert second.status_code == 200 and "第 2 / 2 页" in second.text
    assert site.get(f"{NEWS_COLUMN}index_9.html").status_code == 404


def test_column_filters_pass_to_api_and_bad_values_are_explained(site, cms):
    html = site.get(NEWS_COLUMN, params={"date_from": "2026-11-09", "department": "1"}).text
    assert any("date_from=2026-11-09" in c and "department=1" in c for c in cms.calls)
    assert "共" not in html or "第 1 / 1 页" in html or "pager" not in html
    bad = site.get(NEWS_COLUMN, params={"date_from": "yesterday", "department": "999"}).text
    assert "起始日期格式应为" in bad and "所选部门不存在" in bad


def test_abolished_policy_shows_banner_linking_the_replacement(site):
    html = site.get(OLD_POLICY["meta"]["html_path"]).text
    banner = html.split('class="validity-banner"', 1)[1].split("</div>", 1)[0]
    assert "本文件已废止" in banner
    assert f'href="{NEW_POLICY["meta"]["html_path"]}"' in banner
    for text in ("文号", "开民〔2019〕8号", "发布机构", "成文日期", "2019年3月1日"):
        assert text in html
    assert meta(html, "ArticleTitle") == OLD_POLICY["title"]
    assert meta(html, "PubDate") == "2026-11-01 09:30"
    assert meta(html, "ContentSource") == "开平市民政局办公室"
    assert "validity-banner" not in site.get(NEW_POLICY["meta"]["html_path"]).text


def test_notice_shows_kind_and_event_date(site, cms):
    html = site.get(item_path(cms, "关于2027年元旦期间婚姻登记安排的通知")).text
    assert "预告类" in html and "2027年1月1日" in html and "发布时间" in html


def test_service_guide_shows_ten_elements(site, cms):
    html = site.get(item_path(cms, "最低生活保障申请")).text
    labels = [
        "事项名称",
        "设定依据",
        "申请条件",
        "办理材料",
        "办理地点",
        "办理机构",
        "收费标准",
        "办理时间",
        "联系电话",
        "办理流程",
    ]
    for label in labels:
        assert f'<th scope="row">{label}</th>' in html


def test_question_reply_and_survey_state(site, cms):
    question = site.get(item_path(cms, "低保申请需要哪些材料？")).text
    assert "留言内容" in question and "需提供户口簿、身份证及家庭收入证明。" in question
    open_survey = site.get(item_path(cms, "关于《开平市养老服务补贴办法（征求意见稿）》公开征求意见")).text
    closed_survey = site.get(item_path(cms, "2025年度民政服务满意度问卷调查")).text
    assert "正在征集" in open_survey and "征集已结束" in closed_survey


def test_attachments_show_type_size_and_local_links(site, cms):
    html = site.get(item_path(cms, "我局召开2026年第四季度民政重点工作推进会")).text
    assert '<a href="/documents/12/meeting.pdf">会议材料</a>' in html
    assert "PDF，47.1 KB" in html
    assert 'src="/media/images/meeting.width-800.jpg"' in html and "127.0.0.1:8012" not in html
    document = site.get("/documents/12/meeting.pdf")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")


def test_disclosure_catalogue_lists_the_catalogue_metadata(site, cms):
    html = site.get("/xxgk/").text
    for header in ("索引号", "名称", "文号", "发布机构", "主题分类", "生成日期", "发布时间", "有效性"):
        assert f'<th scope="col">{header}</th>' in html
    assert 'data-label="有效性">现行有效</td>' in html
    assert "11440783MB2C12345X/<wbr>2026-" in html  # may wrap after the "/"
    assert NEW_POLICY["document_number"] in html and NEW_POLICY["issuing_authority"] in html
    # The catalogue is asked for as such (no client-side filtering that breaks the pager).
    assert any(call.startswith("/api/v2/pages/?") and "catalogue=1" in call for call in cms.calls)


def test_catalogue_leaves_out_reposts_and_questions(site, cms):
    html = site.get("/xxgk/").text
    assert "全省民政工作会议召开" not in html  # a repost
    assert not any(i["title"] in html for i in cms.items if i["meta"]["type"] == "pages.QuestionPage")


def test_catalogue_filters_by_topic_and_validity(site, cms):
    html = site.get("/xxgk/", params={"validity": "abolished"}).text
    assert OLD_POLICY["title"] in html and NEW_POLICY["title"] not in html
    assert '<option value="abolished" selected>' in html
    assert 'data-label="有效性"><span class="tag tag-warn">已废止</span>' in html
    html = site.get("/xxgk/", params={"validity": "bogus"}).text
    assert NEW_POLICY["title"] in html  # an unknown value is ignored, not passed on


def test_a_document_column_offers_and_applies_the_catalogue_filters(site, cms):
    column = OLD_POLICY["meta"]["html_path"].rstrip("/").rsplit("/", 1)[0] + "/"
    html = site.get(column, params={"validity": "abolished"}).text
    assert '<option value="abolished" selected>' in html and 'id="f-topic"' in html
    assert OLD_POLICY["title"] in html and NEW_POLICY["title"] not in html
    # A column of news is no catalogue: no 有效性 to filter by.
    assert 'name="validity"' not in site.get(NEWS_COLUMN).text


def test_repost_names_its_source_on_the_page_and_in_the_meta_tag(site, cms):
    repost = next(i for i in cms.items if i.get("is_repost"))
    html = site.get(repost["meta"]["html_path"]).text
    assert meta(html, "ContentSource") == "广东省民政厅"
    assert "来源：广东省民政厅（转载）" in html
    assert f'href="{repost["source_url"]}"' in html
    assert "索引号" not in html


def test_item_page_shows_the_catalogue_metadata(site, cms):
    html = site.get(NEW_POLICY["meta"]["html_path"]).text
    block = html.split('class="disclosure-meta"', 1)[1]
    for label, value in (
        ("索引号", NEW_POLICY["index_number"]),
        ("文号", NEW_POLICY["document_number"]),
        ("发布机构", NEW_POLICY["issuing_authority"]),
        ("成文日期", NEW_POLICY["written_on"]),
        ("有效性", NEW_POLICY["validity"]["label"]),
    ):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in block


def test_statutory_list_page_shows_columns_and_warns_on_a_missing_kind(site):
    response = site.get("/xxgk/fdzdgknr/")
    html = response.text
    assert response.status_code == 200
    assert meta(html, "ColumnName") == "法定主动公开内容"
    assert 'href="/zhengwu-gongkai/zhengce-fagui/zhengce-fagui/">政策法规</a>' in html
    row = html.split("财政预算、决算信息", 1)[1].split("</tr>", 1)[0]
    assert "暂未公开" in row
    assert 'href="/xxgk/fdzdgknr/"' in site.get("/xxgk/").text


def test_search_highlights_and_escapes(site, cms):
    cms.items[0]["title"] = "养老<script>alert(1)</script>服务"
    html = site.get("/search/", params={"q": "养老"}).text
    assert "<mark>养老</mark>" in html
    assert "<script>alert(1)" not in html
    assert "找到与“<strong>养老</strong>”相关的信息" in html


def test_breadcrumbs_on_items(site, cms):
    html = site.get(item_path(cms, "关于2027年元旦期间婚姻登记安排的通知")).text
    crumbs = html.split('aria-label="当前位置"', 1)[1].split("</nav>", 1)[0]
    assert [t for t in re.findall(r">([^<>]+)</(?:a|span)>", crumbs) if t.strip()][1:5] == [
        "首页",
        "政务公开",
        "单位动态",
        "通知公告",
    ]


def test_unknown_url_gives_chinese_404(site):
    for path in ("/no-such-column/", "/yaowen/gongzuo-dongtai/no-such-item/", "/xxgk/index_99.html"):
        response = site.get(path)
        assert response.status_code == 404
        assert "页面不存在" in response.text and "返回首页" in response.text
    assert site.get("/yaowen").status_code == 308


def test_a_column_the_office_adds_shows_after_the_purge_without_a_restart(site, cms):
    assert site.get("/zhengwu-gongkai/xiangcun-zhenxing/").status_code == 404
    disclosure = next(c for c in cms.site["columns"] if c["title"] == "政务公开")
    disclosure["children"].append(
        {
            "id": 90,
            "title": "乡村振兴专题",
            "slug": "xiangcun-zhenxing",
            "html_path": "/zhengwu-gongkai/xiangcun-zhenxing/",
            "node_type": "column",
            "kind": "news",
            "kind_label": "动态要闻",
            "description": "民政领域助力乡村振兴工作动态。",
            "keywords": "乡村振兴",
            "departments": [],
            "children": [],
        }
    )
    body = b'{"paths": ["/"]}'
    assert site.post("/_purge/", content=body, headers=sign_purge(PURGE_SECRET, body)).status_code == 204
    response = site.get("/zhengwu-gongkai/xiangcun-zhenxing/")
    assert response.status_code == 200
    assert meta(response.text, "ColumnName") == "乡村振兴专题"


def test_the_guide_shows_its_update_date(site, cms):
    disclosure = next(c for c in cms.site["columns"] if c["title"] == "政务公开")
    guide_column = {
        "id": 91,
        "title": "政府信息公开指南",
        "slug": "gongkai-zhinan",
        "html_path": "/zhengwu-gongkai/gongkai-zhinan/",
        "node_type": "column",
        "kind": "guide",
        "kind_label": "公开指南与制度",
        "description": "本局政府信息公开指南。",
        "keywords": "公开指南",
        "departments": [],
        "children": [],
    }
    disclosure["children"].append(guide_column)
    guide = dict(cms.items[0], id=991, title="开平市民政局政府信息公开指南")
    guide["meta"] = dict(
        guide["meta"],
        html_path="/zhengwu-gongkai/gongkai-zhinan/zhinan/",
        parent_id=91,
        first_published_at="2026-03-02T09:00:00+08:00",
        last_published_at="2026-10-14T16:30:00+08:00",
    )
    guide["column"] = {
        "id": 91,
        "title": "政府信息公开指南",
        "kind": "guide",
        "html_path": guide_column["html_path"],
    }
    cms.items.append(guide)
    html = site.get("/zhengwu-gongkai/gongkai-zhinan/zhinan/").text
    assert (
        "发布时间：" in html
        and '更新日期：<time datetime="2026-10-14T16:30:00+08:00">2026-10-14</time>' in html
    )
    # The column's listing names each entry's update date too.
    listing = site.get("/zhengwu-gongkai/gongkai-zhinan/").text
    assert '<th scope="col">更新日期</th>' in listing
    assert 'data-label="更新日期"><time datetime="2026-10-14T16:30:00+08:00">2026-10-14</time>' in listing
    # Other items say when they were published, not updated.
    assert "更新日期" not in site.get(cms.items[0]["meta"]["html_path"]).text
