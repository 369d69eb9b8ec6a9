"""seed_demo: the demo site of DESIGN.md §2, idempotent."""

import io
import socket

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from govportal.accounts.roles import ADMINISTRATORS_GROUP, LEADERS_GROUP, OPERATORS_GROUP
from moderation.models import BureauLeadership, Department
from pages.models import ITEM_PAGE_MODELS, ColumnPage, SiteIdentity

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "departments": Department.objects.count(),
        "groups": Group.objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "mapping": ColumnPage.departments.through.objects.count(),
    }


def _seed(*args):
    call_command("seed_demo", *args, stdout=io.StringIO())


def test_seed_demo_twice_changes_nothing(demo):
    user = get_user_model().objects.get(username="staff_jiuzhu")
    user.set_password("Changed#Pass2026")
    user.must_change_password = False
    user.save()
    before = _counts()
    hashes = dict(get_user_model().objects.values_list("username", "password"))
    published = dict(Page.objects.values_list("pk", "first_published_at"))
    _seed()
    assert _counts() == before
    assert dict(get_user_model().objects.values_list("username", "password")) == hashes
    assert dict(Page.objects.values_list("pk", "first_published_at")) == published
    user.refresh_from_db()
    assert user.check_password("Changed#Pass2026") and not user.must_change_password


def test_seed_keeps_what_the_administrator_changed(demo):
    identity = SiteIdentity.load()
    identity.phone = "0750-9999999"
    identity.save()
    department = demo.departments["社会救助股"]
    department.heads.set([demo.users["staff_jiuzhu"]])
    _seed()
    assert SiteIdentity.load().phone == "0750-9999999"
    assert list(department.heads.values_list("username", flat=True)) == ["staff_jiuzhu"]


def test_site_settings(demo):
    identity = SiteIdentity.load()
    assert identity.site_name == "开平市民政局"
    assert identity.organiser == "开平市民政局"
    assert len(identity.site_id_code) == 10
    assert "ICP备" in identity.icp_number
    assert identity.org_code
    assert demo.home.title == "开平市民政局"


ROLES = {
    "director": LEADERS_GROUP,
    "ideology": LEADERS_GROUP,
    "deputy_a": LEADERS_GROUP,
    "deputy_b": LEADERS_GROUP,
    "operator": OPERATORS_GROUP,
    "admin": ADMINISTRATORS_GROUP,
}

DEPARTMENTS = {
    "社会救助股": ("head_jiuzhu", {"staff_jiuzhu"}, "deputy_a"),
    "养老服务股": ("head_yanglao", {"staff_yanglao"}, "deputy_a"),
    "社会事务股": ("head_shiwu", {"staff_shiwu"}, "deputy_b"),
    "办公室": ("head_office", {"staff_office", "operator"}, "deputy_b"),
}


def test_demo_accounts_as_designed(demo):
    usernames = set(ROLES) | {u for head, staff, _ in DEPARTMENTS.values() for u in {head} | staff}
    assert set(demo.users) >= usernames
    for username in usernames:
        user = demo.users[username]
        assert user.check_password(demo.password), username
        assert user.must_change_password, username
        assert user.is_active, username
    for username, group in ROLES.items():
        assert demo.users[username].groups.filter(name=group).exists(), username
    assert [u for u, user in demo.users.items() if user.is_superuser] in ([], ["admin"])
    leadership = BureauLeadership.load()
    assert leadership.director.username == "director"
    assert leadership.ideology_leader.username == "ideology"


def test_demo_departments_as_designed(demo):
    assert set(demo.departments) == set(DEPARTMENTS)
    for name, (head, staff, leader) in DEPARTMENTS.items():
        department = demo.departments[name]
        assert set(department.heads.values_list("username", flat=True)) == {head}, name
        assert set(department.staff.values_list("username", flat=True)) == staff, name
        assert department.supervising_leader.username == leader, name
        assert department.group.user_set.count() == 1 + len(staff), name
    assert demo.departments["办公室"].is_general_office
    supervised = set(demo.users["deputy_a"].supervised_departments.values_list("name", flat=True))
    assert supervised == {"社会救助股", "养老服务股"}


def test_every_leaf_column_has_live_items_of_its_types(demo):
    for column in ColumnPage.objects.all():
        items = column.get_children().live().specific()
        minimum = 1 if column.title in ("主要职责", "机构设置", "政府信息公开指南", "政府信息公开制度") else 3
        assert len(items) >= minimum, column.title
        for item in items:
            assert type(item).can_create_at(column), (column.title, item.title)
            assert item.department_id, item.title
            assert bool(item.index_number) == item.in_disclosure_catalogue(), item.title
            assert item.first_published_at, item.title
        assert column.departments.exists(), column.title


def test_items_are_realistic(demo):
    items = [item for model in ITEM_PAGE_MODELS for item in model.objects.live()]
    with_images = [i for i in items if 'embedtype="image"' in (i.body or "")]
    with_attachments = [i for i in items if len(i.attachments)]
    assert with_images and with_attachments
    assert all(not i.title.isascii() for i in items)


def test_seed_items_adds_that_many_items(demo):
    before = sum(model.objects.count() for model in ITEM_PAGE_MODELS)
    users = get_user_model().objects.count()
    _seed("--items", "30")
    after = sum(model.objects.count() for model in ITEM_PAGE_MODELS)
    assert after - before == 30
    assert get_user_model().objects.count() == users


def test_seed_says_calmly_when_the_public_site_is_not_running(demo, settings):
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings.GOVPORTAL_FRONTEND_PURGE_URLS = [closed]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"公众网站 {closed} 未运行，无需刷新其缓存" in out.getvalue()
    assert "refused" not in out.getvalue().lower()
