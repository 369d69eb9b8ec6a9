"""政策法规: policy documents with their validity; an amended or abolished document says so
on its own page and links to the one that replaces it (STANDARDS §3)."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from ..public import PublicField, declare, searching
from .base import BaseItemPage, ColumnKind, DocumentItemPage


class PolicyPage(DocumentItemPage):
    """A policy or normative document (政策法规) with 文号, 发布机构, 成文日期, 施行日期, 有效性."""

    column_kinds = (ColumnKind.POLICIES, ColumnKind.ELDERLY_CARE)

    effective_on = models.DateField("施行日期", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "pages.PolicyPage",
        verbose_name="替代文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text="已修订或已废止时，链接修订后或替代它的文件。",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("issuing_authority")]),
                FieldRowPanel([FieldPanel("written_on"), FieldPanel("effective_on")]),
                FieldRowPanel(
                    [FieldPanel("validity"), FieldPanel("valid_until"), FieldPanel("abolished_on")]
                ),
                FieldPanel("replaced_by"),
            ],
            heading="文件信息",
        ),
        *BaseItemPage.metadata_panels,
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    public_fields = declare(
        searching(DocumentItemPage.public_fields, "document_number", "issuing_authority"),
        [
            PublicField("effective_on", "date"),
            PublicField("replaced_by", "computed"),
            PublicField("replaces", "computed"),
        ],
    )

    class Meta:
        verbose_name = "政策文件"

    def clean(self):
        super().clean()
        errors = {}
        if self.written_on is None:
            errors["written_on"] = "政策文件须填写成文日期。"
        if self.replaced_by_id and self.pk and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "替代文件不能是本文件。"
        if self.validity == self.Validity.AMENDED and not self.replaced_by_id:
            errors["replaced_by"] = "已修订的文件须链接修订后的文件。"
        if self.validity == self.Validity.IN_FORCE and self.replaced_by_id:
            errors["replaced_by"] = "现行有效的文件不应有替代文件；请先修改有效性。"
        if self.effective_on and self.written_on and self.effective_on < self.written_on:
            errors["effective_on"] = "施行日期不能早于成文日期。"
        if self.valid_until and self.written_on and self.valid_until < self.written_on:
            errors["valid_until"] = "有效期至不能早于成文日期。"
        if errors:
            raise ValidationError(errors)

    @property
    def is_superseded(self):
        return self.validity != self.Validity.IN_FORCE
