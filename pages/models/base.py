"""What every page shares: the site structure (home, categories, sections, columns) and the
abstract item page with department ownership and disclosure metadata."""

import functools

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks import CharBlock, StructBlock
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.locks import WorkflowLock
from wagtail.models import Page, Revision
from wagtail.search import index

from ..addresses import placeholder_slug, settle_address
from ..forms import ColumnPageForm, ItemCopyForm, ItemPageForm
from ..items import is_item
from ..panels import TopicPanel
from ..permissions import GovPagePermissionTester, ever_submitted
from ..public import PREVIEW_HOOK, PublicField, declare
from ..publishing import RecordsKept, check_publication_allowed, is_purging, revision_saved
from .catalogue import DisclosureTopic

RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "link",
    "document-link",
    "image",
]


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    """The identifiers a government website must show (STANDARDS §3): footer and meta tags."""

    site_name = models.CharField("网站名称", max_length=100, default="")
    site_domain = models.CharField("网站域名", max_length=100, blank=True)
    site_id_code = models.CharField(
        "网站标识码", max_length=10, blank=True, help_text="10 位政府网站标识码。"
    )
    organiser = models.CharField("主办单位", max_length=100, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("联系邮箱", blank=True)
    icp_number = models.CharField("ICP备案号", max_length=60, blank=True)
    police_number = models.CharField("公安备案号", max_length=60, blank=True)
    org_code = models.CharField(
        "组织机构代码", max_length=40, blank=True, help_text="用于生成索引号，如 11440783MB2C12345X。"
    )
    emblem = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="站徽",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="显示在后台登录页和侧栏，建议使用正方形图片；未上传时显示网站名称的首字。",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("site_name"),
                FieldPanel("site_domain"),
                FieldPanel("site_id_code"),
                FieldPanel("emblem"),
            ],
            heading="网站",
        ),
        MultiFieldPanel(
            [FieldPanel("organiser"), FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading="主办单位与联系方式",
        ),
        MultiFieldPanel(
            [FieldPanel("icp_number"), FieldPanel("police_number"), FieldPanel("org_code")],
            heading="备案与代码",
        ),
    ]

    class Meta:
        verbose_name = "网站标识与备案信息"

    def clean(self):
        if self.site_id_code and len(self.site_id_code) != 10:
            raise ValidationError({"site_id_code": "网站标识码应为 10 位。"})


class IndexNumberSequence(models.Model):
    """One counter per year for 索引号 serials; incremented atomically in the database."""

    year = models.PositiveIntegerField("年份", unique=True)
    last_serial = models.PositiveIntegerField("当前序号", default=0)

    class Meta:
        verbose_name = "索引号序列"

    def __str__(self):
        return f"{self.year}: {self.last_serial}"


def next_index_number(year=None):
    """Reserve the next disclosure index number of `year`. Safe under concurrent creation: the
    UPDATE takes the row (PostgreSQL) or database (SQLite) write lock before reading the value,
    and inside the caller's transaction a rolled-back publication gives its serial back."""
    year = year or timezone.localdate().year
    with transaction.atomic():
        IndexNumberSequence.objects.get_or_create(year=year)
        IndexNumberSequence.objects.filter(year=year).update(last_serial=F("last_serial") + 1)
        serial = IndexNumberSequence.objects.get(year=year).last_serial
    org_code = SiteIdentity.load().org_code or "000000000"
    return settings.GOVPORTAL_INDEX_NUMBER_PATTERN.format(org_code=org_code, year=year, serial=serial)


class GovPage(Page):
    """Base of every page type: department-aware permissions (pages.permissions)."""

    # Whether pages of this type are items (信息): asked through pages.items.is_item.
    is_item = False
    # What the public sees of this page type (pages.public.PublicField): the API's fields, the
    # search text and the OpenAPI schema are derived from it.
    public_fields = [PublicField("breadcrumbs", "computed")]

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return GovPagePermissionTester(user, self)


class StructurePage(GovPage):
    """Home, categories, sections and columns: the fixed site structure maintained by the
    Office. They carry no department and are not items: operators publish their edits
    directly, and the approval chain (assigned to the home page) applies to the items below."""

    # Its node type in the public site tree ("category", "section", "column"); the home page
    # is the tree's root, not a node.
    site_tree_node = None

    class Meta:
        abstract = True


class HomePage(StructurePage):
    """The site root (首页); its children are the content categories and Office columns."""

    intro = models.TextField("网站简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    public_fields = declare([PublicField("description", listing=True, source="intro")], GovPage.public_fields)
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.CategoryPage", "pages.ColumnPage"]
    is_creatable = False
    max_count = 1

    class Meta:
        verbose_name = "首页"


class CategoryPage(StructurePage):
    """A content category (要闻动态, 政务公开, 互动交流): an index of sections and columns."""

    description = models.TextField("栏目描述", blank=True)

    content_panels = Page.content_panels + [FieldPanel("description")]
    public_fields = declare([PublicField("description", listing=True)], GovPage.public_fields)
    site_tree_node = "category"
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.SectionPage", "pages.ColumnPage"]
    is_creatable = False

    class Meta:
        verbose_name = "栏目分类"


class SectionPage(StructurePage):
    """A subsection of 政务公开 (单位概况, 单位动态, …): an index of columns."""

    description = models.TextField("栏目描述", blank=True)

    content_panels = Page.content_panels + [FieldPanel("description")]
    public_fields = declare([PublicField("description", listing=True)], GovPage.public_fields)
    site_tree_node = "section"
    parent_page_types = ["pages.CategoryPage"]
    subpage_types = ["pages.ColumnPage"]
    is_creatable = False

    class Meta:
        verbose_name = "栏目子类"


class ColumnKind(models.TextChoices):
    """What a leaf column holds; each item type names the kinds of column it may live in."""

    GUIDE = "guide", "公开指南与制度"
    NEWS = "news", "动态要闻"
    LEADERS = "leaders", "单位领导"
    STANDING = "standing", "单位概况"
    APPOINTMENTS = "appointments", "人事任免"
    NOTICES = "notices", "通知公告"
    ANNUAL_REPORTS = "annual_reports", "信息年报"
    BUDGETS = "budgets", "财政预决算"
    DISCLOSURE = "disclosure", "信息公开"
    POLICIES = "policies", "政策法规"
    ELDERLY_CARE = "elderly_care", "养老服务信息"
    QUESTIONS = "questions", "互动交流"
    QA = "qa", "问答知识库"
    SURVEYS = "surveys", "调查征集"
    SERVICES = "services", "办事服务"
    LINKS = "links", "网站链接"


# How often a column must be updated, by kind, when the Office sets no period of its own
# (STANDARDS §2: news columns within 2 weeks; notice, policy and other document columns — the
# 政府信息公开指南 included — within 6 months). Other kinds are standing content.
FRESHNESS_DAYS_BY_KIND = {
    ColumnKind.NEWS: 14,
    ColumnKind.NOTICES: 183,
    ColumnKind.POLICIES: 183,
    ColumnKind.GUIDE: 183,
}


class ColumnPage(StructurePage):
    """A leaf column (栏目) that receives items of the types its kind allows."""

    kind = models.CharField("栏目类型", max_length=20, choices=ColumnKind.choices)
    description = models.TextField("栏目描述", blank=True)
    keywords = models.CharField("栏目关键词", max_length=200, blank=True)
    departments = models.ManyToManyField(
        "moderation.Department",
        verbose_name="责任部门",
        blank=True,
        related_name="columns",
        help_text="由办公室在“组织机构 › 栏目分工”中设置。",
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        "发布时限（工作日）",
        null=True,
        blank=True,
        help_text="比 20 个工作日更严的时限，如社会救助、养老服务栏目为 10 个工作日；留空则为 20。",
    )
    freshness_days = models.PositiveSmallIntegerField(
        "更新周期（天）",
        null=True,
        blank=True,
        help_text="超过此天数未更新即为“不更新栏目”。留空时按栏目类型：动态要闻 14 天，通知公告、政策法规、"
        "公开指南与制度 183 天，其他为按需更新的常设栏目。",
    )

    hidden = models.BooleanField(
        "在网站上隐藏",
        default=False,
        help_text="隐藏后栏目不再出现在网站导航中，已发布的信息保留；有信息的栏目只能隐藏，不能删除。",
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("responsible_departments"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        FieldRowPanel([FieldPanel("deadline_working_days"), FieldPanel("freshness_days")]),
        FieldPanel("hidden"),
    ]
    public_fields = declare(
        [
            PublicField("kind", listing=True, schema={"type": ["string", "null"]}),
            PublicField(
                "kind_label", listing=True, source="get_kind_display", schema={"type": ["string", "null"]}
            ),
            PublicField("description", listing=True),
            PublicField("keywords", listing=True),
            # For the site's navigation (/api/v2/site/), not a field of the page.
            PublicField(
                "hidden",
                "flag",
                listing=True,
                served=False,
                description="a column the Office hid (only when true)",
            ),
        ],
        GovPage.public_fields,
        [PublicField("departments", "computed")],
    )
    site_tree_node = "column"
    base_form_class = ColumnPageForm
    parent_page_types = ["pages.HomePage", "pages.CategoryPage", "pages.SectionPage"]
    subpage_types = [
        "pages.NewsPage",
        "pages.NoticePage",
        "pages.LeaderProfilePage",
        "pages.StandingPage",
        "pages.AppointmentPage",
        "pages.AnnualReportPage",
        "pages.BudgetPage",
        "pages.DisclosurePage",
        "pages.PolicyPage",
        "pages.QuestionPage",
        "pages.QAEntryPage",
        "pages.SurveyPage",
        "pages.ServiceGuidePage",
        "pages.LinkPage",
    ]

    class Meta:
        verbose_name = "栏目"

    @property
    def column_type_label(self):
        return self.get_kind_display()

    @property
    def freshness_limit(self):
        """Days it may go without a new item: its own 更新周期, else its kind's (None: on demand)."""
        return self.freshness_days or FRESHNESS_DAYS_BY_KIND.get(self.kind)

    def item_types_outside(self, kind):
        """Verbose names of the item types in this column that a column of `kind` refuses."""
        names = set()
        for child in self.get_children().specific(defer=True):
            if kind not in getattr(type(child), "column_kinds", ()):
                names.add(str(child._meta.verbose_name))
        return sorted(names)

    def clean(self):
        super().clean()
        if self.pk:
            stored = ColumnPage.objects.filter(pk=self.pk).values_list("kind", flat=True).first()
            if stored and stored != self.kind:
                refused = self.item_types_outside(self.kind)
                if refused:
                    raise ValidationError(
                        {
                            "kind": f"栏目中已有“{'、'.join(refused)}”，"
                            f"“{ColumnKind(self.kind).label}”栏目不能容纳，不能改为此类型。"
                        }
                    )


class AttachmentBlock(StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = CharBlock(label="显示名称", required=False)

    class Meta:
        icon = "doc-full"
        label = "附件"


class VideoBlock(StructBlock):
    document = DocumentChooserBlock(label="视频文件（mp4）")
    caption = CharBlock(label="视频说明", required=False)

    class Meta:
        icon = "media"
        label = "视频"


class DeadlineBasis(models.TextChoices):
    """What an item type's publication deadline counts from (RULES §4, STANDARDS §1)."""

    FORMATION = "formation", "信息形成日期起 20 个工作日（或栏目更严时限）"
    EVENT = "event", "事件日期前后 3 个工作日（时效性信息）"
    QUESTION = "question", "留言之日起的答复时限"
    ANNUAL_REPORT = "annual_report", "次年 1 月 31 日前"


class BaseItemPage(GovPage):
    """An item (信息) in a leaf column: owned by a department, with disclosure metadata."""

    is_item = True
    deadline_basis = DeadlineBasis.FORMATION

    class DisclosureMethod(models.TextChoices):
        PROACTIVE = "proactive", "主动公开"
        ON_REQUEST = "on_request", "依申请公开"

    # The column kinds this item type may be created under (checked by can_create_at).
    column_kinds = ()
    # Whether items of this type are the bureau's government information: listed in the
    # disclosure catalogue (政府信息公开目录) with a 索引号. Questions from the public, links and
    # reposts are not.
    is_government_information = True

    department = models.ForeignKey(
        "moderation.Department",
        verbose_name="所属部门",
        on_delete=models.PROTECT,
        related_name="+",
    )
    formed_on = models.DateField(
        "信息形成日期", default=timezone.localdate, help_text="信息形成或变更的日期，发布时限由此起算。"
    )
    index_number = models.CharField(
        "索引号",
        max_length=80,
        blank=True,
        db_index=True,
        help_text="首次发布时按成文日期（或信息形成日期）的年份生成。",
    )
    # A code of the Office's topic list (pages.models.catalogue.DisclosureTopic).
    topic = models.CharField("主题分类", max_length=20, default="general")
    disclosure_method = models.CharField(
        "公开方式", max_length=20, choices=DisclosureMethod.choices, default=DisclosureMethod.PROACTIVE
    )
    summary = models.TextField("内容概述", blank=True, max_length=500)
    body = RichTextField("正文", features=RICH_TEXT_FEATURES, blank=True)
    attachments = StreamField(
        [("attachment", AttachmentBlock()), ("video", VideoBlock())],
        verbose_name="附件与视频",
        blank=True,
        use_json_field=True,
    )

    public_fields = declare(
        [
            PublicField("formed_on", "date", listing=True),
            PublicField("index_number", listing=True, source="catalogue_index_number"),
            PublicField("topic", "choice", listing=True),
            PublicField("disclosure_method", "choice", listing=True),
            PublicField("summary", listing=True, search=True),
            PublicField("body", "rich", search=True, description="clean HTML"),
            PublicField("attachments", "attachments"),
        ],
        GovPage.public_fields,
    )

    base_form_class = ItemPageForm
    copy_form_class = ItemCopyForm
    exclude_fields_in_copy = ["index_number"]
    parent_page_types = ["pages.ColumnPage"]
    subpage_types = []

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    metadata_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("department"), FieldPanel("formed_on")]),
                FieldRowPanel([TopicPanel(), FieldPanel("disclosure_method")]),
                FieldPanel("index_number", read_only=True),
                FieldPanel("summary"),
            ],
            heading="公开属性",
        )
    ]
    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("review_verified"),
                FieldPanel("review_no_secrets"),
                FieldPanel("review_no_personal"),
            ],
            heading="保密审查（提交审批前由拟稿人逐项确认；正文和附件将自动检查身份证号、手机号、银行卡号和密级标志）",
        )
    ]
    content_panels = (
        Page.content_panels
        + metadata_panels
        + [
            FieldPanel("body"),
            FieldPanel("attachments"),
        ]
    )

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Every item type's editor ends with the confidentiality review (保密审查).
        # (`_meta` is not set yet here, so the abstract test uses the Meta declared on cls.)
        abstract = getattr(cls.__dict__.get("Meta"), "abstract", False)
        if not abstract and cls.review_panels[0] not in cls.content_panels:
            cls.content_panels = [*cls.content_panels, *cls.review_panels]

    @classmethod
    def can_create_at(cls, parent):
        if not super().can_create_at(parent):
            return False
        column = parent.specific if parent else None
        return isinstance(column, ColumnPage) and column.kind in cls.column_kinds

    def clean(self):
        super().clean()
        self._check_column()
        self._check_formed_on()

    def minimal_clean(self):
        # Drafts too: an item type lives only in the columns whose kind accepts it.
        super().minimal_clean()
        self._check_column()

    def _check_column(self):
        if self.path and self.depth > 1:
            # One query for the parent column's kind (checked at every save and publish).
            parent_path = self.path[: -self.steplen]
            kind = ColumnPage.objects.filter(path=parent_path).values_list("kind", flat=True).first()
            if kind not in self.column_kinds:
                title = Page.objects.filter(path=parent_path).values_list("title", flat=True).first()
                raise ValidationError(f"“{self._meta.verbose_name}”不能放在栏目“{title}”下。")
        errors = {}
        if self.topic not in self._allowed_topics():
            errors["topic"] = f"主题分类“{self.topic}”不在主题分类表中，请从列表中选择。"
        owner = self.index_number and title_of_item_with_index_number(self.index_number, exclude=self)
        if owner:
            errors["index_number"] = f"索引号“{self.index_number}”已被《{owner}》使用。"
        if errors:
            raise ValidationError(errors)

    def _allowed_topics(self):
        # A topic retired by the Office stays valid on the items that already carry it.
        allowed = set(DisclosureTopic.objects.filter(active=True).values_list("code", flat=True))
        if self.pk:
            allowed |= {type(self).objects.filter(pk=self.pk).values_list("topic", flat=True).first()}
        return allowed

    @property
    def topic_label(self):
        return DisclosureTopic.objects.filter(code=self.topic).values_list("name", flat=True).first() or ""

    def get_topic_display(self):
        """The topic's name, as Django names a choice field's label (the list is the Office's)."""
        return self.topic_label or self.topic

    def in_disclosure_catalogue(self):
        """Whether this item is the bureau's government information (catalogue, 索引号)."""
        return self.is_government_information

    @property
    def catalogue_index_number(self):
        """The 索引号 the public sees: none on an item outside the catalogue."""
        return self.index_number if self.in_disclosure_catalogue() else ""

    @property
    def catalogue_date(self):
        """The date the information was formed, whose year the 索引号 carries: a document's
        成文日期, otherwise the 信息形成日期."""
        return getattr(self, "written_on", None) or self.formed_on or timezone.localdate()

    def _check_formed_on(self):
        first_saved = self.first_saved_on()
        if self.formed_on and self.formed_on > first_saved:
            # The deadline counts from this date: it cannot be moved past the first save.
            raise ValidationError(
                {"formed_on": f"信息形成日期不能晚于首次保存日期（{first_saved:%Y-%m-%d}）。"}
            )

    def first_saved_on(self):
        """The day the item was first saved (today for a new one)."""
        if self.pk:
            first = (
                Revision.objects.for_instance(self)
                .order_by("created_at")
                .values_list("created_at", flat=True)
            ).first()
            if first is not None:
                return timezone.localdate(first)
        return timezone.localdate()

    def save(self, *args, **kwargs):
        stored = self._stored_state()
        self._refuse_aliases(stored)
        self._keep_first_publication_time(stored)
        self._refuse_uncleared_publication(stored)
        self._number_when_first_published()
        creating = self.pk is None
        if creating:
            self.slug = placeholder_slug()
        else:
            self._keep_address(stored)
        result = super().save(*args, **kwargs)
        if creating:
            settle_address(self)
        return result

    def _keep_address(self, stored):
        # The public address never follows the title, a form or an old revision's slug: links
        # published once keep working (only shorten_old_address changes an old one).
        if stored is not None:
            self.slug = stored["slug"]

    def _number_when_first_published(self):
        # Numbered when first published (self.live is settled by now), so drafts that never go
        # out leave no gaps; the number is kept through later edits and republication.
        self.index_number = self.index_number or self._stored("index_number") or ""
        if not self.index_number and self.live and self.in_disclosure_catalogue():
            self.index_number = next_index_number(self.catalogue_date.year)

    def _stored(self, field):
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list(field, flat=True).first()

    def _stored_state(self):
        if self.pk is None:
            return None
        return (
            Page.objects.filter(pk=self.pk)
            .values("first_published_at", "live", "live_revision_id", "slug")
            .first()
        )

    def _refuse_aliases(self, stored):
        # An alias would go live in another column whenever the original is published, without
        # a pass of its own through the chain: items are copied (a new draft), never aliased.
        if stored is None and self.alias_of_id is not None:
            raise PermissionDenied("信息不能以别名方式放到其他栏目，请复制为新稿件后重新提交审批。")

    def _keep_first_publication_time(self, stored):
        # The first publication time is set once by Wagtail and never changed afterwards
        # (falsified publication dates are an inspection veto item).
        if stored is not None and stored["first_published_at"] is not None:
            self.first_published_at = stored["first_published_at"]

    def _refuse_uncleared_publication(self, stored):
        """Whatever route publishes (Wagtail's actions, the admin API, scheduled publishing,
        code), the item's row goes live only with a revision the chain cleared."""
        if not self.live:
            return
        if self.pk is None:
            # A new item only comes into existence as a draft (except the benchmark generator's
            # data, pages/seed/generator.py): publication is the chain's.
            if not getattr(self, "_allow_live_creation", False):
                self.live = False
            return
        if stored is not None and stored["live"] and stored["live_revision_id"] == self.live_revision_id:
            return  # an ordinary save of what is already live
        check_publication_allowed(self, self.live_revision)

    @property
    def column(self):
        return self.get_parent().specific

    def save_revision(self, *args, **kwargs):
        # Locked while in review (先审查后公开): no route saves content an approver did not see —
        # not the editor, not revert, not the admin API (only the step's own editors may).
        lock = self.get_lock() if self.pk else None
        if isinstance(lock, WorkflowLock) and (kwargs.get("user") is None or lock.for_user(kwargs["user"])):
            raise PermissionDenied("该稿件正在审批中，已锁定，不能修改或恢复到其他版本。")
        # A draft opened from a revision older than the first publication carries no 索引号.
        self.index_number = self.index_number or self._stored("index_number") or ""
        revision = super().save_revision(*args, **kwargs)
        revision_saved(self, revision, kwargs.get("user"))
        return revision

    def publish(self, revision, *args, **kwargs):
        # Refuse before Wagtail's action starts (it would cancel the workflow first); the row-level
        # check in save() covers routes that do not pass through here.
        check_publication_allowed(self, revision)
        return super().publish(revision, *args, **kwargs)

    def copy(self, *args, **kwargs):
        # A copy is a new item: it is never published by copying ("publish copies").
        kwargs["keep_live"] = False
        return super().copy(*args, **kwargs)

    def serve_preview(self, request, mode_name):
        # The admin's preview (also a reviewer's, of the revision in review) shows the item as the
        # public front end renders it, through a signed one-hour token: the public part answers
        # through this hook (govportal/api/preview.py).
        for render in hooks.get_hooks(PREVIEW_HOOK):
            return render(self, request)
        return super().serve_preview(request, mode_name)

    def full_clean(self, *args, **kwargs):
        # A new item can only come into existence as a draft: publication is the chain's.
        if self.pk is None and self.live and not getattr(self, "_allow_live_creation", False):
            self.live = False
        return super().full_clean(*args, **kwargs)


@receiver(pre_delete, sender=Page)
def keep_records_of_submitted_items(sender, instance, **kwargs):
    """Deleting a page deletes everything below it, through any route (delete view, bulk delete,
    the admin API, code): an item that ever entered the chain is refused unless purged."""
    if not is_item(instance) or is_purging():
        return
    if ever_submitted(instance):
        raise RecordsKept(
            f"“{instance.title}”已提交过审批或已发布，须保留审批记录，不能删除；"
            "已发布的信息请由管理员“撤回”（填写理由）。"
        )


def concrete_subclasses(base):
    return [m for m in apps.get_models() if issubclass(m, base) and not m._meta.abstract]


def _title_of_other_item_with(base, field, value, exclude):
    """The title of an item of any concrete type under `base` (other than `exclude`) whose
    `field` is `value`, or None. One statement over every type's table (a UNION): the check
    runs in every clean(), including the publishing step's."""
    excluded = exclude.pk if exclude is not None else None
    using = router.db_for_read(base)
    statement = _other_item_statement(base, field, excluded is not None, using)
    if statement is None:
        return None
    sql, marked = statement
    params = [value if p == _MARKED_VALUE else excluded if p == _MARKED_PK else p for p in marked]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return found[0] if found else None


# Stand-ins compiled into the statement once, replaced by each check's value and id.
_MARKED_VALUE = "\x00value"
_MARKED_PK = -765432109


@functools.cache
def _other_item_statement(base, field, excluding, using):
    """The UNION of _title_of_other_item_with as (sql, params with stand-ins), compiled once per
    process: building the query over a dozen item types cost more than running it."""
    queries = []
    for model in concrete_subclasses(base):
        others = model.objects.filter(**{field: _MARKED_VALUE}, alias_of__isnull=True)
        if excluding:
            others = others.exclude(pk=_MARKED_PK)
        queries.append(others.order_by().values_list("title", flat=True))
    if not queries:
        return None
    union = queries[0].union(*queries[1:], all=True)[:1]
    sql, params = union.query.get_compiler(using).as_sql()
    return sql, tuple(params)


def title_of_item_with_index_number(number, exclude=None):
    """The title of the item (other than `exclude`) that carries this 索引号, or None."""
    return _title_of_other_item_with(BaseItemPage, "index_number", number, exclude)


class DocumentItemPage(BaseItemPage):
    """An item the bureau issues as a document (policies, notices, plans, budgets, reports,
    appointments): the catalogue shows its 文号, 发布机构, 成文日期 and 有效性 (Art. 12)."""

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", "现行有效"
        AMENDED = "amended", "已修订"
        ABOLISHED = "abolished", "已废止"
        EXPIRED = "expired", "已失效"

    document_number = models.CharField(
        "文号", max_length=80, blank=True, help_text="如“开民发〔2026〕12号”；无文号的信息留空。"
    )
    issuing_authority = models.CharField(
        "发布机构", max_length=100, blank=True, help_text="留空则为本单位（网站主办单位）。"
    )
    written_on = models.DateField("成文日期", null=True, blank=True, help_text="留空则与信息形成日期相同。")
    validity = models.CharField("有效性", max_length=12, choices=Validity.choices, default=Validity.IN_FORCE)
    valid_until = models.DateField(
        "有效期至", null=True, blank=True, help_text="有明确有效期的文件填写；过期后列入清理清单。"
    )
    abolished_on = models.DateField(
        "废止或失效日期", null=True, blank=True, help_text="已废止或已失效的文件填写，用于年报统计。"
    )

    document_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("issuing_authority")]),
                FieldPanel("written_on"),
                FieldRowPanel(
                    [FieldPanel("validity"), FieldPanel("valid_until"), FieldPanel("abolished_on")]
                ),
            ],
            heading="文件信息",
        )
    ]

    public_fields = declare(
        BaseItemPage.public_fields,
        [
            PublicField("document_number", listing=True),
            PublicField("issuing_authority", listing=True),
            PublicField("written_on", "date", listing=True),
            PublicField("validity", "choice", listing=True),
        ],
    )

    exclude_fields_in_copy = BaseItemPage.exclude_fields_in_copy + ["document_number"]

    class Meta:
        abstract = True

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.document_number = " ".join(self.document_number.split())
        owner = self.document_number and _title_of_other_item_with(
            DocumentItemPage, "document_number", self.document_number, self
        )
        if owner:
            errors.setdefault("document_number", []).append(
                f"文号“{self.document_number}”已被《{owner}》使用，请核对文号。"
            )
        written_on = self.written_on or self.formed_on
        if self.valid_until and written_on and self.valid_until < written_on:
            errors.setdefault("valid_until", []).append("有效期至不能早于成文日期。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.issuing_authority:
            self.issuing_authority = SiteIdentity.load().organiser
        if self.written_on is None:
            self.written_on = self.formed_on
        return super().save(*args, **kwargs)
