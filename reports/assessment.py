"""年底总评: each department's figures for a year, its score from the Office's weights, and the
monthly publications chart (inline SVG: no outside script)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from moderation.desk import SubmissionRecord

from .models import AssessmentWeights
from .statistics import DepartmentStatistics, department_statistics

MONTHS = range(1, 13)


@dataclass
class AssessmentRow(DepartmentStatistics):
    """One department's year: its statistics, score and monthly publications."""

    score: Decimal = Decimal(0)
    monthly: list = field(default_factory=lambda: [0] * 12)


def assess(period, departments, weights=None):
    """AssessmentRows for the period (a whole year), highest score first; equal scores share a rank."""
    weights = weights or AssessmentWeights.load()
    monthly = monthly_publications(period)
    rows = [
        AssessmentRow(**vars(f), score=weights.score(f), monthly=monthly.get(f.department.pk, [0] * 12))
        for f in department_statistics(period, departments)
    ]
    rows.sort(key=lambda r: (-r.score, r.ranking_key))
    for position, row in enumerate(rows, start=1):
        previous = rows[position - 2] if position > 1 else None
        row.rank = previous.rank if previous is not None and previous.score == row.score else position
    return rows


def monthly_publications(period):
    """{department id: [publications in January, …, December]} for the period's year (one query)."""
    counts = {}
    rows = (
        SubmissionRecord.objects.filter(**period.contains("published_at"))
        .annotate(month=ExtractMonth("published_at", tzinfo=timezone.get_current_timezone()))
        .values("department_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["department_id"], [0] * 12)[row["month"] - 1] = row["n"]
    return counts


# --- the chart -----------------------------------------------------------------------------------

PANEL_HEIGHT = 92
BAR_AREA = 56
LABEL_WIDTH = 120
BAR_STEP = 48
CHART_WIDTH = LABEL_WIDTH + BAR_STEP * 12 + 10


def monthly_chart_svg(rows, year):
    """Small multiples: one row of 12 monthly bars per department, on one shared scale, each bar
    labelled with its number (colour is never the only cue)."""
    peak = max([n for row in rows for n in row.monthly] + [1])
    height = PANEL_HEIGHT * len(rows) + 24
    panels = format_html_join("", "{}", ((_panel(row, index, peak),) for index, row in enumerate(rows)))
    months = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#444">{}月</text>',
        ((LABEL_WIDTH + BAR_STEP * (m - 1) + BAR_STEP / 2, height - 6, m) for m in MONTHS),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="chart-title" style="max-width:{w}px;font-family:sans-serif">'
        '<title id="chart-title">{year}年各部门每月发布数量</title>{panels}{months}</svg>',
        w=CHART_WIDTH,
        h=height,
        year=year,
        panels=panels,
        months=months,
    )


def _panel(row, index, peak):
    top = PANEL_HEIGHT * index
    baseline = top + 16 + BAR_AREA
    bars = []
    for month, count in zip(MONTHS, row.monthly, strict=True):
        bar_height = round(BAR_AREA * count / peak, 1)
        x = LABEL_WIDTH + BAR_STEP * (month - 1) + 8
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#1d5e8c"><title>{}月：{} 条</title></rect>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#222">{}</text>',
                x,
                baseline - bar_height,
                BAR_STEP - 16,
                bar_height,
                month,
                count,
                x + (BAR_STEP - 16) / 2,
                baseline - bar_height - 3,
                count,
            )
        )
    return format_html(
        '<g><text x="0" y="{}" font-size="13" fill="#111">{}</text>'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#999"/>{}</g>',
        baseline - 4,
        row.department.name,
        LABEL_WIDTH,
        CHART_WIDTH - 10,
        baseline,
        baseline,
        format_html_join("", "{}", ((bar,) for bar in bars)),
    )
