"""信息报送: one record per item, kept up to date by the chain's signals, so each department's
submission counts can be shown in real time on the submission page — also with 100,000 items
(one indexed table, a handful of aggregate queries)."""

import datetime

from django.db import models
from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page, Revision, WorkflowState
from wagtail.signals import (
    page_published,
    page_unpublished,
    task_submitted,
    workflow_rejected,
    workflow_submitted,
)

from pages.publishing import register_revision_hook


class SubmissionRecord(models.Model):
    """Where one item stands, for the submission desk and the year-end assessment."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "审批中"
        RETURNED = "returned", "退回修改"
        PUBLISHED = "published", "已发布"
        UNPUBLISHED = "unpublished", "已撤下"

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
        indexes = [
            models.Index(fields=["department", "created_at"]),
            models.Index(fields=["department", "submitted_at"]),
            models.Index(fields=["department", "published_at"]),
            models.Index(fields=["department", "state"]),
        ]

    def __str__(self):
        return f"{self.page_id} {self.state}"


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


def set_state(page, state, **fields):
    record = _record_for(page)
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
    if getattr(instance, "department_id", None) is None:
        return
    from .deadlines import timeliness

    record = _record_for(instance)
    first = record.published_at or instance.first_published_at or timezone.now()
    result = timeliness(instance, first)
    set_state(
        instance,
        SubmissionRecord.State.PUBLISHED,
        published_at=first,
        due_on=result.due,
        on_time=result.on_time,
        days_late=result.working_days_late,
    )


@receiver(page_unpublished)
def record_unpublication(sender, instance, **kwargs):
    if getattr(instance, "department_id", None) is not None:
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
        from .deadlines import timeliness

        result = timeliness(page, page.first_published_at)
        record.state, record.due_on, record.on_time = (
            SubmissionRecord.State.PUBLISHED,
            result.due,
            result.on_time,
        )
        record.days_late = result.working_days_late
        if page.first_published_at and record.created_at > page.first_published_at:
            record.created_at = page.first_published_at - datetime.timedelta(days=2)
        if record.submitted_at and page.first_published_at and record.submitted_at > page.first_published_at:
            record.submitted_at = page.first_published_at - datetime.timedelta(days=1)
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


def department_counts(start):
    """{department_id: {count name: n}} for items since `start`: drafted, submitted and
    published in the period; in review and returned as they stand now (for items of the period)."""
    rows = SubmissionRecord.objects.values("department_id").annotate(
        drafted=Count("pk", filter=Q(created_at__gte=start)),
        submitted=Count("pk", filter=Q(submitted_at__gte=start)),
        in_review=Count("pk", filter=Q(state=SubmissionRecord.State.IN_REVIEW, created_at__gte=start)),
        returned=Count("pk", filter=Q(state=SubmissionRecord.State.RETURNED, created_at__gte=start)),
        published=Count("pk", filter=Q(published_at__gte=start)),
        on_time=Count("pk", filter=Q(published_at__gte=start, on_time=True)),
    )
    return {row.pop("department_id"): row for row in rows}


def desk_table(departments, today=None):
    """One row per department with this month's and this year's counts."""
    month_start, year_start = period_bounds(today)
    month, year = department_counts(month_start), department_counts(year_start)
    empty = {name: 0 for name, _ in COUNT_LABELS}
    return [
        {"department": d, "month": month.get(d.pk, empty), "year": year.get(d.pk, empty)} for d in departments
    ]
