"""Figures for the annual disclosure report (国办公开办函〔2021〕30号 format, STANDARDS §6) for
a chosen year, from what the site holds: table 二's normative documents (issued, abolished, in
force at the year's end) from the policy documents, items published per column, and public
questions received and answered. A handful of queries, whatever the number of items."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from moderation.desk import SubmissionRecord
from pages.models import ColumnPage, PolicyPage, QuestionPage

ENDED = [PolicyPage.Validity.ABOLISHED, PolicyPage.Validity.EXPIRED]


@dataclass(frozen=True)
class Figure:
    """One row of the export: the report's section, the row's name, the number."""

    section: str
    label: str
    value: int


def normative_documents(year):
    """Table 二, 行政规范性文件: 本年制发件数, 本年废止件数, 现行有效件数 (at 31 December)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    published = PolicyPage.objects.filter(first_published_at__isnull=False)
    ended_by = Q(abolished_on__lte=last) | Q(valid_until__lt=last)
    counts = published.aggregate(
        issued=Count("pk", filter=Q(written_on__range=(first, last))),
        abolished=Count(
            "pk",
            filter=Q(validity__in=ENDED)
            & (Q(abolished_on__range=(first, last)) | Q(abolished_on=None, valid_until__range=(first, last))),
        ),
        # In force on 31 December: written by then and not ended by then (a document marked
        # ended without a date counts as ended).
        in_force=Count(
            "pk",
            filter=Q(written_on__lte=last)
            & ~ended_by
            & ~Q(validity__in=ENDED, abolished_on=None, valid_until=None),
        ),
    )
    return counts


def published_per_column(period):
    """[(column title, items first published in the period)] in tree order (withdrawn ones
    included: they were published that year)."""
    counts = dict(
        SubmissionRecord.objects.filter(**period.contains("published_at"))
        .values_list("column_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(column.title, counts.get(column.pk, 0)) for column in ColumnPage.objects.order_by("path")]


def questions(period):
    """Public questions received in the period, and those of them answered (published)."""
    received = QuestionPage.objects.filter(**period.contains("asked_at"))
    return {
        "received": received.count(),
        "answered": received.filter(first_published_at__isnull=False).count(),
    }


def annual_figures(period):
    """Every figure for the year of ``period`` (a whole calendar year), as export rows."""
    year = period.first.year
    documents = normative_documents(year)
    asked = questions(period)
    rows = [
        Figure("二、主动公开政府信息情况（行政规范性文件）", "本年制发件数", documents["issued"]),
        Figure("二、主动公开政府信息情况（行政规范性文件）", "本年废止件数", documents["abolished"]),
        Figure("二、主动公开政府信息情况（行政规范性文件）", "现行有效件数", documents["in_force"]),
    ]
    rows += [Figure("网站各栏目本年发布信息数", title, n) for title, n in published_per_column(period)]
    rows += [
        Figure("互动交流", "本年收到群众留言", asked["received"]),
        Figure("互动交流", "其中已答复并公开", asked["answered"]),
    ]
    return rows
