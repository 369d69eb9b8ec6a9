"""The public part's admin screen: the statutory list's status, in the Office's 信息公开 menu."""

from django.urls import path, reverse
from wagtail import hooks

from pages.viewsets import DISCLOSURE_MENU_HOOK, SiteManagerMenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_statutory_list_url():
    # The name and address it had in the pages app: links and bookmarks keep working.
    return [path("disclosure/statutory/", admin_views.statutory_list, name="pages_statutory_list")]


@hooks.register(DISCLOSURE_MENU_HOOK)
def statutory_list_menu_item():
    return SiteManagerMenuItem(
        "法定主动公开清单", reverse("pages_statutory_list"), icon_name="list-ol", order=5
    )
