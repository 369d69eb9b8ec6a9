"""Office-maintained columns: 办事服务 (service guides) and 网站链接 (links)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from ..public import PublicField, declare
from .base import RICH_TEXT_FEATURES, BaseItemPage, ColumnKind

# The ten elements of a service guide that inspectors check (STANDARDS §2); the title is 事项名称.
SERVICE_GUIDE_ELEMENTS = [
    ("title", "事项名称"),
    ("legal_basis", "设定依据"),
    ("conditions", "申请条件"),
    ("materials", "办理材料"),
    ("location", "办理地点"),
    ("agency", "办理机构"),
    ("fees", "收费标准"),
    ("hours", "办理时间"),
    ("phone", "联系电话"),
    ("process", "办理流程"),
]


class ServiceGuidePage(BaseItemPage):
    """A service guide (办事指南) with all ten elements."""

    column_kinds = (ColumnKind.SERVICES,)

    legal_basis = RichTextField("设定依据", features=RICH_TEXT_FEATURES)
    conditions = RichTextField("申请条件", features=RICH_TEXT_FEATURES)
    materials = RichTextField("办理材料", features=RICH_TEXT_FEATURES)
    location = models.CharField("办理地点", max_length=200)
    agency = models.CharField("办理机构", max_length=100)
    fees = models.CharField("收费标准", max_length=200)
    hours = models.CharField("办理时间", max_length=200)
    phone = models.CharField("联系电话", max_length=50)
    process = RichTextField("办理流程", features=RICH_TEXT_FEATURES)

    content_panels = [
        FieldPanel("title", heading="事项名称"),
        FieldPanel("legal_basis"),
        FieldPanel("conditions"),
        FieldPanel("materials"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("location"), FieldPanel("agency")]),
                FieldRowPanel([FieldPanel("fees"), FieldPanel("hours"), FieldPanel("phone")]),
            ],
            heading="办理信息",
        ),
        FieldPanel("process"),
        *BaseItemPage.metadata_panels,
        FieldPanel("attachments"),
    ]

    public_fields = declare(
        BaseItemPage.public_fields,
        [
            # The ten elements together, as inspectors check them (SERVICE_GUIDE_ELEMENTS).
            PublicField("elements", "computed"),
            PublicField("legal_basis", "rich", search=True),
            PublicField("conditions", "rich", search=True),
            PublicField("materials", "rich", search=True),
            PublicField("location", search=True),
            PublicField("agency", search=True),
            PublicField("fees", search=True),
            PublicField("hours", search=True),
            PublicField("phone"),
            PublicField("process", "rich", search=True),
        ],
    )

    class Meta:
        verbose_name = "办事指南"


class LinkPage(BaseItemPage):
    """A link to another site (网站链接), checked by the link report."""

    column_kinds = (ColumnKind.LINKS,)
    is_government_information = False

    url = models.URLField("链接地址")
    link_description = models.CharField("说明", max_length=200, blank=True)

    content_panels = [
        FieldPanel("title", heading="网站名称"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("link_description")]),
        *BaseItemPage.metadata_panels,
    ]

    public_fields = declare(
        BaseItemPage.public_fields,
        [PublicField("url", listing=True), PublicField("link_description", search=True)],
    )

    class Meta:
        verbose_name = "网站链接"
