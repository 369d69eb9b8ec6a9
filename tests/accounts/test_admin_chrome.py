"""The admin's chrome speaks for the bureau, in Chinese, and fetches nothing from outside."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Task

from moderation.chain import CHAIN_TASK_TYPES
from pages.models import SiteIdentity

pytestmark = pytest.mark.django_db


def test_login_page_carries_the_site_name_not_wagtails(demo):
    html = Client().get("/admin/login/").content.decode()
    site_name = SiteIdentity.load().site_name
    assert f"<title>登录 - {site_name}</title>" in html
    assert "Wagtail" not in html.split("<body", 1)[1].split("<script", 1)[0]
    assert ">密码<" in html.replace(" ", "").replace("\n", "")


def test_login_and_sidebar_show_the_emblem_uploaded_in_the_site_settings(demo, login):
    identity = SiteIdentity.load()
    assert identity.emblem is not None  # the demo seeds a drawn emblem
    login_page = Client().get("/admin/login/").content.decode()
    assert 'class="gp-emblem gp-emblem--image"' in login_page and "fill-144x144" in login_page
    assert 'class="gp-emblem gp-emblem--image"' in login("operator").get("/admin/").content.decode()
    identity.emblem = None
    identity.save()
    fallback = Client().get("/admin/login/").content.decode()
    assert 'class="gp-emblem gp-emblem--image"' not in fallback
    assert f'aria-label="{identity.site_name}">{identity.site_name[0]}</span>' in fallback


def test_admin_titles_end_in_the_site_name(login):
    html = login("operator").get("/admin/").content.decode()
    assert f"- {SiteIdentity.load().site_name}</title>" in html


def test_no_avatar_or_guide_from_an_outside_host(login):
    html = login("admin").get("/admin/").content.decode()
    assert "gravatar" not in html
    assert "guide.wagtail.org" not in html


def test_names_are_shown_surname_first(login, demo):
    user = get_user_model().objects.get(username="staff_jiuzhu")
    user.last_name, user.first_name = "陈", "国平"
    user.save()
    assert user.get_full_name() == "陈国平"
    html = login("admin").get("/admin/users/").content.decode()
    assert "陈国平" in html and "国平 陈" not in html
    dashboard = login("staff_jiuzhu").get("/admin/").content.decode()
    props = dashboard.split('id="wagtail-sidebar-props"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
    sidebar = json.dumps(json.loads(props), ensure_ascii=False)
    assert '"name": "陈国平"' in sidebar and '"name": "国平"' not in sidebar


def test_user_list_says_active_in_chinese(login):
    html = login("admin").get("/admin/users/").content.decode()
    assert "True" not in html and "是" in html


def test_only_the_chains_tasks_are_active(demo):
    active = set(Task.objects.filter(active=True).values_list("name", flat=True))
    assert active == {task_type._meta.verbose_name for task_type in CHAIN_TASK_TYPES}
