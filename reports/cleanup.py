"""清理清单 (RULES §3: 对失效信息和废止的政府文件等要及时清理): what must be cleaned up, each
with the action to take, and the actions themselves — in one transaction, written to the audit
log, never destroying a record (a withdrawn item keeps its page, revisions, 审批单 and
statistics). The Office and the administrator mark documents (every item type with 有效性, not
only policies) expired or abolished and withdraw the items the list says are due (ended
documents, closed surveys) through moderation.withdrawal; withdrawing anything else stays the
administrator's (RULES §1)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.log_actions import log

from moderation import withdrawal
from moderation.deadlines import Urgency, deadline_for
from moderation.desk import SubmissionRecord
from pages.models import DOCUMENT_PAGE_MODELS, ITEM_PAGE_MODELS, DocumentItemPage, QuestionPage, SurveyPage
from pages.public import live_page_changed

from .access import can_clean_up
from .reminders import PENDING_STATES

LOG_ACTIONS = {
    "govportal.cleanup_withdraw": "清理：撤回",
    "govportal.cleanup_expire": "清理：标记已失效",
    "govportal.cleanup_abolish": "清理：标记已废止",
}


@dataclass
class Entry:
    """One thing to clean up: the item, why, and the actions that resolve it."""

    page: object
    problem: str
    actions: tuple  # names of ACTIONS offered for this entry, or () with a link to the editor
    advice: str = ""

    @property
    def replaceable(self):
        """Whether abolishing it may name a 替代文件 (policies carry one)."""
        return can_be_replaced(self.page)


ENDED = [DocumentItemPage.Validity.ABOLISHED, DocumentItemPage.Validity.EXPIRED]


def document_entries(today):
    """Live documents past their 有效期至 but still marked in force, and live ones marked ended."""
    entries = []
    for model in DOCUMENT_PAGE_MODELS:
        live = model.objects.live().select_related("department")
        for document in live.filter(validity=DocumentItemPage.Validity.IN_FORCE, valid_until__lt=today):
            problem = f"有效期至 {document.valid_until:%Y-%m-%d}，已过期仍标为现行有效"
            entries.append(Entry(document, problem, ("expire", "abolish")))
        for document in live.filter(validity__in=ENDED):
            problem = f"已标记为“{document.get_validity_display()}”，仍在网站上发布"
            entries.append(Entry(document, problem, ("withdraw",)))
    return entries


def survey_entries(today):
    return [
        Entry(survey, f"征集已于 {survey.closes_on:%Y-%m-%d} 截止，仍在征集栏目中发布", ("withdraw",))
        for survey in SurveyPage.objects.live().filter(closes_on__lt=today).select_related("department")
    ]


def question_entries(today):
    """Questions not yet answered (published) past their reply deadline: the overdue list."""
    pending = SubmissionRecord.objects.filter(state__in=PENDING_STATES).values("page_id")
    entries = []
    for question in QuestionPage.objects.filter(pk__in=pending).select_related("department"):
        deadline = deadline_for(question, today)
        if deadline.urgency == Urgency.OVERDUE:
            entries.append(
                Entry(question, f"逾期未答复：{deadline.label}", (), advice="请所属部门拟写答复并提交审批")
            )
    return entries


def broken_attachment_entries():
    """Live items whose attachment is gone: deleted from the library or its file missing."""
    Document = get_document_model()
    items = []
    wanted = set()
    for model in ITEM_PAGE_MODELS:
        for page in model.objects.live().exclude(attachments=[]).select_related("department"):
            ids = {
                block.value["document"].pk if block.value.get("document") else None
                for block in page.attachments
            }
            items.append((page, ids))
            wanted |= ids
    present = {doc.pk: doc for doc in Document.objects.filter(pk__in=[i for i in wanted if i])}
    readable = {pk for pk, doc in present.items() if doc.file and doc.file.storage.exists(doc.file.name)}
    entries = []
    for page, ids in items:
        broken = [i for i in ids if i not in readable]
        if broken:
            entries.append(
                Entry(page, f"{len(broken)} 个附件已丢失或无法读取", (), advice="请编辑并重新上传附件")
            )
    return entries


def queue(today=None):
    """Every entry, grouped: [(heading, entries)]."""
    today = today or timezone.localdate()
    return [
        ("过期和废止的文件", document_entries(today)),
        ("已截止的调查征集", survey_entries(today)),
        ("逾期未答复的群众留言", question_entries(today)),
        ("附件损坏的信息", broken_attachment_entries()),
    ]


# --- actions -------------------------------------------------------------------------------------


class CleanupError(ValidationError):
    """A clean-up action that cannot be done; the message (Chinese) says why."""


def withdraw(page, user, reason, today=None):
    """撤回 an item the list says is due, by the administrator or the Office, through the chain's
    one withdrawal (reason required; the page and all its records stay), noted as a clean-up."""
    if not can_clean_up(user):
        raise CleanupError("只有管理员或办公室可以处理清理清单。")
    if page.pk not in due_for_withdrawal(today or timezone.localdate()):
        raise CleanupError("该信息不在清理清单的待撤回项中；其他撤回请由管理员在编辑页办理。")
    with transaction.atomic():
        record = withdrawal.take_down(page, user, reason)
        log(instance=page, action="govportal.cleanup_withdraw", user=user, data={"reason": record.reason})
    return record


def due_for_withdrawal(today):
    """Ids of the items the list offers to withdraw."""
    return {
        entry.page.pk
        for entry in document_entries(today) + survey_entries(today)
        if "withdraw" in entry.actions
    }


def mark_expired(document, user):
    """已失效: the document's own page says so (STANDARDS §3), the item stays published."""
    _set_validity(document, user, DocumentItemPage.Validity.EXPIRED, None, "govportal.cleanup_expire")


def mark_abolished(document, user, replaced_by=None):
    """已废止, linking the document that replaces it when there is one (policies only: they
    are the documents that carry 替代文件)."""
    if replaced_by is not None and not can_be_replaced(document):
        raise CleanupError(f"“{document._meta.verbose_name}”没有替代文件一项。")
    if replaced_by is not None and replaced_by.pk == document.pk:
        raise CleanupError("替代文件不能是本文件。")
    _set_validity(
        document, user, DocumentItemPage.Validity.ABOLISHED, replaced_by, "govportal.cleanup_abolish"
    )


def can_be_replaced(document):
    return any(field.name == "replaced_by" for field in document._meta.get_fields())


def _set_validity(document, user, validity, replaced_by, action):
    with transaction.atomic():
        before = document.get_validity_display()
        changes = {"validity": validity, "abolished_on": document.abolished_on or timezone.localdate()}
        if replaced_by is not None:
            changes["replaced_by"] = replaced_by
        # A status note on a published document, not a change of its words: it is written to
        # the live page and its live revision directly, as the chain's publication guard
        # admits only revisions that completed the chain.
        type(document).objects.filter(pk=document.pk).update(**changes)
        document.refresh_from_db()
        if document.live_revision is not None:
            content = dict(document.live_revision.content)
            content.update(validity=validity, abolished_on=document.abolished_on.isoformat())
            if replaced_by is not None:
                content["replaced_by"] = replaced_by.pk
            type(document.live_revision).objects.filter(pk=document.live_revision_id).update(content=content)
        replacement = getattr(document, "replaced_by", None)
        log(
            instance=document,
            action=action,
            user=user,
            data={
                "before": before,
                "after": document.get_validity_display(),
                "replaced_by": replacement.title if replacement else "",
            },
        )
        transaction.on_commit(lambda: live_page_changed.send(sender=type(document), page_id=document.pk))
