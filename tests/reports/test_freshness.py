"""Column freshness at each threshold's boundary days (natural days: the official calendar's
holidays do not pause the inspection clock), the dashboard warning and the screen."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from pages.models import ColumnKind, ColumnPage, DisclosurePage, NewsPage, NoticePage
from reports.freshness import Level, attention_list, column_freshness, home_freshness
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def watched(demo):
    """Three new columns of 社会事务股 under the home page: a news column with one item first
    published on 2026-02-10 (before the Spring Festival holiday 2/15–2/23), a notice column
    (6 months) with one item of 2026-01-05, and an empty news column."""
    department = demo.departments["社会事务股"]

    def column(title, kind, slug, published=None):
        page = ColumnPage(title=title, slug=slug, kind=kind)
        demo.home.add_child(instance=page)
        page.departments.add(department)
        if published:
            fields = dict(title=f"{title}的信息", department=department, formed_on=published)
            if kind == ColumnKind.NOTICES:
                item = NoticePage(notice_kind="result", event_date=published, **fields)
            else:
                item = NewsPage(**fields)
            page.add_child(instance=item)
            Page.objects.filter(pk=item.pk).update(live=True, first_published_at=at(published))
        return page

    return {
        "news": column("监测动态", ColumnKind.NEWS, "watch-news", D(2026, 2, 10)),
        "notices": column("监测公告", ColumnKind.NOTICES, "watch-policies", D(2026, 1, 5)),
        "empty": column("监测空白", ColumnKind.NEWS, "watch-empty"),
    }


def level_on(column, day):
    (row,) = column_freshness(day, ColumnPage.objects.filter(pk=column.pk))
    return row.level, row.days_left


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 19), (Level.OK, 5)),  # 9 days, inside the holiday
        (D(2026, 2, 20), (Level.WARNING, 4)),  # 10 days: the vendors' early warning
        (D(2026, 2, 24), (Level.WARNING, 0)),  # 14 days: last day before the veto
        (D(2026, 2, 25), (Level.STALE, -1)),  # 15 days: not updated within 2 weeks
    ],
)
def test_news_column_boundaries_across_the_spring_festival(watched, day, expected):
    assert level_on(watched["news"], day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 6, 6), (Level.OK, 31)),  # 152 days
        (D(2026, 6, 7), (Level.WARNING, 30)),  # 153 days: five months
        (D(2026, 7, 7), (Level.WARNING, 0)),  # 183 days: the last day of six months
        (D(2026, 7, 8), (Level.STALE, -1)),
    ],
)
def test_notice_column_boundaries(watched, day, expected):
    assert level_on(watched["notices"], day) == expected


def test_the_guide_is_a_document_column_and_a_hidden_column_is_not_checked(demo):
    """政府信息公开指南 without a period of its own goes stale after six months like notices; a
    column the Office hid is off the site and off the list."""
    guide = ColumnPage(title="监测指南", slug="watch-guide", kind=ColumnKind.GUIDE)
    demo.home.add_child(instance=guide)
    item_day = D(2026, 1, 5)
    guide_item = DisclosurePage(title="指南", department=demo.departments["办公室"], formed_on=item_day)
    guide.add_child(instance=guide_item)
    Page.objects.filter(pk=guide_item.pk).update(live=True, first_published_at=at(item_day))
    assert guide.freshness_days is None
    assert level_on(guide, D(2026, 7, 8)) == (Level.STALE, -1)
    ColumnPage.objects.filter(pk=guide.pk).update(hidden=True)
    assert column_freshness(D(2026, 7, 8), ColumnPage.objects.filter(pk=guide.pk)) == []


def test_an_empty_column_warns_at_once(watched):
    assert level_on(watched["empty"], D(2026, 2, 11)) == (Level.EMPTY, None)


def test_the_columns_own_limit_wins_and_a_new_item_resets_the_clock(watched, demo):
    news = watched["news"]
    ColumnPage.objects.filter(pk=news.pk).update(freshness_days=30)
    assert level_on(news, D(2026, 2, 25)) == (Level.OK, 15)
    item = NewsPage(title="新信息", department=demo.departments["社会事务股"], formed_on=D(2026, 3, 1))
    news.add_child(instance=item)
    NewsPage.objects.filter(pk=item.pk).update(live=True, first_published_at=at(D(2026, 3, 2)))
    assert level_on(news, D(2026, 3, 20)) == (Level.OK, 12)


def test_home_page_follows_the_newest_item(watched):
    day = timezone.localdate() + datetime.timedelta(days=11)
    home = home_freshness(day)
    assert home.level == Level.WARNING and home.days_since >= 11


def test_head_sees_only_their_columns_warnings(watched, demo, login):
    rows = attention_list([demo.departments["社会事务股"]], today=D(2026, 2, 25))
    titles = {r.title for r in rows}
    assert {"监测动态", "监测空白"} <= titles and "首页（最新信息）" not in titles
    head = login("head_shiwu", client=Client())
    assert "栏目更新预警" in head.get("/admin/").content.decode()
    assert "监测空白" in head.get("/admin/").content.decode()
    other = login("head_jiuzhu", client=Client())
    assert "监测空白" not in other.get("/admin/").content.decode()
    page = login("operator", client=Client()).get("/admin/reports/freshness/").content.decode()
    assert "空白栏目" in page and "单项否决" in page
