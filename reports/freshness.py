"""Column freshness against the national inspection indicators (STANDARDS §2, 国办秘函〔2019〕19号):
news columns not updated within 2 weeks and notice/policy columns within 6 months are stale
(不更新栏目), a column that never had content is empty (空白栏目), and the home page must show
an item from the last 2 weeks. Warnings come well before the veto, at the vendors' levels:
10 days for news, 5 months otherwise, any empty column.

Thresholds are natural days (the indicators count calendar time, holidays included). A column's
own 更新周期 sets its limit; without one, the column's kind decides
(``ColumnPage.freshness_limit``: news 14 days; notices, policies and the guide — a document
column — 183), and other standing columns are only checked for being empty. Columns the Office
has hidden are not on the site and are not checked. Last update = the latest first publication of a live item in the column
(a new item, not an edit of an old one)."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Max
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page

from pages.models import ColumnPage

NEWS_LIMIT_DAYS = 14
NEWS_WARNING_DAYS = 10
SLOW_WARNING_LEAD_DAYS = 30  # warn at five months
HOME_LIMIT_DAYS = 14  # its warning starts after 10 days, as a news column's


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    STALE = "stale"
    EMPTY = "empty"


LEVEL_LABELS = {
    Level.OK: "正常",
    Level.WARNING: "即将超期",
    Level.STALE: "已超期未更新",
    Level.EMPTY: "空白栏目",
}


def limit_days(column):
    """Days a column may go without a new item (None: updated on demand)."""
    return column.freshness_limit


def warning_days(limit):
    """Days without a new item after which the early warning starts."""
    if limit <= NEWS_LIMIT_DAYS:
        return limit - (NEWS_LIMIT_DAYS - NEWS_WARNING_DAYS)
    # Five of six months: a month ahead, or a sixth of a shorter limit.
    return limit - min(SLOW_WARNING_LEAD_DAYS, limit // 6)


@dataclass
class Freshness:
    """One column's (or the home page's, column=None) standing on ``today``."""

    column: object
    title: str
    departments: list
    last_update: datetime.date | None
    limit: int | None
    today: datetime.date

    @property
    def days_since(self):
        return None if self.last_update is None else (self.today - self.last_update).days

    @property
    def days_left(self):
        """Days before the column turns stale (0: last day; negative: stale for that long)."""
        if self.limit is None or self.last_update is None:
            return None
        return self.limit - self.days_since

    @property
    def stale_on(self):
        if self.limit is None or self.last_update is None:
            return None
        return self.last_update + datetime.timedelta(days=self.limit + 1)

    @property
    def level(self):
        if self.last_update is None:
            return Level.EMPTY
        if self.limit is None:
            return Level.OK
        if self.days_since > self.limit:
            return Level.STALE
        if self.days_since >= warning_days(self.limit):
            return Level.WARNING
        return Level.OK

    @property
    def department_names(self):
        return "、".join(d.name for d in self.departments)

    @property
    def level_label(self):
        return LEVEL_LABELS[self.level]

    @property
    def needs_attention(self):
        return self.level != Level.OK

    @property
    def key(self):
        """Identifies one warning: a new item (a new last update) starts a new one."""
        column = self.column.pk if self.column is not None else "home"
        return f"{column}:{self.level}:{self.last_update or '-'}"


def column_freshness(today=None, columns=None):
    """Freshness of every leaf column (or of ``columns``), in tree order. Two queries plus the
    responsible departments, whatever the number of items."""
    today = today or timezone.localdate()
    columns = list(
        (columns if columns is not None else ColumnPage.objects.all())
        .filter(hidden=False)
        .order_by("path")
        .prefetch_related("departments")
    )
    latest = _latest_by_parent([c.path for c in columns])
    return [
        Freshness(
            column=c,
            title=c.title,
            departments=list(c.departments.all()),
            last_update=latest.get(c.path),
            limit=limit_days(c),
            today=today,
        )
        for c in columns
    ]


def home_freshness(today=None, all_columns=None):
    """The home page shows the site's latest item: the newest first publication of any column
    (pass ``all_columns``, the freshness of every column, to spare the query)."""
    today = today or timezone.localdate()
    if all_columns is None:
        all_columns = column_freshness(today)
    return Freshness(
        column=None,
        title="首页（最新信息）",
        departments=[],
        last_update=max((f.last_update for f in all_columns if f.last_update), default=None),
        limit=HOME_LIMIT_DAYS,
        today=today,
    )


def _latest_by_parent(paths):
    """{column path: date of the latest first publication of a live child}."""
    if not paths:
        return {}
    step = Page.steplen
    rows = (
        Page.objects.filter(live=True, first_published_at__isnull=False)
        .annotate(parent_path=Substr("path", 1, Length("path") - step))
        .filter(parent_path__in=paths)
        .values("parent_path")
        .annotate(last=Max("first_published_at"), n=Count("pk"))
        .order_by()
    )
    return {row["parent_path"]: timezone.localdate(row["last"]) for row in rows}


def attention_list(user_departments=None, today=None):
    """The home page and the columns that need attention; limited to the columns of
    ``user_departments`` when given (a head's dashboard)."""
    today = today or timezone.localdate()
    columns = ColumnPage.objects.all()
    if user_departments is not None:
        columns = columns.filter(departments__in=user_departments).distinct()
    rows = column_freshness(today, columns)
    found = [f for f in rows if f.needs_attention]
    if user_departments is None:
        home = home_freshness(today, rows)
        if home.needs_attention:
            found.insert(0, home)
    return found


# The veto lines (单项否决) and the vendors' earlier alarms, for the Office's summary.
VETO_STALE_COLUMNS = 5
VETO_EMPTY_COLUMNS = 5
ALARM_STALE_COLUMNS = 6
ALARM_EMPTY_COLUMNS = 2


def veto_summary(rows):
    """How the site stands against the veto lines: counts of stale and empty columns."""
    columns = [r for r in rows if r.column is not None]
    stale = sum(1 for r in columns if r.level == Level.STALE)
    empty = sum(1 for r in columns if r.level == Level.EMPTY)
    home = next((r for r in rows if r.column is None), None)
    return {
        "stale": stale,
        "empty": empty,
        "warning": sum(1 for r in columns if r.level == Level.WARNING),
        "stale_veto": stale >= VETO_STALE_COLUMNS,
        "empty_veto": empty >= VETO_EMPTY_COLUMNS,
        "empty_alarm": empty > ALARM_EMPTY_COLUMNS,
        "stale_alarm": stale > ALARM_STALE_COLUMNS,
        "home": home,
    }
