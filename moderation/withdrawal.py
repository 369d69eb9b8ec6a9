"""撤回 and purge: a published item is withdrawn with a reason, never destroyed. Its revisions,
step records, routing, 审批单, statistics record and audit entries stay; only the
administrator purges an item, after the retention period, with a reason."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page

from govportal.accounts.roles import is_administrator
from pages.publishing import purging

from .chain import ChainError


class Withdrawal(models.Model):
    """One withdrawal of a published item: who, when, why, and which revision was live."""

    page = models.ForeignKey(
        Page, verbose_name="信息", null=True, on_delete=models.SET_NULL, related_name="withdrawals"
    )
    page_title = models.CharField("标题", max_length=255)
    revision_id = models.PositiveIntegerField("撤回时的发布版本", null=True)
    reason = models.TextField("撤回理由")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", default=timezone.now)
    purged_at = models.DateTimeField("清除时间", null=True, blank=True)

    class Meta:
        verbose_name = "撤回记录"
        verbose_name_plural = "撤回记录"
        ordering = ["-withdrawn_at"]

    def __str__(self):
        return f"{self.page_title}（{self.withdrawn_at:%Y-%m-%d}）"


def retention_years():
    return getattr(settings, "GOVPORTAL_RECORD_RETENTION_YEARS", 3)


def _require_administrator(user, what):
    if not is_administrator(user):
        raise ChainError(f"只有管理员可以{what}已发布的信息。")


def _require_reason(reason, what):
    reason = (reason or "").strip()
    if not reason:
        raise ChainError(f"请填写{what}理由。")
    return reason


def withdraw(page, user, reason):
    """Take a published item off the public site, keeping every record of it: the
    administrator's, for any published item (RULES §1)."""
    _require_administrator(user, "撤回")
    return take_down(page, user, reason)


@transaction.atomic
def take_down(page, user, reason):
    """The withdrawal itself, for a caller that has decided who may withdraw this item: the
    administrator above, the Office for an item due on the clean-up list (reports.cleanup)."""
    reason = _require_reason(reason, "撤回")
    page = Page.objects.select_for_update().get(pk=page.pk).specific
    if not page.live:
        raise ChainError("该信息当前未发布，无需撤回。")
    record = Withdrawal.objects.create(
        page=page, page_title=page.title, revision_id=page.live_revision_id, reason=reason, withdrawn_by=user
    )
    # The policy refuses Wagtail's own unpublish routes for items (they take no reason);
    # this is the one route that does, checked above.
    UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
    log(instance=page, action="govportal.withdraw", user=user, data={"reason": reason})
    return record


def purge_blocker(page, today=None):
    """Why the item cannot be purged yet (a Chinese message), or None."""
    if page.live:
        return "已发布的信息须先撤回。"
    last = Withdrawal.objects.filter(page=page).order_by("-withdrawn_at").first()
    since = last.withdrawn_at if last else page.latest_revision_created_at
    years = retention_years()
    today = today or timezone.localdate()
    if since is not None and timezone.localtime(since).date() > today - datetime.timedelta(days=365 * years):
        return f"审批记录须保存 {years} 年，{timezone.localtime(since):%Y-%m-%d} 起未满保存期限，不能清除。"
    return None


@transaction.atomic
def purge(page, user, reason):
    """Delete an item for good after the retention period (the administrator, with a reason)."""
    _require_administrator(user, "清除")
    reason = _require_reason(reason, "清除")
    page = page.specific
    blocker = purge_blocker(page)
    if blocker:
        raise ChainError(blocker)
    log(instance=page, action="govportal.purge", user=user, data={"reason": reason, "title": page.title})
    Withdrawal.objects.filter(page=page).update(purged_at=timezone.now())
    # The policy refuses deletion of items with records on every route; this one is checked above.
    with purging():
        DeletePageAction(page, user=user).execute(skip_permission_checks=True)
