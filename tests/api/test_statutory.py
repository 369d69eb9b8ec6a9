"""The statutory proactive-disclosure list in the admin: each kind, its columns, the last
update, and a warning where a required kind has nothing published."""

import pytest

from govportal.api.statutory import statutory_status
from pages.models import ColumnPage, StatutoryDisclosureKind

pytestmark = pytest.mark.django_db


def test_every_required_kind_of_the_demo_is_published(demo):
    rows = statutory_status()
    assert len(rows) >= 15
    assert not [row.kind.name for row in rows if row.missing]
    guide = next(row for row in rows if row.kind.name == "政府信息公开指南")
    assert [c["title"] for c in guide.columns] == ["政府信息公开指南"] and guide.last_updated


def test_admin_view_warns_on_an_empty_required_kind(login, demo):
    empty = ColumnPage(title="政府集中采购", slug="jizhong-caigou", kind="disclosure")
    demo.columns["zhixing-gongkai"].get_parent().add_child(instance=empty)
    kind = StatutoryDisclosureKind.objects.get(name="政府集中采购项目的目录、标准及实施情况")
    kind.required = True
    kind.save()
    kind.columns.set([empty])
    client = login("operator")
    html = client.get("/admin/disclosure/statutory/").content.decode()
    assert "1 项必须公开的内容尚未发布任何信息" in html
    assert "⚠ 尚未公开" in html and kind.name in html
    assert login("staff_jiuzhu").get("/admin/disclosure/statutory/").status_code in (302, 403)
