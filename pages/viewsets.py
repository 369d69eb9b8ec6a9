"""Admin screens of the disclosure catalogue's reference lists (信息公开 menu): the topic list
and the statutory list with the columns each kind is published in."""

from django import forms
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from govportal.accounts.roles import is_site_manager

from .models import DisclosureTopic, StatutoryDisclosureKind

DISCLOSURE_MENU_HOOK = "register_disclosure_menu_item"


class SiteManagerMenuItem(MenuItem):
    """A menu item only the Office's site managers see."""

    def is_shown(self, request):
        return is_site_manager(request.user)


def yes_no_column(name, label):
    """A yes/no field as 是/否 (Wagtail's default shows True/False)."""
    return Column(name, label=label, accessor=lambda obj: "是" if getattr(obj, name) else "否")


class DisclosureTopicViewSet(ModelViewSet):
    model = DisclosureTopic
    icon = "tag"
    menu_label = "主题分类"
    name = "disclosure_topics"
    # The code is internal (items and the API carry it); the Office reads names.
    list_display = ["name", "national_category", "sort_order", yes_no_column("active", "启用")]
    list_filter = ["national_category", "active"]
    search_fields = ["name", "code"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldPanel("national_category"),
            FieldRowPanel([FieldPanel("sort_order"), FieldPanel("active")]),
        ]
    )


class StatutoryDisclosureKindViewSet(ModelViewSet):
    model = StatutoryDisclosureKind
    icon = "list-ol"
    menu_label = "法定公开事项"
    name = "statutory_kinds"
    list_display = ["name", "legal_basis", yes_no_column("required", "必须公开"), "sort_order"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("legal_basis"),
            FieldRowPanel([FieldPanel("required"), FieldPanel("sort_order")]),
            FieldPanel("columns", widget=forms.CheckboxSelectMultiple),
        ]
    )


class DisclosureGroup(ViewSetGroup):
    """信息公开: the catalogue's topic list, the statutory list and its status."""

    menu_label = "信息公开"
    menu_icon = "doc-full"
    menu_order = 240
    submenu_hook = DISCLOSURE_MENU_HOOK
    items = (DisclosureTopicViewSet, StatutoryDisclosureKindViewSet)
