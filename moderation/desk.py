"""信息报送: one record per item, kept up to date by the chain's signals, so each department's
submission counts can be shown in real time on the submission page — also with 100,000 items
(one indexed table, a handful of aggregate queries)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page, Revision, WorkflowState
from wagtail.signals import (
    page_published,
    page_unpublished,
    task_approved,
    task_rejected,
    task_submitted,
    workflow_rejected,
    workflow_submitted,
)

from pages.items import is_item
from pages.publishing import register_revision_hook

from .calendar import working_days_between
from .chain import ChainRouting, ChainTaskState
from .deadlines import timeliness


class SubmissionRecord(models.Model):
    """Where one item stands, for the submission desk and the year-end assessment."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "审批中"
        RETURNED = "returned", "退回修改"
        PUBLISHED = "published", "已发布"
        UNPUBLISHED = "unpublished", "已撤回"  # withdrawn: still counted for when it was published

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="submission_record")
    department = models.ForeignKey("moderation.Department", on_delete=models.CASCADE, related_name="+")
    column = models.ForeignKey(Page, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField("拟稿时间", default=timezone.now)
    submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    published_at = models.DateTimeField("首次发布时间", null=True, blank=True)
    due_on = models.DateField("发布时限", null=True, blank=True)
    on_time = models.BooleanField("按时发布", null=True)
    days_late = models.PositiveSmallIntegerField("超期工作日", default=0)

    class Meta:
        app_label = "moderation"
        verbose_name = "报送记录"
        # Covering indexes for the desk's grouped counts (period first, then department).
        indexes = [
            models.Index(fields=["created_at", "department"], name="desk_created"),
            models.Index(fields=["submitted_at", "department"], name="desk_submitted"),
            models.Index(fields=["published_at", "department", "on_time"], name="desk_published"),
            models.Index(fields=["state", "created_at", "department"], name="desk_pending"),
        ]

    def __str__(self):
        return f"{self.page_id} {self.state}"


class StepRecord(models.Model):
    """One finished run of a chain step, with its duration in official working days, so the
    statistics can average each step per department (who the bottleneck is) in SQL."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "同意"
        REJECTED = "rejected", "退回修改"

    # Null for records loaded in bulk from elsewhere (the benchmark); the chain always sets it.
    task_state = models.OneToOneField(
        ChainTaskState, null=True, on_delete=models.CASCADE, related_name="step_record"
    )
    department = models.ForeignKey("moderation.Department", on_delete=models.CASCADE, related_name="+")
    step = models.PositiveSmallIntegerField("环节")
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("办结时间")
    working_days = models.PositiveSmallIntegerField("用时（工作日）")

    class Meta:
        app_label = "moderation"
        verbose_name = "审批环节用时"
        indexes = [models.Index(fields=["finished_at", "department", "step"], name="desk_steps")]

    def __str__(self):
        return f"{self.task_state_id} step {self.step} {self.outcome}"


def record_step(task_state, outcome):
    """Store (or refresh) the step record of a finished chain task state."""
    routing = ChainRouting.objects.filter(workflow_state_id=task_state.workflow_state_id).first()
    if routing is None or task_state.finished_at is None:
        return None
    started = timezone.localdate(task_state.started_at)
    finished = timezone.localdate(task_state.finished_at)
    values = {
        "department_id": routing.department_id,
        "step": task_state.task.specific_class.step_number,
        "outcome": outcome,
        "started_at": task_state.started_at,
        "finished_at": task_state.finished_at,
        "working_days": max(working_days_between(started, finished)[0], 0),
    }
    # A task state finishes once (its row is locked while it does): an UPDATE then, when it
    # had no record, an INSERT — two statements instead of update_or_create's six.
    if not StepRecord.objects.filter(task_state_id=task_state.pk).update(**values):
        return StepRecord.objects.create(task_state_id=task_state.pk, **values)
    return StepRecord.objects.get(task_state_id=task_state.pk)


@receiver(task_approved, sender=ChainTaskState)
def record_step_approved(sender, instance, user=None, **kwargs):
    record_step(instance, StepRecord.Outcome.APPROVED)


@receiver(task_rejected, sender=ChainTaskState)
def record_step_rejected(sender, instance, user=None, **kwargs):
    record_step(instance, StepRecord.Outcome.REJECTED)


def _record_for(page):
    page = page.specific if hasattr(page, "specific") else page
    department_id = getattr(page, "department_id", None)
    if department_id is None:
        return None
    record, _ = SubmissionRecord.objects.get_or_create(
        page_id=page.pk,
        defaults={
            "department_id": department_id,
            "column_id": page.get_parent().pk if page.depth > 1 else None,
        },
    )
    if record.department_id != department_id:
        record.department_id = department_id
        record.save(update_fields=["department_id"])
    return record


def set_state(page, state, record=None, **fields):
    record = record or _record_for(page)
    if record is None:
        return None
    record.state = state
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record


@register_revision_hook
def record_draft(page, revision, user):
    _record_for(page)


class FormedOnChange(models.Model):
    """信息形成日期 as first saved and each later change (the deadline counts from it, so a
    change must be visible: it shows on the 审批单)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="formed_on_changes")
    old_value = models.DateField("原日期", null=True, blank=True)
    new_value = models.DateField("新日期")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        app_label = "moderation"
        verbose_name = "信息形成日期变更记录"
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.page_id}: {self.old_value} → {self.new_value}"


@register_revision_hook
def record_formed_on(page, revision, user):
    formed_on = getattr(page, "formed_on", None)
    if formed_on is None:
        return
    last = FormedOnChange.objects.filter(page_id=page.pk).order_by("-changed_at", "-pk").first()
    if last is None or last.new_value != formed_on:
        FormedOnChange.objects.create(
            page_id=page.pk,
            old_value=last.new_value if last else None,
            new_value=formed_on,
            changed_by=user,
        )


@receiver(workflow_submitted)
def record_submission(sender, instance, user=None, **kwargs):
    page = instance.content_object
    record = _record_for(page)
    if record is not None:
        set_state(page, SubmissionRecord.State.IN_REVIEW, submitted_at=record.submitted_at or timezone.now())


@receiver(task_submitted)
def record_resumed(sender, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    record = _record_for(page)
    if record is not None and record.state == SubmissionRecord.State.RETURNED:
        set_state(page, SubmissionRecord.State.IN_REVIEW)


@receiver(workflow_rejected)
def record_return(sender, instance, user=None, **kwargs):
    set_state(instance.content_object, SubmissionRecord.State.RETURNED)


@receiver(page_published)
def record_publication(sender, instance, revision=None, **kwargs):
    # Wagtail also sends page_published when it only schedules a revision: not published yet.
    if not is_item(instance) or not instance.live:
        return
    record = _record_for(instance)
    first = record.published_at or instance.first_published_at or timezone.now()
    result = timeliness(instance, first)
    set_state(
        instance,
        SubmissionRecord.State.PUBLISHED,
        record=record,
        published_at=first,
        due_on=result.due,
        on_time=result.on_time,
        days_late=result.working_days_late,
    )


@receiver(page_unpublished)
def record_unpublication(sender, instance, **kwargs):
    if is_item(instance):
        set_state(instance, SubmissionRecord.State.UNPUBLISHED)


def refresh_record(page):
    """Recompute a record from Wagtail's own data (used after imports and by seed_demo)."""
    page = page.specific
    record = _record_for(page)
    first_revision = Revision.objects.for_instance(page).order_by("created_at").first()
    first_state = WorkflowState.objects.for_instance(page).order_by("created_at").first()
    record.created_at = first_revision.created_at if first_revision else record.created_at
    record.submitted_at = first_state.created_at if first_state else None
    record.published_at = page.first_published_at
    if page.live:
        result = timeliness(page, page.first_published_at)
        record.state, record.due_on, record.on_time = (
            SubmissionRecord.State.PUBLISHED,
            result.due,
            result.on_time,
        )
        record.days_late = result.working_days_late
    record.save()
    return record


def period_bounds(today=None):
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    month_start = datetime.datetime(today.year, today.month, 1, tzinfo=tz)
    year_start = datetime.datetime(today.year, 1, 1, tzinfo=tz)
    return month_start, year_start


COUNT_LABELS = [
    ("drafted", "拟稿"),
    ("submitted", "报送"),
    ("in_review", "审批中"),
    ("returned", "退回修改"),
    ("published", "发布"),
    ("on_time", "按时发布"),
]


COUNT_NAMES = ["drafted", "submitted", "in_review", "returned", "published", "on_time"]


def _grouped(queryset, field, month_start, extra=None):
    """Per department: how many rows have `field` in the year and in the month (one pass)."""
    aggregates = {"year": Count("pk"), "month": Count("pk", filter=Q(**{f"{field}__gte": month_start}))}
    if extra is not None:
        aggregates["year_extra"] = Count("pk", filter=extra)
        aggregates["month_extra"] = Count("pk", filter=extra & Q(**{f"{field}__gte": month_start}))
    return {row.pop("department_id"): row for row in queryset.values("department_id").annotate(**aggregates)}


def department_counts(month_start, year_start):
    """({department_id: counts this month}, {department_id: counts this year}): drafted,
    submitted and published in the period; in review and returned as they stand now (for items
    drafted in the period). Four grouped queries over covering indexes, so the cost follows the
    period, not the size of the table."""
    records = SubmissionRecord.objects
    drafted = _grouped(records.filter(created_at__gte=year_start), "created_at", month_start)
    submitted = _grouped(records.filter(submitted_at__gte=year_start), "submitted_at", month_start)
    published = _grouped(
        records.filter(published_at__gte=year_start), "published_at", month_start, Q(on_time=True)
    )
    pending = {}
    for row in (
        records.filter(
            state__in=[SubmissionRecord.State.IN_REVIEW, SubmissionRecord.State.RETURNED],
            created_at__gte=year_start,
        )
        .values("department_id", "state")
        .annotate(year=Count("pk"), month=Count("pk", filter=Q(created_at__gte=month_start)))
    ):
        pending[(row["department_id"], row["state"])] = row
    departments = set(drafted) | set(submitted) | set(published) | {d for d, _ in pending}

    def counts(d, period):
        empty = {}
        return {
            "drafted": drafted.get(d, empty).get(period, 0),
            "submitted": submitted.get(d, empty).get(period, 0),
            "in_review": pending.get((d, SubmissionRecord.State.IN_REVIEW), empty).get(period, 0),
            "returned": pending.get((d, SubmissionRecord.State.RETURNED), empty).get(period, 0),
            "published": published.get(d, empty).get(period, 0),
            "on_time": published.get(d, empty).get(f"{period}_extra", 0),
        }

    return {d: counts(d, "month") for d in departments}, {d: counts(d, "year") for d in departments}


def desk_table(departments, today=None):
    """One row per department with this month's and this year's counts."""
    month, year = department_counts(*period_bounds(today))
    empty = dict.fromkeys(COUNT_NAMES, 0)
    return [
        {"department": d, "month": month.get(d.pk, empty), "year": year.get(d.pk, empty)} for d in departments
    ]
