"""Columns the Office adds in the admin: under a section, with their kind, responsible
departments, freshness and description; the tree's rules still hold; a column with items is
hidden, never orphaned by a change of kind; the public site shows it at once."""

import pytest
from wagtail.test.utils.form_data import nested_form_data

from pages.models import ColumnPage, NewsPage, NoticePage
from tests.pages.test_permissions import form_data

pytestmark = pytest.mark.django_db


def _column_form(demo, **extra):
    data = {
        "title": "乡村振兴专题",
        "slug": "xiangcun-zhenxing",
        "kind": "news",
        "description": "民政领域助力乡村振兴工作动态。",
        "keywords": "乡村振兴",
        "deadline_working_days": "",
        "freshness_days": "14",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "publish",
    }
    data.update(extra)
    form = nested_form_data(data)
    # Several values under one name, as the browser posts ticked checkboxes.
    form["responsible_departments"] = [str(demo.departments["社会救助股"].pk)]
    return form


def _add_column(client, parent, demo, **extra):
    return client.post(f"/admin/pages/add/pages/columnpage/{parent.pk}/", _column_form(demo, **extra))


def test_operator_adds_a_column_that_takes_only_its_kinds_and_appears_publicly(login, demo, client):
    section = demo.columns["zhixing-gongkai"].get_parent()
    operator = login("operator")
    response = _add_column(operator, section, demo)
    assert response.status_code == 302, response.content.decode()[:2000]
    column = ColumnPage.objects.get(slug="xiangcun-zhenxing")
    assert column.live and column.kind == "news" and column.freshness_days == 14
    assert list(column.departments.all()) == [demo.departments["社会救助股"]]
    assert NewsPage.can_create_at(column) and not NoticePage.can_create_at(column)
    # The department feeding it may now add news there, and only there what its kind allows.
    staff = login("staff_jiuzhu")
    assert staff.get(f"/admin/pages/add/pages/newspage/{column.pk}/").status_code == 200
    assert staff.get(f"/admin/pages/add/pages/noticepage/{column.pk}/").status_code in (302, 403)
    client.logout()
    site = client.get("/api/v2/site/").json()
    disclosure = next(c for c in site["columns"] if c["title"] == "政务公开")
    section_node = next(c for c in disclosure["children"] if c["id"] == section.pk)
    added = next(c for c in section_node["children"] if c["title"] == "乡村振兴专题")
    assert added["kind"] == "news" and added["description"] == "民政领域助力乡村振兴工作动态。"
    assert [d["id"] for d in added["departments"]] == [demo.departments["社会救助股"].pk]


def test_department_staff_cannot_add_columns(login, demo):
    section = demo.columns["zhixing-gongkai"].get_parent()
    response = _add_column(login("head_jiuzhu"), section, demo)
    assert response.status_code in (302, 403)
    assert not ColumnPage.objects.filter(slug="xiangcun-zhenxing").exists()


def test_a_kind_that_would_orphan_items_is_refused_in_chinese(login, demo):
    client = login("operator")
    column = demo.columns["tongzhi-gonggao"]
    url = f"/admin/pages/{column.pk}/edit/"
    data = form_data(client.get(url), "page-edit-form")
    data.update({"kind": "news", "action-publish": "publish"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "栏目中已有“通知公告”" in response.content.decode()
    column.refresh_from_db()
    assert column.kind == "notices"


def test_hiding_a_column_keeps_its_items_public(login, demo, client):
    column = demo.columns["shuang-suiji"]
    item = column.get_children().live().first()
    operator = login("operator")
    url = f"/admin/pages/{column.pk}/edit/"
    data = form_data(operator.get(url), "page-edit-form")
    data.update({"hidden": "on", "action-publish": "publish"})
    assert operator.post(url, data).status_code == 302
    client.logout()
    site = client.get("/api/v2/site/").text
    assert "“双随机、一公开”抽查结果" not in site
    assert client.get(f"/api/v2/pages/{item.pk}/").status_code == 200


def test_a_column_with_items_cannot_be_deleted_even_by_a_superuser(demo):
    column = demo.columns["shuang-suiji"]
    superuser = demo.users["admin"]
    superuser.is_superuser = True
    assert not column.permissions_for_user(superuser).can_delete()
    empty = ColumnPage(title="空栏目", slug="kong-lanmu", kind="disclosure")
    column.get_parent().add_child(instance=empty)
    assert empty.permissions_for_user(superuser).can_delete()
