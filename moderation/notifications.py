"""Tell exactly the next approver(s) of an item, and its author when it is sent back or
published: by e-mail and in the admin. Sending happens after the transaction commits and a
failure is logged, so it can never lose or half-apply an approval."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from wagtail.signals import (
    page_published,
    task_approved,
    task_cancelled,
    task_rejected,
    task_submitted,
    workflow_rejected,
)

from pages.items import is_item
from pages.publishing import register_revision_hook

from .chain import ChainTaskState, Delegation

logger = logging.getLogger(__name__)


class AdminNotification(models.Model):
    """A message shown to a user on their admin dashboard."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="admin_notifications"
    )
    message = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        app_label = "moderation"
        verbose_name = "站内消息"
        ordering = ["-created_at"]

    def __str__(self):
        return self.message


def _delegates_of(users):
    today = timezone.localdate()
    return {
        d.delegate
        for d in Delegation.objects.filter(
            principal__in=users, starts_on__lte=today, ends_on__gte=today
        ).select_related("delegate")
    }


def notify(users, subject, message, url=""):
    """Record in-admin notifications now; send the e-mails once the transaction commits."""
    users = [u for u in set(users) if u is not None and u.is_active]
    AdminNotification.objects.bulk_create(
        AdminNotification(user=u, message=subject[:300], url=url) for u in users
    )
    recipients = [u.email for u in users if u.email]

    def _send():
        if not recipients:
            return
        try:
            body = f"{message}\n\n{settings.WAGTAILADMIN_BASE_URL}{url}" if url else message
            send_mail(f"【{settings.WAGTAIL_SITE_NAME}】{subject}", body, None, recipients)
        except Exception:  # noqa: BLE001 — a mail failure must never undo an approval
            logger.exception("Notification e-mail could not be sent: %s", subject)

    transaction.on_commit(_send)


@receiver(task_submitted, sender=ChainTaskState)
def tell_next_approvers(sender, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    approvers = list(instance.approvers.all())
    url = reverse("moderation_review", args=[instance.pk])
    notify(
        approvers + list(_delegates_of(approvers)),
        f"待您审批：“{page.title}”（{instance.task.name}）",
        f"稿件“{page.title}”已进入“{instance.task.name}”环节，等待您审批。",
        url,
    )


@receiver(task_approved, sender=ChainTaskState)
@receiver(task_rejected, sender=ChainTaskState)
@receiver(task_cancelled, sender=ChainTaskState)
def settle_notices_of_a_finished_step(sender, instance, **kwargs):
    """A "待您审批" notice points at its step's review page; once anyone has acted on the step
    (or it was cancelled), the notice is done for every approver and delegate it went to."""
    AdminNotification.objects.filter(
        url=reverse("moderation_review", args=[instance.pk]), read_at__isnull=True
    ).update(read_at=timezone.now())


@receiver(workflow_rejected)
def tell_author_sent_back(sender, instance, user=None, **kwargs):
    page = instance.content_object
    task_state = instance.current_task_state
    comment = task_state.comment if task_state else ""
    author = instance.requested_by
    notify(
        [author, getattr(page, "owner", None)],
        f"稿件被退回修改：“{page.title}”",
        f"稿件“{page.title}”在“{task_state.task.name if task_state else ''}”环节被退回修改。\n退回意见：{comment}",
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
    )


@receiver(page_published)
def tell_author_published(sender, instance, revision=None, **kwargs):
    if not is_item(instance):
        return
    from wagtail.models import WorkflowState

    requesters = [
        ws.requested_by
        for ws in WorkflowState.objects.for_instance(instance)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .order_by("-created_at")[:1]
    ]
    notify(
        [getattr(instance, "owner", None), *requesters],
        f"稿件已发布：“{instance.title}”",
        f"稿件“{instance.title}”已由办公室发布。",
        reverse("moderation_approval_form", args=[instance.pk]),
    )


def tell_department_new_question(page, revision, user):
    """A question from the public (its first revision has no author) reaches the department."""
    if user is not None or getattr(page, "query_code", None) is None:
        return
    if revision.pk != page.revisions.order_by("created_at").values_list("pk", flat=True).first():
        return
    department = page.department
    notify(
        [*department.heads.all(), *department.staff.all()],
        f"收到群众留言：“{page.title}”",
        f"群众留言“{page.title}”已分配给{department.name}，请拟写答复后提交审批。",
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
    )


register_revision_hook(tell_department_new_question)
