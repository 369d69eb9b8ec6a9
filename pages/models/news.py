"""要闻动态 and 通知公告: dynamic, time-sensitive items (时效性信息). Each says whether it reports
a result (within 3 working days after the event) or announces one (at least 3 working days
before it), RULES §4."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from ..forms import TimelyItemForm
from ..public import PublicField, declare
from .base import BaseItemPage, ColumnKind, DeadlineBasis, DocumentItemPage


class TimelyKind(models.TextChoices):
    RESULT = "result", "结果类"
    PREVIEW = "preview", "预告类"


EVENT_DATE_HELP = "结果类为事件发生日期，预告类为事件举行日期。"


def check_result_event_date(item):
    """A result cannot be reported before its event happened."""
    if item.notice_kind == TimelyKind.RESULT and item.event_date and item.formed_on:
        if item.event_date > item.formed_on:
            raise ValidationError({"event_date": "结果类信息的事件日期不能晚于信息形成日期。"})


class NewsPage(BaseItemPage):
    """A news item (工作动态, 时政要闻). A repost (转载) names its source and links the original;
    it is not the bureau's government information: no 索引号, not in the catalogue."""

    column_kinds = (ColumnKind.NEWS,)
    deadline_basis = DeadlineBasis.EVENT
    base_form_class = TimelyItemForm

    notice_kind = models.CharField(
        "时效类型", max_length=10, choices=TimelyKind.choices, default=TimelyKind.RESULT
    )
    event_date = models.DateField(
        "事件日期",
        null=True,
        blank=True,
        help_text=EVENT_DATE_HELP
        + "结果类须在事件后 3 个工作日内发布，预告类须在事件前至少 3 个工作日发布。",
    )

    is_repost = models.BooleanField(
        "转载",
        default=False,
        help_text="转载其他单位或媒体的信息：须注明来源和原文链接，不编索引号、不列入信息公开目录。",
    )
    source = models.CharField(
        "来源", max_length=100, blank=True, help_text="转载信息须注明来源，如“新华社”“民政部网站”。"
    )
    source_url = models.URLField("原文链接", max_length=500, blank=True)
    author_byline = models.CharField("作者/供稿", max_length=60, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("notice_kind"), FieldPanel("event_date")])],
            heading="时效",
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_repost"),
                FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
                FieldPanel("author_byline"),
            ],
            heading="来源",
        ),
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    public_fields = declare(
        BaseItemPage.public_fields,
        [
            PublicField("source", listing=True, search=True),
            PublicField("is_repost", listing=True, description="转载: not the bureau's information"),
            PublicField("source_url", listing=True, description="原文链接 of a repost"),
            PublicField("author_byline"),
        ],
    )

    class Meta:
        verbose_name = "要闻动态"

    def in_disclosure_catalogue(self):
        return not self.is_repost

    def clean(self):
        super().clean()
        check_result_event_date(self)
        errors = {}
        if self.is_repost and not self.source.strip():
            errors["source"] = "转载信息须注明来源。"
        if self.is_repost and not self.source_url:
            errors["source_url"] = "转载信息须填写原文链接。"
        if errors:
            raise ValidationError(errors)


class NoticePage(DocumentItemPage):
    """A notice (通知公告): result-type within 3 working days after the event, preview-type
    at least 3 working days before it (RULES §4)."""

    NoticeKind = TimelyKind

    column_kinds = (ColumnKind.NOTICES,)
    deadline_basis = DeadlineBasis.EVENT

    notice_kind = models.CharField("通知类型", max_length=10, choices=TimelyKind.choices)
    event_date = models.DateField("事件日期", help_text=EVENT_DATE_HELP)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("notice_kind"), FieldPanel("event_date")])],
            heading="通知类型",
        ),
        *DocumentItemPage.document_panels,
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    public_fields = declare(
        DocumentItemPage.public_fields,
        [PublicField("notice_kind", "choice", listing=True), PublicField("event_date", "date", listing=True)],
    )

    class Meta:
        verbose_name = "通知公告"

    def clean(self):
        super().clean()
        check_result_event_date(self)
