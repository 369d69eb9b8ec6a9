"""审批单: the approval record of an item for paper filing, as HTML and as PDF."""

import io

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageLogEntry

from .chain import ChainClearance, DirectorReviewTask
from .confidentiality import latest_review_for
from .review import rounds_of
from .templatetags.chain_tags import TASK_STATUS, version_number
from .withdrawal import Withdrawal

# Fields of the base Page and internal ones that are not part of an item's content.
_SKIP = {
    "id",
    "path",
    "depth",
    "numchild",
    "translation_key",
    "locale",
    "latest_revision",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
    "title",
    "draft_title",
    "slug",
    "content_type",
    "url_path",
    "owner",
    "seo_title",
    "show_in_menus",
    "search_description",
    "latest_revision_created_at",
    "alias_of",
    "page_ptr",
    "asker_contact",
    "query_code",
}


def public_fields(page):
    """(label, value, is_html) for each content field of an item, in model order."""
    rows = []
    for field in page._meta.get_fields():
        if not isinstance(field, models.Field) or field.name in _SKIP or field.auto_created:
            continue
        if field.is_relation and not isinstance(field, models.ForeignKey):
            continue
        value = getattr(page, field.name, None)
        if value in (None, ""):
            continue
        label = str(field.verbose_name)
        if isinstance(field, RichTextField):
            from wagtail.rich_text import expand_db_html

            rows.append((label, expand_db_html(value), True))
        elif isinstance(field, StreamField):
            names = [
                str(block.value.get("title") or block.value["document"].title)
                for block in value
                if block.value.get("document") is not None
            ]
            if names:
                rows.append((label, "、".join(names), False))
        elif display := getattr(page, f"get_{field.name}_display", None):
            # Choices, and fields whose labels live in a list the Office keeps (主题分类).
            rows.append((label, display(), False))
        elif isinstance(field, models.BooleanField):
            rows.append((label, "是" if value else "否", False))
        else:
            rows.append((label, str(value), False))
    return rows


def _publication(page):
    entry = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish")
        .select_related("user", "revision")
        .order_by("-timestamp")
        .first()
    )
    return entry


def build(page):
    rounds = rounds_of(page)
    publication = _publication(page)
    clearance = (
        ChainClearance.objects.filter(revision=page.live_revision).select_related("cleared_by").first()
        if page.live_revision_id
        else None
    )
    director_revision = None
    for round_ in reversed(rounds):
        for step in round_.steps:
            if isinstance(step.task.specific, DirectorReviewTask) and step.status == "approved":
                director_revision = step.revision
                break
        if director_revision:
            break
    compare_url = None
    if director_revision and page.live_revision_id and director_revision.pk != page.live_revision_id:
        compare_url = reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[page.pk, director_revision.pk, page.live_revision_id],
        )
    return {
        "page": page,
        "column": page.get_parent().specific if page.depth > 1 else None,
        "rounds": rounds,
        "publication": publication,
        "clearance": clearance,
        "director_revision": director_revision,
        "compare_url": compare_url,
        "printed_at": timezone.localtime(),
        "review": _confidentiality_review(page),
        "withdrawals": list(Withdrawal.objects.filter(page=page).select_related("withdrawn_by")),
        "formed_on_changes": list(page.formed_on_changes.select_related("changed_by")),
        "formed_on_confirmed_by": _head_confirmation(rounds),
    }


def _head_confirmation(rounds):
    """Who confirmed the 信息形成日期 (the head's approval at step 1 of the latest round)."""
    for round_ in reversed(rounds):
        for step in round_.steps:
            if getattr(step.task.specific, "step_number", 0) == 1 and step.status == "approved":
                return f"{_signer(step)} {_fmt(step.finished_at)}"
    return ""


def _confidentiality_review(page):
    return latest_review_for(page)


def _formed_on_text(page, context):
    text = f"{page.formed_on}"
    if context.get("formed_on_confirmed_by"):
        text += f"（科室初审确认：{context['formed_on_confirmed_by']}）"
    changes = [c for c in context.get("formed_on_changes", []) if c.old_value is not None]
    for change in changes:
        who = change.changed_by.display_name if change.changed_by else ""
        text += f"；{_fmt(change.changed_at)} {who} 由 {change.old_value} 改为 {change.new_value}"
    return text


def _signer(step):
    if step.finished_by is None:
        return ""
    name = step.finished_by.display_name
    if step.acting_for is not None:
        name = f"{name}（代{step.acting_for.display_name}）"
    return name


def _fmt(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def render_pdf(context):
    """A4 PDF of the approval form, with a CJK font built into reportlab (no downloads)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title_style = ParagraphStyle("t", fontName="STSong-Light", fontSize=18, leading=24, alignment=1)
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=10.5, leading=15)
    page: Page = context["page"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm)
    story = [Paragraph("网站信息发布审批单", title_style), Spacer(1, 6 * mm)]

    def p(text):
        return Paragraph(strip_tags(str(text)), body)

    info = [
        [p("标题"), p(page.title)],
        [p("栏目"), p(context["column"].title if context["column"] else "")],
        [p("所属部门"), p(page.department.name)],
        [p("索引号"), p(page.index_number)],
        [p("信息形成日期"), p(_formed_on_text(page, context))],
    ]
    review = context.get("review")
    if review is not None:
        info.append([p("保密审查"), p(str(review))])
    table = Table(info, colWidths=[32 * mm, 140 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story += [table, Spacer(1, 5 * mm)]
    for number, round_ in enumerate(context["rounds"], 1):
        story.append(
            p(
                f"第{number}轮报送：{_fmt(round_.workflow_state.created_at)}，报送人："
                f"{round_.workflow_state.requested_by.display_name if round_.workflow_state.requested_by else ''}"
            )
        )
        rows = [[p("环节"), p("结果"), p("意见"), p("签批人"), p("时间")]]
        for step in round_.steps:
            rows.append(
                [
                    p(step.task.name),
                    p(TASK_STATUS.get(step.status, step.status)),
                    p(step.comment or ""),
                    p(_signer(step)),
                    p(_fmt(step.finished_at)),
                ]
            )
        steps_table = Table(rows, colWidths=[34 * mm, 18 * mm, 60 * mm, 30 * mm, 30 * mm])
        steps_table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [steps_table, Spacer(1, 4 * mm)]
    publication = context.get("publication")
    if publication is not None:
        story.append(
            p(
                f"发布：{publication.user.display_name if publication.user else ''}，"
                f"{_fmt(publication.timestamp)}，发布版本：第 {version_number(publication.revision_id)} 版"
            )
        )
    for withdrawal in context.get("withdrawals", []):
        who = withdrawal.withdrawn_by.display_name if withdrawal.withdrawn_by else ""
        story.append(p(f"已撤回：{who}，{_fmt(withdrawal.withdrawn_at)}，理由：{withdrawal.reason}"))
    story.append(Spacer(1, 4 * mm))
    story.append(p(f"打印时间：{_fmt(context['printed_at'])}"))
    doc.build(story)
    return buffer.getvalue()
