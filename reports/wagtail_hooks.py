"""Admin wiring of the reports: URLs and menu items, each shown only to the roles allowed to
open it (the views check again on the server)."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import access, views
from .freshness import attention_list


class RoleMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/statistics/", views.StatisticsView.as_view(), name="reports_statistics"),
        path("reports/assessment/", views.AssessmentView.as_view(), name="reports_assessment"),
        path(
            "reports/assessment/print/",
            views.AssessmentPrintView.as_view(),
            name="reports_assessment_print",
        ),
        path("reports/weights/", views.edit_weights, name="reports_weights"),
        path("reports/freshness/", views.FreshnessView.as_view(), name="reports_freshness"),
    ]


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return RoleMenuItem(
        "报送统计",
        reverse("reports_statistics"),
        icon_name="table",
        order=45,
        allowed=access.can_view_statistics,
    )


@hooks.register("register_admin_menu_item")
def assessment_menu_item():
    return RoleMenuItem(
        "年底总评",
        reverse("reports_assessment"),
        icon_name="order",
        order=46,
        allowed=access.can_view_assessment,
    )


@hooks.register("register_admin_menu_item")
def freshness_menu_item():
    return RoleMenuItem(
        "栏目更新监测",
        reverse("reports_freshness"),
        icon_name="time",
        order=47,
        allowed=access.can_view_freshness,
    )


class FreshnessPanel(Component):
    """Early warnings of stale and empty columns on the dashboard of the Office and of the heads
    of the responsible departments."""

    order = 60
    template_name = "reports/freshness_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {"rows": panel_rows(self.request.user), "url": reverse("reports_freshness")}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["rows"]:
            return ""
        return render_to_string(self.template_name, context)


def panel_rows(user):
    if access.sees_whole_site(user):
        return attention_list()
    headed = list(user.headed_departments.all()) if user.is_authenticated else []
    return attention_list(headed) if headed else []


@hooks.register("construct_homepage_panels")
def add_freshness_panel(request, panels):
    panels.append(FreshnessPanel(request))
