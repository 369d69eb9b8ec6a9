"""An item's public address: short (t20261128_1234), stable on title edits, old links redirect."""

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from govportal.api.catalogue import index_page
from pages.addresses import is_short
from pages.management.commands.shorten_item_addresses import shorten_all_old_addresses
from pages.models import ITEM_PAGE_MODELS, NewsPage
from tests.helpers import create_item, news_form_data

pytestmark = pytest.mark.django_db


def test_a_new_item_gets_a_short_address_that_survives_title_edits(login, demo):
    client = login("staff_jiuzhu")
    column = demo.columns["gongzuo-dongtai"]
    create_item(client, column, demo.departments["社会救助股"], action=None, title="冬季送温暖活动顺利开展")
    page = NewsPage.objects.get(title="冬季送温暖活动顺利开展")
    assert page.slug == f"t{timezone.localdate():%Y%m%d}_{page.pk}"
    assert page.url_path == f"{column.url_path}{page.slug}/"

    data = news_form_data(
        demo.departments["社会救助股"], title="冬季送温暖活动圆满结束", slug="dongji-songwennuan"
    )
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    page.refresh_from_db()
    assert page.draft_title == "冬季送温暖活动圆满结束"
    assert page.slug == f"t{timezone.localdate():%Y%m%d}_{page.pk}"


def test_every_seeded_item_has_a_short_address(demo):
    for model in ITEM_PAGE_MODELS:
        assert all(is_short(slug) for slug in model.objects.values_list("slug", flat=True)), model


def test_an_old_title_address_is_shortened_and_redirects_permanently(demo):
    page = NewsPage.objects.live().first()
    old_slug = "社会救助政策宣传进村居活动"
    parent = page.get_parent()
    Page.objects.filter(pk=page.pk).update(slug=old_slug, url_path=f"{parent.url_path}{old_slug}/")
    index_page(page.pk)
    old_path = f"{parent.url_path.removeprefix(demo.home.url_path[:-1])}{old_slug}/"
    api = Client()
    assert api.get("/api/v2/pages/find/", {"html_path": old_path}).status_code == 302

    assert shorten_all_old_addresses() == 1
    page.refresh_from_db()
    assert is_short(page.slug)
    redirect = Redirect.objects.get(redirect_page=page)
    assert redirect.is_permanent and redirect.old_path == Redirect.normalise_path(old_path)
    # The API answers the old address with the item, whose html_path is the new one.
    found = api.get("/api/v2/pages/find/", {"html_path": old_path})
    assert found.status_code == 302 and found["Location"].startswith(f"/api/v2/pages/{page.pk}/")
    detail = api.get(found["Location"]).json()
    assert detail["meta"]["html_path"].endswith(f"/{page.slug}/")
    assert shorten_all_old_addresses() == 0
