"""重点领域信息公开 and 政务公开: annual reports, budgets and other disclosure items."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page

from ..public import PublicField, declare
from .base import BaseItemPage, ColumnKind, DeadlineBasis, DocumentItemPage


def validate_year(value):
    if not 2000 <= value <= 2100:
        raise ValidationError("年份应在 2000 至 2100 之间。")


class AnnualReportPage(DocumentItemPage):
    """An annual government-information disclosure report (信息年报), due by 31 January."""

    column_kinds = (ColumnKind.ANNUAL_REPORTS,)
    deadline_basis = DeadlineBasis.ANNUAL_REPORT

    year = models.PositiveIntegerField("报告年度", validators=[validate_year])

    content_panels = Page.content_panels + [
        FieldPanel("year"),
        *DocumentItemPage.document_panels,
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    public_fields = declare(DocumentItemPage.public_fields, [PublicField("year", listing=True)])

    class Meta:
        verbose_name = "信息公开年报"


class BudgetPage(DocumentItemPage):
    """A budget, final account or "three public expenses" document (财政预决算和三公经费)."""

    class BudgetKind(models.TextChoices):
        BUDGET = "budget", "预算"
        FINAL_ACCOUNT = "final_account", "决算"
        THREE_PUBLIC = "three_public", "三公经费"

    column_kinds = (ColumnKind.BUDGETS,)

    year = models.PositiveIntegerField("年度", validators=[validate_year])
    budget_kind = models.CharField("类别", max_length=20, choices=BudgetKind.choices)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("year"), FieldPanel("budget_kind")]),
        *DocumentItemPage.document_panels,
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    public_fields = declare(
        DocumentItemPage.public_fields,
        [PublicField("year", listing=True), PublicField("budget_kind", "choice", listing=True)],
    )

    class Meta:
        verbose_name = "财政预决算"


class DisclosurePage(DocumentItemPage):
    """A disclosure item of the other key-area and affairs-disclosure columns, and the
    政府信息公开指南 and 制度 (kept current: its 更新日期 is shown)."""

    column_kinds = (ColumnKind.DISCLOSURE, ColumnKind.ELDERLY_CARE, ColumnKind.GUIDE)

    content_panels = Page.content_panels + [
        *DocumentItemPage.document_panels,
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    class Meta:
        verbose_name = "公开信息"
