from django.db.models import Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from govportal.accounts.roles import department_ids, is_site_manager
from moderation.viewsets import ORGANISATION_MENU_HOOK

from . import views
from .models import ITEM_PAGE_MODELS, ColumnPage


@hooks.register("register_admin_urls")
def register_column_mapping_url():
    return [path("columns/mapping/", views.column_mapping, name="pages_column_mapping")]


class SiteManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_site_manager(request.user)


@hooks.register(ORGANISATION_MENU_HOOK)
def column_mapping_menu_item():
    return SiteManagerMenuItem("栏目分工", reverse("pages_column_mapping"), icon_name="list-ul", order=30)


@hooks.register("construct_explorer_page_queryset")
def only_own_department_items(parent_page, pages, request):
    """Staff see only their own department's items inside a shared column."""
    user = request.user
    if is_site_manager(user) or not isinstance(parent_page.specific, ColumnPage):
        return pages
    own = Q(pk__in=[])
    for model in ITEM_PAGE_MODELS:
        own |= Q(
            pk__in=model.objects.child_of(parent_page)
            .filter(department_id__in=department_ids(user))
            .values("pk")
        )
    return pages.filter(own)
