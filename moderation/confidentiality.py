"""保密审查: the author's recorded review and the automatic scan before an item is submitted;
false positives are dismissed only by the department's head, with a recorded reason."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from pages.publishing import register_revision_hook, register_submission_check

from .scanning.pages import scan_page


class ConfidentialityReview(models.Model):
    """The author's confidentiality review of one submitted revision, with the scan result."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="confidentiality_reviews")
    revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审查时间", default=timezone.now)
    verified = models.BooleanField("内容已核实", default=False)
    no_secrets = models.BooleanField("不含涉密信息", default=False)
    no_personal = models.BooleanField("不含未脱敏个人信息", default=False)
    scan_summary = models.CharField("自动检查结果", max_length=500, blank=True)

    class Meta:
        app_label = "moderation"
        verbose_name = "保密审查记录"
        ordering = ["-reviewed_at"]

    def __str__(self):
        who = self.reviewer.display_name if self.reviewer else ""
        when = timezone.localtime(self.reviewed_at).strftime("%Y-%m-%d %H:%M")
        return (
            f"{who} {when} 确认：内容已核实、不含涉密信息、不含未脱敏个人信息；自动检查：{self.scan_summary}"
        )


class FindingDismissal(models.Model):
    """A scanner finding the department head judged a false positive (or an unreadable file
    they checked by hand), with the reason. Keyed by the finding's stable key."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="finding_dismissals")
    key = models.CharField(max_length=64)
    kind = models.CharField("类型", max_length=40)
    value = models.CharField("内容（已脱敏）", max_length=100, blank=True)
    location = models.CharField("位置", max_length=300)
    reason = models.CharField("排除理由", max_length=500)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="排除人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField("排除时间", auto_now_add=True)

    class Meta:
        app_label = "moderation"
        verbose_name = "误报排除记录"
        constraints = [models.UniqueConstraint(fields=["page", "key"], name="unique_dismissal_per_page")]

    def __str__(self):
        return f"{self.location} {self.value}：{self.reason}"


def open_findings(page):
    """Scanner findings on the page's current content that no head has dismissed."""
    findings = scan_page(page)
    if page.pk is None:
        return findings
    dismissed = set(FindingDismissal.objects.filter(page_id=page.pk).values_list("key", flat=True))
    return [f for f in findings if f.key not in dismissed]


def _describe(finding):
    return str(finding)


@register_submission_check
def scan_before_submission(page, user, attestation):
    findings = open_findings(page)
    if not findings:
        page._scan_summary = _summary(page)
        return []
    head_hint = (
        "请对个人信息脱敏或删除涉密内容后再提交；如确属误报（或附件已人工核对），"
        "请先保存草稿，由部门负责人在“保密审查”页面"
        + (f"（/admin/review/scan/{page.pk}/）" if page.pk else "")
        + "排除并填写理由后再提交。"
    )
    return [
        f"自动检查发现 {len(findings)} 处可能涉密或未脱敏的内容，不能提交审批：{'；'.join(_describe(f) for f in findings[:10])}。{head_hint}"
    ]


def _summary(page):
    dismissed = FindingDismissal.objects.filter(page_id=page.pk).count() if page.pk else 0
    return f"未发现问题（{dismissed} 处已由部门负责人排除）" if dismissed else "未发现问题"


@register_revision_hook
def record_review(page, revision, user):
    pending = getattr(page, "_submission_review", None)
    if not pending:
        return
    review = ConfidentialityReview.objects.create(
        page_id=page.pk,
        revision=revision,
        reviewer=pending["user"],
        verified=pending["review_verified"],
        no_secrets=pending["review_no_secrets"],
        no_personal=pending["review_no_personal"],
        scan_summary=getattr(page, "_scan_summary", "未发现问题"),
    )
    page._submission_review = None
    log(
        instance=page,
        action="govportal.confidentiality_review",
        user=pending["user"],
        data={"summary": review.scan_summary},
        revision=revision,
    )


def latest_review_for(page):
    return ConfidentialityReview.objects.filter(page_id=page.pk).select_related("reviewer").first()


def dismiss(page, finding, head, reason):
    """Record a head's dismissal of one finding (checked by the caller: head of the item's department)."""
    dismissal, _ = FindingDismissal.objects.update_or_create(
        page_id=page.pk,
        key=finding.key,
        defaults=dict(
            kind=finding.label,
            value=finding.value,
            location=finding.location,
            reason=reason,
            dismissed_by=head,
        ),
    )
    log(
        instance=page,
        action="govportal.scan_dismissal",
        user=head,
        data={"location": finding.location, "kind": finding.label, "value": finding.value, "reason": reason},
    )
    return dismissal
