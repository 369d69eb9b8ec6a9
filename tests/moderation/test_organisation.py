"""The 组织机构 admin: departments edited by the administrator, with validation, and the
department groups following heads and staff."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from moderation.models import BureauLeadership, Department
from tests.pages.test_permissions import field_errors, form_data, is_denied

pytestmark = pytest.mark.django_db

INDEX = "/admin/departments/"
NEW = "/admin/departments/new/"
# The settings screen redirects to the one record's page.
LEADERSHIP = "/admin/settings/moderation/bureauleadership/1/"


def edit_url(department):
    return f"/admin/departments/edit/{department.pk}/"


def _members(department):
    department.refresh_from_db()
    return set(department.group.user_set.values_list("username", flat=True))


def _new_department_data(admin, demo, **overrides):
    data = form_data(admin.get(NEW))
    data.update(
        name="社会组织管理股",
        kind="section",
        sort_order="50",
        heads=[str(demo.users["head_shiwu"].pk)],
        staff=[str(demo.users["staff_shiwu"].pk)],
        supervising_leader=str(demo.users["deputy_b"].pk),
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _menu_shown(client, label):
    # The sidebar menu is rendered as JSON, which escapes non-ASCII text.
    html = client.get("/admin/").content.decode()
    return label in html or label.encode("unicode_escape").decode() in html


def test_administrator_sees_the_organisation_menu_and_departments(login, demo):
    admin = login("admin")
    assert _menu_shown(admin, "组织机构")
    listing = admin.get(INDEX)
    assert listing.status_code == 200
    for name in demo.departments:
        assert name in listing.content.decode()


def test_administrator_creates_a_department(login, demo):
    admin = login("admin")
    response = admin.post(NEW, _new_department_data(admin, demo))
    assert response.status_code == 302, response.content.decode()[:3000]
    department = Department.objects.get(name="社会组织管理股")
    assert set(department.heads.values_list("username", flat=True)) == {"head_shiwu"}
    assert department.supervising_leader == demo.users["deputy_b"]
    assert department.group.name == "部门：社会组织管理股"
    assert _members(department) == {"head_shiwu", "staff_shiwu"}


def test_department_without_a_head_is_refused(login, demo):
    admin = login("admin")
    response = admin.post(NEW, _new_department_data(admin, demo, heads=None))
    assert response.status_code == 200
    assert "负责人" in field_errors(response, "heads")
    assert not Department.objects.filter(name="社会组织管理股").exists()
    # What the administrator typed is kept.
    assert 'value="社会组织管理股"' in response.content.decode()


def test_department_without_a_supervising_leader_is_refused(login, demo):
    admin = login("admin")
    response = admin.post(NEW, _new_department_data(admin, demo, supervising_leader=""))
    assert response.status_code == 200
    assert "分管领导" in field_errors(response, "supervising_leader")
    assert not Department.objects.filter(name="社会组织管理股").exists()


def test_editing_cannot_remove_the_last_head(login, demo):
    admin = login("admin")
    department = demo.departments["社会救助股"]
    data = form_data(admin.get(edit_url(department)))
    data.pop("heads", None)
    response = admin.post(edit_url(department), data)
    assert response.status_code == 200
    assert "负责人" in field_errors(response, "heads")
    assert set(department.heads.values_list("username", flat=True)) == {"head_jiuzhu"}


def test_supervising_leader_cannot_head_the_department(login, demo):
    admin = login("admin")
    leader = demo.users["deputy_b"]
    response = admin.post(NEW, _new_department_data(admin, demo, heads=[str(leader.pk)]))
    assert response.status_code == 200
    assert field_errors(response, "supervising_leader")


def test_duplicate_name_is_refused_in_chinese(login, demo):
    admin = login("admin")
    response = admin.post(NEW, _new_department_data(admin, demo, name="社会救助股"))
    assert response.status_code == 200
    message = field_errors(response, "name")
    assert message and "already" not in message, message
    assert Department.objects.filter(name="社会救助股").count() == 1


def test_group_membership_follows_heads_and_staff(login, demo):
    admin = login("admin")
    department = demo.departments["社会救助股"]
    assert _members(department) == {"head_jiuzhu", "staff_jiuzhu"}
    data = form_data(admin.get(edit_url(department)))
    data["staff"] = [str(demo.users["staff_yanglao"].pk)]
    assert admin.post(edit_url(department), data).status_code == 302
    assert _members(department) == {"head_jiuzhu", "staff_yanglao"}

    # staff_jiuzhu has lost the department's columns; staff_yanglao has gained them.
    notices = demo.columns["tongzhi-gonggao"]
    jiuzhu = demo.columns["shehui-jiuzhu"]
    old = login("staff_jiuzhu", client=Client())
    new = login("staff_yanglao", client=Client())
    assert is_denied(old.get(f"/admin/pages/add/pages/disclosurepage/{jiuzhu.pk}/"))
    response = new.get(f"/admin/pages/add/pages/disclosurepage/{jiuzhu.pk}/")
    assert response.status_code == 200
    select = BeautifulSoup(response.content, "html.parser").find("select", attrs={"name": "department"})
    assert "社会救助股" in [o.text.strip() for o in select.find_all("option") if o.get("value")]
    # The department's items are theirs now.
    own_item = notices.get_children().specific().filter(pk__in=_item_pks(department)).first()
    assert new.get(f"/admin/pages/{own_item.pk}/edit/").status_code == 200


def _item_pks(department):
    from pages.models import NoticePage

    return NoticePage.objects.filter(department=department).values("pk")


def test_renaming_a_department_renames_its_group(login, demo):
    admin = login("admin")
    department = demo.departments["养老服务股"]
    data = form_data(admin.get(edit_url(department)))
    data["name"] = "养老服务和社会福利股"
    assert admin.post(edit_url(department), data).status_code == 302
    department.refresh_from_db()
    assert department.group.name == "部门：养老服务和社会福利股"
    assert _members(department) == {"head_yanglao", "staff_yanglao"}


def test_deleting_a_department_takes_away_its_column_permissions(login, demo):
    admin = login("admin")
    response = admin.post(NEW, _new_department_data(admin, demo))
    department = Department.objects.get(name="社会组织管理股")
    operator = login("operator", client=Client())
    column = demo.columns["xingzheng-zhifa"]
    mapping = form_data(operator.get("/admin/columns/mapping/"))
    key = f"column-{column.pk}"
    mapping[key] = mapping.get(key, []) + [str(department.pk)]
    assert operator.post("/admin/columns/mapping/", mapping).status_code == 302
    group_id = department.group_id

    response = admin.post(f"/admin/departments/delete/{department.pk}/")
    assert response.status_code == 302
    assert not Department.objects.filter(pk=department.pk).exists()
    from wagtail.models import GroupPagePermission

    assert not GroupPagePermission.objects.filter(group_id=group_id).exists()


@pytest.mark.parametrize("username", ["staff_jiuzhu", "head_jiuzhu", "operator", "deputy_a"])
def test_others_cannot_reach_the_organisation_screens(login, demo, username):
    client = login(username)
    department = demo.departments["社会救助股"]
    for url in (INDEX, NEW, edit_url(department), f"/admin/departments/delete/{department.pk}/"):
        assert is_denied(client.get(url)), url
    data = {
        "name": "被篡改",
        "kind": "section",
        "sort_order": "1",
        "heads": [str(demo.users[username].pk)],
        "supervising_leader": str(demo.users["deputy_a"].pk),
    }
    assert is_denied(client.post(edit_url(department), data))
    assert is_denied(client.post(NEW, data))
    assert is_denied(client.get(LEADERSHIP))
    department.refresh_from_db()
    assert department.name == "社会救助股"
    assert not Department.objects.filter(name="被篡改").exists()
    if username != "operator":  # operators see the menu for its 栏目分工 entry
        assert not _menu_shown(client, "组织机构")


def test_leadership_roles_are_edited_by_the_administrator(login, demo):
    admin = login("admin")
    response = admin.get(LEADERSHIP)
    assert response.status_code == 200
    data = form_data(response)
    data["director"] = ""
    response = admin.post(LEADERSHIP, data)
    assert response.status_code == 200
    assert field_errors(response, "director")
    assert BureauLeadership.load().director == demo.users["director"]
