"""The column tree of RULES.md §2 and its type rules."""

import pytest

from pages.models import ColumnPage, NewsPage, NoticePage, PolicyPage
from pages.seed.tree import COLUMN_TREE, iter_leaves

pytestmark = pytest.mark.django_db


def _titles(page):
    return [child.title for child in page.get_children()]


def test_tree_matches_the_rules(demo):
    assert _titles(demo.home) == ["要闻动态", "政务公开", "互动交流", "办事服务", "网站链接"]
    disclosure = demo.home.get_children().get(title="政务公开")
    assert _titles(disclosure) == [
        "单位概况",
        "单位动态",
        "重点领域信息公开",
        "政务公开",
        "政策法规",
        "政府信息公开指南",
        "政府信息公开制度",
    ]
    key_areas = disclosure.get_children().get(title="重点领域信息公开")
    assert _titles(key_areas) == [
        "信息年报公开",
        "财政预决算和三公经费",
        "安全生产",
        "价格和收费",
        "社会救助和社会福利",
    ]
    assert ColumnPage.objects.count() == len(list(iter_leaves(COLUMN_TREE))) == 24


def test_every_leaf_column_has_live_items(demo):
    for column in ColumnPage.objects.all():
        live = column.get_children().live().count()
        minimum = (
            1 if column.slug in ("zhuyao-zhize", "jigou-shezhi", "gongkai-zhinan", "gongkai-zhidu") else 3
        )
        assert live >= minimum, column.title


def test_item_types_only_where_they_belong(demo):
    news = demo.columns["gongzuo-dongtai"]
    policies = demo.columns["zhengce-fagui"]
    assert NewsPage.can_create_at(news)
    assert not PolicyPage.can_create_at(news)
    assert PolicyPage.can_create_at(policies)
    assert not NoticePage.can_create_at(policies)
    assert PolicyPage.can_create_at(demo.columns["yanglao-fuwu"])


def test_wrong_type_refused_in_admin(login, demo):
    client = login("operator")
    news = demo.columns["gongzuo-dongtai"]
    response = client.get(f"/admin/pages/add/pages/policypage/{news.pk}/")
    assert response.status_code in (302, 403)
    response = client.get(f"/admin/pages/add/pages/newspage/{news.pk}/")
    assert response.status_code == 200
    chooser = client.get(f"/admin/pages/{news.pk}/add_subpage/")
    assert chooser.status_code in (200, 302)
    if chooser.status_code == 200:
        assert "政策文件" not in chooser.content.decode()


def test_wrong_type_refused_in_code(demo):
    from django.core.exceptions import ValidationError

    news = demo.columns["gongzuo-dongtai"]
    policy = PolicyPage(
        title="错放的文件",
        department=demo.departments["办公室"],
        issuing_authority="开平市民政局",
        written_on="2026-01-01",
    )
    with pytest.raises(ValidationError):
        news.add_child(instance=policy)
