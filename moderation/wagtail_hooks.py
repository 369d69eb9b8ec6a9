from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from govportal.accounts.roles import is_administrator

from . import calendar_hooks  # noqa: F401
from .viewsets import ORGANISATION_MENU_HOOK, OrganisationGroup


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_administrator(request.user)


@hooks.register(ORGANISATION_MENU_HOOK)
def leadership_menu_item():
    return AdministratorMenuItem(
        "局领导分工",
        reverse("wagtailsettings:edit", args=["moderation", "bureauleadership"]),
        icon_name="user",
        order=20,
    )


@hooks.register(ORGANISATION_MENU_HOOK)
def accounts_menu_item():
    return AdministratorMenuItem(
        "账号与角色", reverse("wagtailusers_users:index"), icon_name="user", order=40
    )
