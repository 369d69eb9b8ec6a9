"""要闻动态 and 通知公告: dynamic, time-sensitive items."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from .base import BaseItemPage, ColumnKind


class NewsPage(BaseItemPage):
    """A news item (工作动态, 时政要闻); a repost names its source (来源)."""

    column_kinds = (ColumnKind.NEWS,)

    source = models.CharField(
        "来源", max_length=100, blank=True, help_text="转载信息须注明来源，如“新华社”“市民政局”。"
    )
    author_byline = models.CharField("作者/供稿", max_length=60, blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("source"), FieldPanel("author_byline")]),
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    class Meta:
        verbose_name = "新闻动态"


class NoticePage(BaseItemPage):
    """A notice (通知公告): result-type within 3 working days after the event, preview-type
    at least 3 working days before it (RULES §4)."""

    class NoticeKind(models.TextChoices):
        RESULT = "result", "结果类"
        PREVIEW = "preview", "预告类"

    column_kinds = (ColumnKind.NOTICES,)

    notice_kind = models.CharField("通知类型", max_length=10, choices=NoticeKind.choices)
    event_date = models.DateField("事件日期", help_text="结果类为事件发生日期，预告类为事件举行日期。")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("notice_kind"), FieldPanel("event_date")])],
            heading="通知类型",
        ),
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    class Meta:
        verbose_name = "通知公告"

    def clean(self):
        super().clean()
        if self.notice_kind == self.NoticeKind.RESULT and self.event_date and self.formed_on:
            if self.event_date > self.formed_on:
                raise ValidationError({"event_date": "结果类通知的事件日期不能晚于信息形成日期。"})
