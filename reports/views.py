"""Thin admin views of the reports, built on Wagtail's ReportView (listing + its own xlsx/CSV
export). The figures come from reports.statistics / reports.assessment."""

from collections import OrderedDict

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, PageLogEntry

from moderation.chain import ChainError
from moderation.models import Department
from pages.models import DocumentItemPage, PolicyPage

from .access import (
    can_clean_up,
    can_edit_weights,
    can_view_assessment,
    can_view_freshness,
    can_view_statistics,
    columns_visible_to,
)
from .annual import annual_figures
from .assessment import assess, monthly_chart_svg
from .cleanup import LOG_ACTIONS, CleanupError, mark_abolished, mark_expired, queue, withdraw
from .forms import WeightsForm
from .freshness import column_freshness, home_freshness, veto_summary
from .models import AssessmentWeights, BrokenLink, LinkCheckRun
from .periods import PeriodForm, YearForm
from .statistics import STEPS, department_statistics, totals


def deny(request, message="您没有查看此页面的权限。"):
    """A refused screen answers 403 with the reason in Chinese."""
    return TemplateResponse(request, "403.html", {"message": message}, status=403)


class GuardedReportView(ReportView):
    """A report only the users ``allowed(user)`` may open (checked before anything is computed)."""

    paginate_by = None
    header_icon = "table"

    @staticmethod
    def allowed(user):
        return False

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            return deny(request)
        return super().dispatch(request, *args, **kwargs)

    def stream_csv(self, queryset):
        # A byte-order mark, so that Excel opens the UTF-8 CSV with its Chinese intact.
        yield "\ufeff".encode()
        yield from super().stream_csv(queryset)

    def to_row_dict(self, item):
        # "step:N" columns read the average days of chain step N.
        return OrderedDict((name, self.export_value(item, name)) for name in self.list_export)

    def export_value(self, item, name):
        if name.startswith("step:"):
            return item.step_days_display(int(name.split(":")[1]))
        value = item
        for part in name.split("."):
            value = getattr(value, part)
        return value


STATISTICS_EXPORT = [
    "rank",
    "department.name",
    "drafted",
    "submitted",
    "published",
    "on_time",
    "on_time_percent",
    "returned",
    "in_review",
    "withdrawn",
    *[f"step:{step}" for step, _ in STEPS],
]
STATISTICS_HEADINGS = {
    "rank": "排名",
    "department.name": "部门",
    "drafted": "拟稿",
    "submitted": "报送",
    "published": "采用（发布）",
    "on_time": "按时发布",
    "on_time_percent": "按时发布率",
    "returned": "退回修改（次）",
    "in_review": "期末审批中",
    "withdrawn": "已撤回",
    **{f"step:{step}": f"{label}平均用时（工作日）" for step, label in STEPS},
}


class StatisticsView(GuardedReportView):
    """报送统计: any period, per department, with a ranking (the desk's assessment figures)."""

    page_title = "报送统计"
    template_name = "reports/statistics.html"
    results_template_name = "reports/statistics_results.html"
    list_export = STATISTICS_EXPORT
    export_headings = STATISTICS_HEADINGS
    allowed = staticmethod(can_view_statistics)

    @cached_property
    def period_form(self):
        return PeriodForm(self.request.GET, today=timezone.localdate())

    @cached_property
    def period(self):
        return self.period_form.chosen_period()

    def get_page_subtitle(self):
        return "" if self.period_form.errors else self.period.label

    def get_filename(self):
        return f"submission-statistics-{self.period.slug}"

    def get_queryset(self):
        if self.period_form.errors:
            return []
        return department_statistics(self.period, Department.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"]
        context.update(
            form=self.period_form,
            period=self.period,
            steps=STEPS,
            totals=totals(rows),
            has_data=any(not row.is_empty for row in rows),
        )
        return context


ASSESSMENT_EXPORT = ["rank", "department.name", "score", *STATISTICS_EXPORT[2:10]] + [
    f"month:{month}" for month in range(1, 13)
]
ASSESSMENT_HEADINGS = {
    **STATISTICS_HEADINGS,
    "score": "总评得分",
    **{f"month:{month}": f"{month}月发布" for month in range(1, 13)},
}


class AssessmentView(GuardedReportView):
    """年底总评: per department per year, the figures, the score, the monthly chart."""

    page_title = "年底总评"
    header_icon = "order"
    template_name = "reports/assessment.html"
    results_template_name = "reports/assessment_results.html"
    list_export = ASSESSMENT_EXPORT
    export_headings = ASSESSMENT_HEADINGS
    allowed = staticmethod(can_view_assessment)

    @cached_property
    def year_form(self):
        return YearForm(self.request.GET, today=timezone.localdate())

    @cached_property
    def period(self):
        return self.year_form.chosen_period()

    @cached_property
    def weights(self):
        return AssessmentWeights.load()

    def get_page_subtitle(self):
        return self.period.label

    def get_filename(self):
        return f"year-end-assessment-{self.period.first.year}"

    def export_value(self, item, name):
        if name.startswith("month:"):
            return item.monthly[int(name.split(":")[1]) - 1]
        return super().export_value(item, name)

    def get_queryset(self):
        if self.year_form.errors:
            return []
        return assess(self.period, Department.objects.all(), self.weights)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"]
        has_data = any(not row.is_empty for row in rows)
        context.update(
            form=self.year_form,
            period=self.period,
            year=self.period.first.year,
            steps=STEPS,
            weights=self.weights,
            has_data=has_data,
            chart=monthly_chart_svg(rows, self.period.first.year) if has_data else "",
            totals=totals(rows),
            can_edit_weights=can_edit_weights(self.request.user),
            printed_at=timezone.localtime(),
            months=range(1, 13),
        )
        return context


class AssessmentPrintView(AssessmentView):
    """年底总评 as a printable summary page (no admin furniture; the browser prints it)."""

    template_name = "reports/assessment_print.html"


def edit_weights(request):
    """考核权重: the Office edits the score's weights; bad input is refused whole."""
    if not can_edit_weights(request.user):
        return deny(request, "只有办公室或管理员可以修改年底总评权重。")
    weights = AssessmentWeights.load()
    form = WeightsForm(request.POST or None, instance=weights)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, "年底总评权重已保存。")
            return redirect("reports_weights")
        messages.error(request, "权重未保存，请更正标出的项目。")
    return TemplateResponse(
        request, "reports/weights.html", {"form": form}, status=400 if form.errors else 200
    )


class FreshnessView(GuardedReportView):
    """栏目更新监测: each column, its departments, last update and days left before it is stale."""

    page_title = "栏目更新监测"
    header_icon = "time"
    template_name = "reports/freshness.html"
    results_template_name = "reports/freshness_results.html"
    list_export = [
        "title",
        "department_names",
        "last_update",
        "limit",
        "days_since",
        "days_left",
        "level_label",
    ]
    export_headings = {
        "title": "栏目",
        "department_names": "责任部门",
        "last_update": "最近更新",
        "limit": "更新时限（天）",
        "days_since": "未更新天数",
        "days_left": "距超期天数",
        "level_label": "状态",
    }
    export_filename = "column-freshness"
    allowed = staticmethod(can_view_freshness)

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def sees_everything(self):
        return columns_visible_to(self.request.user) is None

    def get_queryset(self):
        visible = columns_visible_to(self.request.user)
        rows = column_freshness(self.today, visible)
        if self.sees_everything:
            rows.insert(0, home_freshness(self.today, rows))
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            today=self.today,
            summary=veto_summary(context["object_list"]) if self.sees_everything else None,
        )
        return context


def cleanup_queue(request):
    """清理清单: what must be cleaned up, each with its action, and the recent clean-up records."""
    if not can_clean_up(request.user):
        return deny(request, "只有管理员或办公室可以处理清理清单。")
    return TemplateResponse(
        request,
        "reports/cleanup.html",
        {
            "groups": queue(),
            "policies": PolicyPage.objects.live().order_by("-written_on").only("pk", "title"),
            "records": [
                (LOG_ACTIONS[entry.action], entry)
                for entry in PageLogEntry.objects.filter(action__in=LOG_ACTIONS)
                .select_related("user")
                .order_by("-timestamp")[:20]
            ],
        },
    )


def cleanup_action(request, page_id, action):
    """Carry out one clean-up action (POST), then back to the list with a message."""
    if not can_clean_up(request.user):
        return deny(request, "只有管理员或办公室可以处理清理清单。")
    if request.method != "POST":
        return redirect("reports_cleanup")
    page = get_object_or_404(Page, pk=page_id).specific
    try:
        if action == "withdraw":
            withdraw(page, request.user, request.POST.get("reason"))
            messages.success(request, f"已撤回“{page.title}”，页面和全部记录均保留。")
        elif action in ("expire", "abolish") and isinstance(page, DocumentItemPage):
            if action == "expire":
                mark_expired(page, request.user)
            else:
                replacement = request.POST.get("replaced_by") or ""
                replaced_by = (
                    PolicyPage.objects.filter(pk=replacement).first() if replacement.isdigit() else None
                )
                mark_abolished(page, request.user, replaced_by)
            messages.success(request, f"“{page.title}”已标记为{page.get_validity_display()}。")
        else:
            messages.error(request, "未知的清理操作。")
    except CleanupError as error:
        messages.error(request, " ".join(error.messages))
    except ChainError as error:
        messages.error(request, str(error))
    return redirect("reports_cleanup")


class LinkCheckView(GuardedReportView):
    """链接检查: the latest run's broken links by item and department, and the error-link rate."""

    page_title = "链接检查"
    header_icon = "link"
    template_name = "reports/links.html"
    results_template_name = "reports/links_results.html"
    list_export = ["department.name", "page.title", "kind_label", "target", "error"]
    export_headings = {
        "department.name": "部门",
        "page.title": "信息",
        "kind_label": "类型",
        "target": "链接",
        "error": "错误",
    }
    export_filename = "broken-links"
    allowed = staticmethod(can_view_assessment)

    @cached_property
    def run(self):
        return LinkCheckRun.objects.first()

    def get_queryset(self):
        if self.run is None:
            return BrokenLink.objects.none()
        return (
            BrokenLink.objects.filter(run=self.run)
            .select_related("department", "page")
            .order_by("department__sort_order", "page__title", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_department = {}
        for link in context["object_list"]:
            by_department[link.department.name] = by_department.get(link.department.name, 0) + 1
        context.update(run=self.run, by_department=sorted(by_department.items(), key=lambda kv: -kv[1]))
        return context


class AnnualFiguresView(GuardedReportView):
    """年报数据: the figures of the annual disclosure report for a chosen year, for Excel."""

    page_title = "年报数据"
    header_icon = "doc-full"
    template_name = "reports/annual.html"
    results_template_name = "reports/annual_results.html"
    list_export = ["section", "label", "value"]
    export_headings = {"section": "部分", "label": "项目", "value": "数量"}
    allowed = staticmethod(can_view_assessment)

    @cached_property
    def year_form(self):
        today = timezone.localdate()
        data = self.request.GET.copy()
        # In January the report being written is last year's.
        data.setdefault("year", str(today.year - 1 if today.month == 1 else today.year))
        return YearForm(data, today=today)

    @cached_property
    def period(self):
        return self.year_form.chosen_period()

    def get_page_subtitle(self):
        return "" if self.year_form.errors else self.period.label

    def get_filename(self):
        return f"annual-report-figures-{self.period.first.year}"

    def get_queryset(self):
        if self.year_form.errors:
            return []
        return annual_figures(self.period)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = {}
        for figure in context["object_list"]:
            sections.setdefault(figure.section, []).append(figure)
        context.update(form=self.year_form, year=self.period.first.year, sections=sections.items())
        return context
