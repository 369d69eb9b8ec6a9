"""三员分立 through the real admin screens: the system administrator manages accounts but not
roles, the security administrator assigns roles but no account gets two administrator roles,
the audit administrator reads every record and changes nothing; no demo account is a
superuser; role and permission changes are recorded with who made them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import PageLogEntry

from govportal.accounts.models import SecurityEvent
from govportal.accounts.roles import (
    ADMINISTRATORS_GROUP,
    AUDIT_ADMINS_GROUP,
    OPERATORS_GROUP,
    SECURITY_ADMINS_GROUP,
)
from tests.pages.test_permissions import form_data, is_denied

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


def _group(name):
    return Group.objects.get(name=name)


def _edit(client, user, **changes):
    url = f"/admin/users/edit/{user.pk}/"
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_no_demo_account_is_a_superuser_and_the_three_administrators_are_distinct(demo):
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    roles = {
        "admin": ADMINISTRATORS_GROUP,
        "secadmin": SECURITY_ADMINS_GROUP,
        "auditor": AUDIT_ADMINS_GROUP,
    }
    for username, group in roles.items():
        names = set(demo.users[username].groups.values_list("name", flat=True))
        assert group in names and not (names & (set(roles.values()) - {group})), username


def test_system_administrator_manages_accounts_but_not_roles(login, demo):
    admin = login("admin")
    staff = demo.users["staff_jiuzhu"]
    groups = [str(g) for g in staff.groups.values_list("pk", flat=True)]
    response = _edit(admin, staff, groups=groups + [str(_group(OPERATORS_GROUP).pk)])
    assert response.status_code == 200
    assert "由安全管理员分配" in response.content.decode()
    assert not staff.groups.filter(name=OPERATORS_GROUP).exists()
    # Names and passwords stay the system administrator's.
    assert _edit(admin, staff, first_name="小燕燕", groups=groups).status_code == 302


def test_security_administrator_assigns_roles_and_nothing_else(login, demo):
    sec = login("secadmin")
    staff = demo.users["staff_jiuzhu"]
    page = sec.get(f"/admin/users/edit/{staff.pk}/").content.decode()
    assert 'name="password1"' not in page
    groups = [str(g) for g in staff.groups.values_list("pk", flat=True)]
    response = _edit(sec, staff, groups=groups + [str(_group(OPERATORS_GROUP).pk)], first_name="改名")
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.groups.filter(name=OPERATORS_GROUP).exists()
    assert staff.first_name != "改名"  # the field is read-only for the security administrator
    event = SecurityEvent.objects.get(kind=Kind.ROLE_CHANGE, username="staff_jiuzhu", actor="secadmin")
    assert event.detail == f"加入“{OPERATORS_GROUP}”"


def test_no_account_holds_two_administrator_roles(login, demo):
    sec = login("secadmin")
    admin_user = demo.users["admin"]
    groups = [str(g) for g in admin_user.groups.values_list("pk", flat=True)]
    response = _edit(sec, admin_user, groups=groups + [str(_group(AUDIT_ADMINS_GROUP).pk)])
    assert response.status_code == 200 and "三员分立" in response.content.decode()
    assert not admin_user.groups.filter(name=AUDIT_ADMINS_GROUP).exists()
    # Every other path too: code, shell, the group screens.
    with pytest.raises(ValidationError), transaction.atomic():
        admin_user.groups.add(_group(SECURITY_ADMINS_GROUP))
    with pytest.raises(ValidationError), transaction.atomic():
        _group(AUDIT_ADMINS_GROUP).user_set.add(demo.users["secadmin"])
    assert not admin_user.groups.filter(name=SECURITY_ADMINS_GROUP).exists()


def test_nobody_is_made_a_superuser_from_the_admin(login, demo):
    admin = login("admin")
    staff = demo.users["staff_yanglao"]
    groups = [str(g) for g in staff.groups.values_list("pk", flat=True)]
    _edit(admin, staff, groups=groups, is_superuser="on")
    staff.refresh_from_db()
    assert not staff.is_superuser


def test_audit_administrator_reads_every_record_and_changes_nothing(login, client, demo):
    client.post("/admin/login/", {"username": "operator", "password": "wrong"})
    auditor = login("auditor")
    listing = auditor.get("/admin/security_events/")
    assert listing.status_code == 200
    assert "登录失败" in listing.content.decode() and "operator" in listing.content.decode()
    event = SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).first()
    for url in (
        "/admin/security_events/new/",
        f"/admin/security_events/edit/{event.pk}/",
        f"/admin/security_events/delete/{event.pk}/",
    ):
        response = auditor.post(url, {"detail": "篡改"})
        assert response.status_code in (302, 403, 404, 405), url
    event.refresh_from_db()
    assert event.detail != "篡改"
    export = auditor.get("/admin/security_events/?export=csv")
    assert export.status_code == 200
    assert "operator" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_audit_administrator_sees_every_content_action(login, demo):
    auditor = login("auditor")
    page = PageLogEntry.objects.order_by("-timestamp").first()
    response = auditor.get("/admin/audit/content/")
    assert response.status_code == 200
    if page is not None:
        assert page.label in response.content.decode()


@pytest.mark.parametrize("username", ["admin", "secadmin", "operator", "director"])
def test_others_cannot_read_the_audit_records(login, demo, username):
    client = login(username)
    assert is_denied(client.get("/admin/security_events/"))
    assert is_denied(client.get("/admin/audit/content/"))


def test_permission_changes_are_recorded(login, demo):
    group = _group(OPERATORS_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_securityevent"))
    event = SecurityEvent.objects.filter(kind=Kind.PERMISSION_CHANGE).order_by("-id").first()
    assert OPERATORS_GROUP in event.detail and "view_securityevent" in event.detail


SYSTEM_SCREENS = [
    "/admin/workflows/list/",
    "/admin/workflows/tasks/index/",
    "/admin/sites/",
    "/admin/redirects/",
    "/admin/collections/",
]


def test_system_administrator_configures_the_system_without_being_a_superuser(login, demo):
    admin = login("admin")
    for url in SYSTEM_SCREENS:
        assert admin.get(url).status_code == 200, url
    # Roles are the security administrator's: not the system administrator's groups screen.
    assert is_denied(admin.get("/admin/groups/"))


@pytest.mark.parametrize("username", ["secadmin", "auditor"])
def test_the_other_administrators_cannot_configure_the_system(login, demo, username):
    client = login(username)
    for url in SYSTEM_SCREENS:
        assert is_denied(client.get(url)), url
