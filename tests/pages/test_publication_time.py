"""The first publication time is set by the system once and never changes (falsified
publication dates are an inspection veto item, STANDARDS §2)."""

import datetime

import pytest
from django.utils import timezone

from pages.models import NewsPage, NoticePage
from tests.pages.test_permissions import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def publishing_without_the_chain(monkeypatch):
    # These tests are about the publication time, not about who may publish (the approval
    # chain's publish guards are tested with the chain): publish directly.
    try:
        from pages import publishing
    except ImportError:
        return
    monkeypatch.setattr(publishing, "_guards", [])


def _published_item():
    page = NoticePage.objects.live().first()
    assert page.first_published_at is not None
    return page


def test_saving_with_a_changed_time_keeps_the_first_one(demo):
    page = _published_item()
    original = page.first_published_at
    page.first_published_at = original - datetime.timedelta(days=400)
    page.save()
    page.refresh_from_db()
    assert page.first_published_at == original


def test_republishing_keeps_the_first_time(demo):
    page = _published_item()
    original = page.first_published_at
    page.title += "（更正）"
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert page.first_published_at == original
    assert page.last_published_at > original


def test_publishing_a_revision_that_carries_another_time_keeps_the_first_time(demo):
    page = _published_item()
    original = page.first_published_at
    page.first_published_at = timezone.now() + datetime.timedelta(days=30)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert page.first_published_at == original


def test_unpublish_and_republish_keeps_the_first_time(demo):
    page = _published_item()
    original = page.first_published_at
    page.unpublish()
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live and page.first_published_at == original


def test_editing_in_the_admin_keeps_the_first_time(login, demo):
    client = login("operator")
    page = _published_item()
    original = page.first_published_at
    url = f"/admin/pages/{page.pk}/edit/"
    data = page_form_data(client.get(url))
    data.update(title=page.title + "（修订）", first_published_at="2020-01-01 08:00")
    assert client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.first_published_at == original


def test_a_new_item_gets_its_time_at_first_publication(demo):
    page = NewsPage(title="首次发布时间测试", department=demo.departments["办公室"])
    demo.columns["gongzuo-dongtai"].add_child(instance=page)
    assert page.first_published_at is None
    before = timezone.now()
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.first_published_at >= before - datetime.timedelta(seconds=1)
