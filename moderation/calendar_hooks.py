"""Admin wiring of the official working-day calendar (imported by wagtail_hooks): the holidays
and make-up days and the loaded years under 组织机构, and a dashboard warning from 1 November
while next year's official schedule is not loaded."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from govportal.accounts.roles import is_administrator

from .calendar import SpecialDay, WorkdayCalendarYear, years_to_load
from .viewsets import ORGANISATION_MENU_HOOK

WEEKDAYS = "一二三四五六日"

# Whoever may edit the holidays may also mark a year as loaded (the administrator's group holds
# the SpecialDay permissions; WorkdayCalendarYear needs no permissions of its own).
register_permission_policy(
    WorkdayCalendarYear, ModelPermissionPolicy(WorkdayCalendarYear, auth_model=SpecialDay)
)


def _year_choices():
    return [(year, f"{year}年") for year in WorkdayCalendarYear.objects.values_list("year", flat=True)]


class SpecialDayFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label="年份", field_name="date", lookup_expr="year", choices=_year_choices
    )

    class Meta:
        model = SpecialDay
        fields = ["year", "kind"]


class SpecialDayForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day and kind == SpecialDay.Kind.WORKDAY and day.weekday() < 5:
            raise ValidationError({"kind": "周一至周五本就上班，调休上班日应为周六或周日。"})
        return cleaned


class SpecialDayViewSet(ModelViewSet):
    """节假日与调休: the holidays and make-up working days, one row a day."""

    model = SpecialDay
    icon = "date"
    menu_label = "节假日与调休"
    menu_order = 60
    name = "special_days"
    menu_hook = ORGANISATION_MENU_HOOK
    list_display = [
        "date",
        Column("weekday", label="星期", accessor=lambda day: f"星期{WEEKDAYS[day.date.weekday()]}"),
        "kind",
        "name",
    ]
    filterset_class = SpecialDayFilterSet
    search_fields = ["name"]
    ordering = ["-date"]
    list_per_page = 50
    edit_handler = ObjectList(
        [FieldPanel("date"), FieldPanel("kind"), FieldPanel("name")], base_form_class=SpecialDayForm
    )


def _days_in_year(kind):
    days = SpecialDay.objects.filter(date__year=OuterRef("year"), kind=kind).order_by()
    return Coalesce(Subquery(days.values("kind").annotate(n=Count("pk")).values("n")[:1]), 0)


class LoadedYearIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                holidays=_days_in_year(SpecialDay.Kind.HOLIDAY),
                workdays=_days_in_year(SpecialDay.Kind.WORKDAY),
            )
        )


class LoadedYearViewSet(ModelViewSet):
    """已载入的年度: the years whose official schedule is complete; others count as provisional."""

    model = WorkdayCalendarYear
    icon = "calendar-alt"
    menu_label = "年度工作日安排"
    menu_order = 61
    name = "workday_years"
    menu_hook = ORGANISATION_MENU_HOOK
    index_view_class = LoadedYearIndexView
    list_display = [
        "year",
        Column("holidays", label="节假日（天）"),
        Column("workdays", label="调休上班（天）"),
        "source",
        "loaded_at",
    ]
    ordering = ["-year"]
    form_fields = ["year", "source"]


@hooks.register("register_admin_viewset")
def register_calendar_viewsets():
    return [SpecialDayViewSet(), LoadedYearViewSet()]


class CalendarWarningPanel(Component):
    """From 1 November on, while next year's official schedule is not loaded (and whenever this
    year's is missing), tells the administrator how to load it."""

    order = 60
    template_name = "moderation/calendar/missing_years_panel.html"

    def __init__(self, years):
        self.years = years

    def get_context_data(self, parent_context=None):
        return {
            "years": self.years,
            "special_days_url": reverse("special_days:index"),
            "years_url": reverse("workday_years:index"),
        }


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    if not is_administrator(request.user):
        return
    years = years_to_load(timezone.localdate())
    if years:
        panels.append(CalendarWarningPanel(years))
