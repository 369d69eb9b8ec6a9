"""Submission statistics of any period, per department (RULES §3 考核): drafted, submitted,
published (采用), sent back, in review, withdrawn, on-time rate, the average working days each
chain step took, and a ranking. Two grouped queries over the desk's indexed tables, whatever
the number of items."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from moderation.chain import CHAIN_TASK_TYPES
from moderation.desk import StepRecord, SubmissionRecord

STEPS = [(task.step_number, task._meta.verbose_name) for task in CHAIN_TASK_TYPES]


@dataclass
class DepartmentStatistics:
    """One department's figures for one period."""

    department: object
    drafted: int = 0
    submitted: int = 0
    published: int = 0
    on_time: int = 0
    withdrawn: int = 0
    in_review: int = 0
    returned: int = 0
    step_days: dict = field(default_factory=dict)  # step number -> average working days
    rank: int = 0

    @property
    def late(self):
        return self.published - self.on_time

    @property
    def on_time_rate(self):
        """Share of the period's publications that met their deadline (None: nothing published)."""
        return self.on_time / self.published if self.published else None

    @property
    def on_time_percent(self):
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def is_empty(self):
        return not (self.drafted or self.submitted or self.published or self.returned or self.in_review)

    @property
    def bottleneck(self):
        """The chain step that took longest on average (瓶颈), or None."""
        timed = {step: days for step, days in self.step_days.items() if days}
        if not timed:
            return None
        step = max(timed, key=timed.get)
        return dict(STEPS)[step]

    def step_days_display(self, step):
        days = self.step_days.get(step)
        return "—" if days is None else f"{days:.1f}"

    @property
    def step_cells(self):
        """Average days of each chain step in order, for display ("—": no step finished)."""
        return [self.step_days_display(step) for step, _ in STEPS]

    @property
    def ranking_key(self):
        return (-self.published, -(self.on_time_rate or 0), self.returned, self.department.sort_order)


def department_statistics(period, departments):
    """One DepartmentStatistics per department (in ranking order, rank 1 first)."""
    rows = {d.pk: DepartmentStatistics(department=d) for d in departments}
    for values in _record_counts(period):
        row = rows.get(values.pop("department_id"))
        if row is not None:
            for name, value in values.items():
                setattr(row, name, value)
    for values in _step_figures(period):
        row = rows.get(values["department_id"])
        if row is not None:
            row.returned += values["returned"]
            row.step_days[values["step"]] = values["average"]
    return rank(list(rows.values()))


def rank(rows):
    """Order rows by the ranking key; equal keys share a rank (1, 2, 2, 4)."""
    rows.sort(key=lambda r: r.ranking_key)
    previous = None
    for position, row in enumerate(rows, start=1):
        key = row.ranking_key[:3]
        row.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, row.rank)
    return rows


def _record_counts(period):
    """Per department: drafted, submitted, published (withdrawn ones included: they count in
    the period they were published in), on time, withdrawn, and still in review at the end."""
    drafted = Q(**period.contains("created_at"))
    submitted = Q(**period.contains("submitted_at"))
    published = Q(**period.contains("published_at"))
    unpublished_at_end = Q(published_at__isnull=True) | Q(published_at__gte=period.ends_before)
    in_review_at_end = (
        submitted
        & unpublished_at_end
        & ~Q(state__in=[SubmissionRecord.State.DRAFT, SubmissionRecord.State.RETURNED])
    )
    return (
        SubmissionRecord.objects.filter(drafted | submitted | published)
        .values("department_id")
        .annotate(
            drafted=Count("pk", filter=drafted),
            submitted=Count("pk", filter=submitted),
            published=Count("pk", filter=published),
            on_time=Count("pk", filter=published & Q(on_time=True)),
            withdrawn=Count("pk", filter=published & Q(state=SubmissionRecord.State.UNPUBLISHED)),
            in_review=Count("pk", filter=in_review_at_end),
        )
        .order_by()
    )


def _step_figures(period):
    """Per department and chain step finished in the period: send-backs and average days."""
    return (
        StepRecord.objects.filter(**period.contains("finished_at"))
        .values("department_id", "step")
        .annotate(
            returned=Count("pk", filter=Q(outcome=StepRecord.Outcome.REJECTED)),
            average=Avg("working_days"),
        )
        .order_by()
    )


def totals(rows):
    """The whole bureau's figures for the period (a DepartmentStatistics without department)."""
    total = DepartmentStatistics(department=None)
    for row in rows:
        for name in ("drafted", "submitted", "published", "on_time", "withdrawn", "in_review", "returned"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total
