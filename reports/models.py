"""The year-end assessment's score weights (年底总评), edited by the Office in the admin."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting

WEIGHT_BOUNDS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))]


def weight_field(label, default, help_text):
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        validators=WEIGHT_BOUNDS,
        help_text=help_text,
    )


class AssessmentWeights(BaseGenericSetting):
    """Score = 采用 × per_publication + 按时发布率 × on_time_rate − 退回次数 × per_return
    − 超期条数 × per_late − 撤回条数 × per_withdrawal, never below 0 (README: 年底总评)."""

    per_publication = weight_field("每采用一条加分", "1.00", "每条在本年度首次发布的信息所加的分数。")
    on_time_rate = weight_field("按时发布率满分", "30.00", "按时发布率为 100% 时所加的分数，按比例折算。")
    per_return = weight_field("每次退回修改扣分", "0.50", "审批环节每退回一次所扣的分数。")
    per_late = weight_field("每条超期发布扣分", "1.00", "超过发布时限才发布的信息每条所扣的分数。")
    per_withdrawal = weight_field("每条撤回扣分", "0.50", "本年度发布、后被撤回的信息每条所扣的分数。")

    class Meta:
        verbose_name = "年底总评权重"

    def score(self, figures):
        """The score of one department's figures (a reports.statistics.DepartmentStatistics):
        never below zero, rounded to two decimals."""
        rate = Decimal(figures.on_time) / Decimal(figures.published) if figures.published else Decimal(0)
        total = (
            self.per_publication * figures.published
            + self.on_time_rate * rate
            - self.per_return * figures.returned
            - self.per_late * figures.late
            - self.per_withdrawal * figures.withdrawn
        )
        return max(total, Decimal(0)).quantize(Decimal("0.01"))


class Reminder(models.Model):
    """A reminder or warning that was sent (e-mail + admin notice): each is sent once."""

    class Kind(models.TextChoices):
        FRESHNESS = "freshness", "栏目更新预警"
        DEADLINE_SOON = "deadline_soon", "发布时限临近"
        DEADLINE_OVERDUE = "deadline_overdue", "发布超期"
        QUESTION_UNANSWERED = "question_unanswered", "留言久未答复"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    key = models.CharField("标识", max_length=120, help_text="同一类型同一标识只发送一次。")
    subject = models.CharField("内容", max_length=300)
    recipients = models.TextField("接收人", blank=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "已发送的提醒"
        verbose_name_plural = "已发送的提醒"
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="reminder_once")]

    def __str__(self):
        return self.subject


class LinkCheckRun(models.Model):
    """One run of ``manage.py check_links``."""

    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间")
    checked = models.PositiveIntegerField("检查链接数")
    broken = models.PositiveIntegerField("错误链接数")

    class Meta:
        verbose_name = "链接检查"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.broken}/{self.checked}"

    @property
    def error_rate(self):
        """The assessment's error-link rate (错误链接率), as a share."""
        return self.broken / self.checked if self.checked else 0.0

    @property
    def error_percent(self):
        return f"{self.error_rate:.2%}"


class BrokenLink(models.Model):
    """A broken link found by a run, with the item and department it belongs to."""

    run = models.ForeignKey(LinkCheckRun, on_delete=models.CASCADE, related_name="broken_links")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("moderation.Department", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=10)
    target = models.CharField("链接", max_length=500)
    error = models.CharField("错误", max_length=200)

    class Meta:
        verbose_name = "错误链接"

    def __str__(self):
        return f"{self.page_id} {self.target} {self.error}"

    @property
    def kind_label(self):
        return {"page": "站内页面", "document": "附件", "image": "图片", "external": "外部链接"}[self.kind]
