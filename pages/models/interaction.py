"""互动交流: public questions with replies, the Q&A knowledge base, surveys."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..public import PublicField, declare
from .base import RICH_TEXT_FEATURES, BaseItemPage, ColumnKind, DeadlineBasis

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_query_code():
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(10))


class QuestionPage(BaseItemPage):
    """A question from the public and the department's reply; public only after the chain.
    The asker's name and contact are private and never leave the CMS."""

    column_kinds = (ColumnKind.QUESTIONS,)
    deadline_basis = DeadlineBasis.QUESTION
    is_government_information = False

    question = models.TextField("留言内容", max_length=2000)
    asker_name = models.CharField("留言人", max_length=50, blank=True)
    asker_contact = models.CharField("联系方式（不公开）", max_length=100, blank=True)
    asked_at = models.DateTimeField("留言时间", null=True, blank=True)
    query_code = models.CharField(
        "查询码", max_length=16, unique=True, default=new_query_code, editable=False
    )
    reply = RichTextField("答复内容", features=RICH_TEXT_FEATURES, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)

    content_panels = [
        FieldPanel("title", heading="留言标题"),
        MultiFieldPanel(
            [
                FieldPanel("question"),
                FieldRowPanel([FieldPanel("asker_name"), FieldPanel("asker_contact")]),
                FieldPanel("asked_at", read_only=True),
            ],
            heading="群众留言",
        ),
        MultiFieldPanel([FieldPanel("reply"), FieldPanel("replied_on")], heading="答复"),
        *BaseItemPage.metadata_panels,
    ]
    exclude_fields_in_copy = BaseItemPage.exclude_fields_in_copy + ["query_code"]

    public_fields = declare(
        BaseItemPage.public_fields,
        [
            PublicField("question", search=True),
            PublicField("asked_at", "datetime"),
            PublicField("reply", "rich", search=True),
            PublicField("replied_on", "date", listing=True),
        ],
    )

    class Meta:
        verbose_name = "群众留言"


class QAEntryPage(BaseItemPage):
    """An entry of the Q&A knowledge base (问答知识库)."""

    column_kinds = (ColumnKind.QA,)
    is_government_information = False

    question = models.TextField("问题", max_length=1000)
    answer = RichTextField("解答", features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("answer"),
        *BaseItemPage.metadata_panels,
    ]

    public_fields = declare(
        BaseItemPage.public_fields,
        [PublicField("question", search=True), PublicField("answer", "rich", search=True)],
    )

    class Meta:
        verbose_name = "问答"


class SurveyPage(BaseItemPage):
    """A survey or solicitation of opinion (调查征集) open between two dates."""

    column_kinds = (ColumnKind.SURVEYS,)

    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    feedback_channel = models.TextField("意见反馈方式", blank=True, help_text="如电子邮箱、通讯地址、电话。")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldPanel("feedback_channel"),
            ],
            heading="征集时间与方式",
        ),
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    public_fields = declare(
        BaseItemPage.public_fields,
        [
            PublicField("opens_on", "date", listing=True),
            PublicField("closes_on", "date", listing=True),
            PublicField("is_open", "computed", listing=True),
            PublicField("feedback_channel", search=True),
        ],
    )

    class Meta:
        verbose_name = "调查征集"

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "截止日期不能早于开始日期。"})

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on
