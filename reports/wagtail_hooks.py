"""Admin wiring of the reports: URLs and menu items, each shown only to the roles allowed to
open it (the views check again on the server)."""

from functools import partial

from django.template.loader import render_to_string
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from . import access, views
from .cleanup import LOG_ACTIONS
from .freshness import attention_list

REPORTS_MENU_HOOK = "register_govportal_reports_menu_item"
reports_menu = Menu(
    register_hook_name=REPORTS_MENU_HOOK, construct_hook_name="construct_govportal_reports_menu"
)


@hooks.register("register_admin_menu_item")
def reports_submenu():
    # Shown when the user may open at least one of the reports.
    return SubmenuMenuItem("统计考核", reports_menu, icon_name="table", order=45)


class RoleMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


# (label, URL name, icon, who may open it), in menu order.
REPORT_MENU = [
    ("报送统计", "reports_statistics", "table", access.can_view_statistics),
    ("年底总评", "reports_assessment", "order", access.can_view_assessment),
    ("栏目更新监测", "reports_freshness", "time", access.can_view_freshness),
    ("清理清单", "reports_cleanup", "bin", access.can_clean_up),
    ("链接检查", "reports_links", "link", access.can_view_assessment),
    ("年报数据", "reports_annual", "doc-full", access.can_view_assessment),
]


def _report_menu_item(order, label, url_name, icon, allowed):
    return RoleMenuItem(label, reverse(url_name), icon_name=icon, order=order, allowed=allowed)


# Wagtail's menu takes one item per hook function.
for _order, _entry in enumerate(REPORT_MENU, start=45):
    hooks.register(REPORTS_MENU_HOOK, partial(_report_menu_item, _order, *_entry))


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
        path("reports/cleanup/", views.cleanup_queue, name="reports_cleanup"),
        path("reports/links/", views.LinkCheckView.as_view(), name="reports_links"),
        path("reports/annual/", views.AnnualFiguresView.as_view(), name="reports_annual"),
        path(
            "reports/cleanup/<int:page_id>/<str:action>/", views.cleanup_action, name="reports_cleanup_action"
        ),
    ]


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


@hooks.register("register_log_actions")
def register_cleanup_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
