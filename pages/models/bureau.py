"""单位概况 and 人事任免: the bureau's leaders, duties, organisation and appointments."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..public import PublicField, declare, searching
from .base import RICH_TEXT_FEATURES, BaseItemPage, ColumnKind, DocumentItemPage


class LeaderProfilePage(BaseItemPage):
    """A leader's profile (单位领导): 姓名、照片、职务、简历、分管工作."""

    column_kinds = (ColumnKind.LEADERS,)

    position = models.CharField("职务", max_length=100)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="照片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resume = RichTextField("简历", features=RICH_TEXT_FEATURES)
    responsibilities = models.TextField("分管工作")

    content_panels = [
        FieldPanel("title", heading="姓名"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("photo")]),
        FieldPanel("resume"),
        FieldPanel("responsibilities"),
        *BaseItemPage.metadata_panels,
    ]

    public_fields = declare(
        BaseItemPage.public_fields,
        [
            PublicField("position", listing=True, search=True),
            PublicField("photo", "image"),
            PublicField("resume", "rich", search=True),
            PublicField("responsibilities", search=True),
        ],
    )

    class Meta:
        verbose_name = "领导简介"


class StandingPage(BaseItemPage):
    """A standing description of the bureau (主要职责, 机构设置), revised when it changes."""

    column_kinds = (ColumnKind.STANDING,)

    class Meta:
        verbose_name = "单位概况"


class AppointmentPage(DocumentItemPage):
    """An appointment or removal (人事任免), issued as a document with its 文号."""

    column_kinds = (ColumnKind.APPOINTMENTS,)

    content_panels = Page.content_panels + [
        *DocumentItemPage.document_panels,
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    public_fields = searching(DocumentItemPage.public_fields, "document_number")

    class Meta:
        verbose_name = "人事任免"
