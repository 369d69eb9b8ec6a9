"""Builds the demo site: settings, the column tree and demo items. Idempotent by natural keys
(slugs under their parent, titles of media)."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from moderation.demo_chain import advance, author_for, quietly, send_back, submit
from moderation.desk import refresh_record
from pages.public import live_page_changed

from ..models import (
    AnnualReportPage,
    AppointmentPage,
    BudgetPage,
    CategoryPage,
    ColumnPage,
    DisclosurePage,
    DocumentItemPage,
    HomePage,
    LeaderProfilePage,
    LinkPage,
    NewsPage,
    NoticePage,
    PolicyPage,
    QAEntryPage,
    QuestionPage,
    SectionPage,
    ServiceGuidePage,
    SiteIdentity,
    StandingPage,
    SurveyPage,
)
from .catalogue import BUREAU, DocumentNumbers, summary_for, topic_for
from .content import DEMO_ITEMS, PENDING_ITEMS, publication_time
from .media import attachment_for, leader_photo, news_image, site_emblem
from .tree import COLUMN_TREE

DEMO_IDENTITY = dict(
    site_name="开平市民政局",
    site_domain="mzj.kaiping.gov.cn",
    site_id_code="4407830012",
    organiser="开平市民政局",
    address="广东省开平市长沙街道东兴大道88号",
    phone="0750-2211001",
    email="mzj@kaiping.example.cn",
    icp_number="粤ICP备12345678号-1",
    police_number="粤公网安备44078302000123号",
    org_code="11440783MB2C12345X",
)

ITEM_CLASS_BY_KIND = {
    "news": NewsPage,
    "leaders": LeaderProfilePage,
    "standing": StandingPage,
    "appointments": AppointmentPage,
    "notices": NoticePage,
    "annual_reports": AnnualReportPage,
    "budgets": BudgetPage,
    "disclosure": DisclosurePage,
    "policies": PolicyPage,
    "elderly_care": DisclosurePage,
    "questions": QuestionPage,
    "qa": QAEntryPage,
    "surveys": SurveyPage,
    "services": ServiceGuidePage,
    "links": LinkPage,
    "guide": DisclosurePage,
}


def seed_identity():
    identity = SiteIdentity.load()
    if not identity.site_name:
        for field, value in DEMO_IDENTITY.items():
            setattr(identity, field, value)
        identity.save()
    if identity.emblem_id is None:
        identity.emblem = site_emblem()
        identity.save(update_fields=["emblem"])
    return identity


def _child(parent, slug):
    return parent.get_children().filter(slug=slug).first()


def seed_home():
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's own "Welcome" placeholder holds the slug "home"; the site moves to our home.
        placeholder = root.get_children().filter(slug="home", content_type__model="page").first()
        if placeholder is not None:
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(
                title="开平市民政局",
                slug="home",
                intro="开平市民政局政务网站，发布民政工作动态、政务公开信息，提供办事服务和互动交流。",
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="开平市民政局"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def _add_structure(parent, node, departments):
    existing = _child(parent, node["slug"])
    if existing is not None:
        return existing.specific
    if "kind" in node:
        page = ColumnPage(
            title=node["title"],
            slug=node["slug"],
            kind=node["kind"],
            description=node.get("description", ""),
            keywords=node.get("keywords", ""),
            deadline_working_days=node.get("deadline_working_days"),
            freshness_days=node.get("freshness_days"),
        )
    elif parent.depth == 2:
        page = CategoryPage(title=node["title"], slug=node["slug"], description=node.get("description", ""))
    else:
        page = SectionPage(title=node["title"], slug=node["slug"], description=node.get("description", ""))
    parent.add_child(instance=page)
    page.save_revision().publish()
    if "kind" in node:
        page.departments.set([departments[name] for name in node.get("departments", [])])
    return page


def seed_tree(home, departments, nodes=COLUMN_TREE, parent=None):
    """Create the fixed column tree; returns {slug path: column page}."""
    parent = parent or home
    columns = {}
    for node in nodes:
        page = _add_structure(parent, node, departments)
        if "kind" in node:
            columns[node["slug"]] = page
        else:
            columns.update(seed_tree(home, departments, node["children"], page))
    return columns


def _item_fields(cls, spec, today, columns):
    fields = {}
    if cls is NoticePage:
        fields.update(
            notice_kind=spec["notice_kind"],
            event_date=today
            - datetime.timedelta(days=spec["age"])
            + datetime.timedelta(days=spec["event_offset"]),
        )
    elif cls is NewsPage:
        fields.update(
            source=spec.get("source", BUREAU),
            is_repost=spec.get("repost", False),
            source_url=spec.get("source_url", ""),
        )
    elif cls is LeaderProfilePage:
        fields.update(
            position=spec["position"],
            resume=spec["resume"],
            responsibilities=spec["responsibilities"],
            photo=leader_photo(spec["title"]),
        )
    elif cls is AnnualReportPage:
        fields["year"] = spec["year"]
    elif cls is BudgetPage:
        fields.update(year=spec["year"], budget_kind=spec["budget_kind"])
    elif cls is PolicyPage:
        written = today - datetime.timedelta(days=spec["age"] + 5)
        fields.update(
            written_on=written,
            effective_on=written + datetime.timedelta(days=30),
            validity=spec.get("validity", PolicyPage.Validity.IN_FORCE),
        )
        if spec.get("replaced_by_title"):
            fields["replaced_by"] = PolicyPage.objects.filter(title=spec["replaced_by_title"]).first()
    elif cls is QuestionPage:
        fields.update(
            question=spec["question"],
            asker_name=spec.get("asker_name", ""),
            reply=spec["reply"],
            replied_on=today - datetime.timedelta(days=spec["age"]),
            # Asked a few days before the reply (the demo's replies take 2 to 6 days).
            asked_at=timezone.localtime()
            - datetime.timedelta(days=spec["age"] + 2 + len(spec["title"]) % 5, hours=3),
        )
    elif cls is QAEntryPage:
        fields.update(question=spec["question"], answer=spec["answer"])
    elif cls is SurveyPage:
        fields.update(
            opens_on=today + datetime.timedelta(days=spec["opens_offset"]),
            closes_on=today + datetime.timedelta(days=spec["closes_offset"]),
            feedback_channel="电子邮箱：mzj@kaiping.example.cn；电话：0750-2211001",
        )
    elif cls is ServiceGuidePage:
        fields.update(spec["service"])
    elif cls is LinkPage:
        fields.update(url=spec["url"], link_description="上级及相关部门网站")
    return fields


def _attachments(spec):
    blocks = []
    if spec.get("attachment"):
        blocks.append(
            ("attachment", {"document": attachment_for(spec["title"], spec["attachment"]), "title": ""})
        )
    return blocks


def _body_with_image(spec):
    html = spec.get("body", "")
    if spec.get("image"):
        image = news_image(spec["title"])
        html = f'<embed alt="{spec["title"]}" embedtype="image" format="fullwidth" id="{image.pk}"/>' + html
    return html


def _document_fields(cls, spec, formed_on, numbers):
    """文号, 发布机构 and 成文日期 of the documents the bureau issues (policies are written a few
    days before they are entered)."""
    if not issubclass(cls, DocumentItemPage):
        return {}
    fields = {
        "document_number": numbers(cls, spec, formed_on),
        "issuing_authority": spec.get("issuing_authority", BUREAU),
    }
    if cls is not PolicyPage:
        fields["written_on"] = formed_on
    if "validity" in spec and cls is not PolicyPage:
        fields["validity"] = spec["validity"]
    return fields


def seed_items(columns, departments, stdout=None):
    now = timezone.localtime()
    today = now.date()
    created = 0
    numbers = DocumentNumbers()
    for slug, specs in DEMO_ITEMS.items():
        column = columns[slug]
        for spec in specs:
            cls = PolicyPage if spec.get("policy") else ITEM_CLASS_BY_KIND[column.kind]
            published = publication_time(now, spec["age"])
            formed_on = published.date() - datetime.timedelta(days=spec.get("formed_before", 2))
            # Numbered before the existence check, so a re-run hands out the same 文号.
            document_fields = _document_fields(cls, spec, formed_on, numbers)
            if column.get_children().filter(title=spec["title"]).exists():
                continue
            html = _body_with_image(spec)
            page = cls(
                title=spec["title"],
                department=departments[spec["department"]],
                formed_on=formed_on,
                topic=topic_for(slug, spec),
                summary=summary_for(spec, html or spec.get("reply") or spec.get("resume")),
                body=html,
                attachments=_attachments(spec),
                first_published_at=published,
                **document_fields,
                **_item_fields(cls, spec, today, columns),
            )
            if cls is NewsPage:
                page.event_date = page.formed_on  # the demo's news report that day's events
            author = author_for(page.department)
            page.owner = author
            with transaction.atomic(), quietly():
                column.add_child(instance=page)
                submit(page, author)
                advance(page, 5)
                # Backdate the demo's publication to the story's own date.
                type(page).objects.filter(pk=page.pk).update(
                    first_published_at=published, last_published_at=published
                )
                page.refresh_from_db()
                _backdate_record(refresh_record(page), published)
                # The bulk update above bypasses the signals that keep the public catalogue.
                live_page_changed.send(sender=type(page), page_id=page.pk)
            created += 1
    if stdout:
        stdout.write(f"  新建演示信息 {created} 条")
    return created


def _backdate_record(record, published):
    """The demo backdates an item's publication to its story's date: its submission record then
    says it was drafted two days and submitted one day before that, not after."""
    if record.created_at > published:
        record.created_at = published - datetime.timedelta(days=2)
    if record.submitted_at and record.submitted_at > published:
        record.submitted_at = published - datetime.timedelta(days=1)
    record.save(update_fields=["created_at", "submitted_at"])


def seed_pending(columns, departments, stdout=None):
    """Items left at every step of the chain, so each approver finds something waiting."""
    today = timezone.localdate()
    created = 0
    for spec in PENDING_ITEMS:
        column = columns[spec["column"]]
        if column.get_children().filter(title=spec["title"]).exists():
            continue
        department = departments[spec["department"]]
        author = author_for(department)
        cls = ITEM_CLASS_BY_KIND[column.kind]
        extra = {}
        if cls is NoticePage:
            extra = dict(notice_kind="preview", event_date=today + datetime.timedelta(days=10))
        page = cls(
            title=spec["title"],
            department=department,
            body=spec["body"],
            formed_on=today - datetime.timedelta(days=spec.get("formed_days_ago", 2)),
            owner=author,
            **extra,
        )
        with transaction.atomic(), quietly():
            column.add_child(instance=page)
            if spec["step"] == 0:
                page.save_revision(user=author)
            else:
                submit(page, author)
                advance(page, spec["step"] - 1)
                if spec.get("send_back"):
                    send_back(page, spec["send_back"])
        created += 1
    if stdout:
        stdout.write(f"  新建审批中的演示稿件 {created} 条")
