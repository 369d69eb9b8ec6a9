"""Admin wiring of the reports: URLs and menu items, each shown only to the roles allowed to
open it (the views check again on the server)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import access, views


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
