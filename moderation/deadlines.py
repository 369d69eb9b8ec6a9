"""The publication deadline of an item (RULES §4, STANDARDS §1) on the official working-day
calendar; each item type declares what its deadline counts from (``deadline_basis``):

* proactively disclosed information: within 20 working days of the day it was formed or
  changed (信息形成日期), or the column's stricter limit (e.g. 10 for social assistance);
* time-sensitive items (通知公告 and 工作动态 alike), result-type (结果类): within 3 working
  days after the event; preview-type (预告类): at least 3 working days before it;
* a public question (群众留言): a reply within ``GOVPORTAL_QUESTION_REPLY_WORKING_DAYS``
  (default 10) working days of its receipt;
* the annual disclosure report (信息年报): by 31 January of the following year (Art. 49).
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from pages.models import DeadlineBasis, TimelyKind

from .calendar import working_days_after, working_days_between

DISCLOSURE_WORKING_DAYS = 20
NOTICE_WORKING_DAYS = 3
ANNUAL_REPORT_DUE = (1, 31)  # month, day of the year after the report's year
# At most this many working days left is "soon" (shown in amber).
SOON_WORKING_DAYS = 3
PROVISIONAL_NOTE = "（含未载入官方安排的年度，暂按周一至周五推算）"


class Urgency(StrEnum):
    OK = "ok"
    SOON = "soon"
    TODAY = "today"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Deadline:
    """When an item must be published, and how that stands on ``today``."""

    due: datetime.date
    provisional: bool  # the computation crossed a year whose official schedule is not loaded
    working_days_left: int  # working days after today up to the due date; < 0 when overdue
    urgency: Urgency
    rule: str  # the rule applied, in Chinese: "信息形成后 20 个工作日内"

    @property
    def label(self):
        """A short Chinese label: 剩余 5 个工作日 / 今天到期 / 已超期 2 个工作日."""
        if self.urgency == Urgency.OVERDUE:
            late = -self.working_days_left
            text = f"已超期 {late} 个工作日" if late > 0 else "已超期"
        elif self.urgency == Urgency.TODAY:
            text = "今天到期"
        else:
            text = f"剩余 {self.working_days_left} 个工作日"
        return f"{text}（{self.due:%Y-%m-%d} 前）" + (PROVISIONAL_NOTE if self.provisional else "")


@dataclass(frozen=True)
class Timeliness:
    """Whether an item went out in time."""

    on_time: bool
    due: datetime.date
    published_on: datetime.date
    working_days_late: int  # 0 when on time
    provisional: bool

    @property
    def urgency(self):
        return Urgency.OK if self.on_time else Urgency.OVERDUE

    @property
    def label(self):
        """按时发布 / 超期 2 个工作日发布, against the deadline that applied."""
        text = "按时发布" if self.on_time else f"超期 {self.working_days_late} 个工作日发布"
        return f"{text}（时限 {self.due:%Y-%m-%d}）" + (PROVISIONAL_NOTE if self.provisional else "")


def question_reply_working_days():
    return settings.GOVPORTAL_QUESTION_REPLY_WORKING_DAYS


def due_date(item, column=None):
    """``(due date, provisional, rule)`` of an item (a BaseItemPage instance). Pass its
    ``column`` (a ColumnPage) when known, to spare a query per item in listings."""
    item = getattr(item, "specific", item)
    basis = getattr(item, "deadline_basis", DeadlineBasis.FORMATION)
    if basis == DeadlineBasis.EVENT:
        return _event_due(item)
    if basis == DeadlineBasis.QUESTION:
        received = timezone.localdate(item.asked_at) if item.asked_at else item.formed_on
        days = question_reply_working_days()
        due, provisional = working_days_after(received, days)
        return due, provisional, f"群众留言：收到之日起 {days} 个工作日内答复"
    if basis == DeadlineBasis.ANNUAL_REPORT:
        month, day = ANNUAL_REPORT_DUE
        due = datetime.date(item.year + 1, month, day)
        return due, False, f"信息公开年报：{item.year + 1}年{month}月{day}日前发布"
    limit = limit_for_column(column if column is not None else _column_of(item))
    due, provisional = working_days_after(item.formed_on, limit)
    return due, provisional, f"信息形成后 {limit} 个工作日内发布"


def _event_due(item):
    # An item saved before its event date was required falls back to its formation date.
    event_date = item.event_date or item.formed_on
    if item.notice_kind == TimelyKind.PREVIEW:
        due, provisional = working_days_after(event_date, -NOTICE_WORKING_DAYS)
        return due, provisional, f"预告类信息：事件日期前至少 {NOTICE_WORKING_DAYS} 个工作日发布"
    due, provisional = working_days_after(event_date, NOTICE_WORKING_DAYS)
    return due, provisional, f"结果类信息：事件发生后 {NOTICE_WORKING_DAYS} 个工作日内发布"


def limit_for_column(column):
    """The working days a column allows: 20, or its own stricter limit."""
    stricter = getattr(column, "deadline_working_days", None)
    if stricter:
        return min(stricter, DISCLOSURE_WORKING_DAYS)
    return DISCLOSURE_WORKING_DAYS


def _column_of(item):
    if not item.path:  # not saved in the tree yet
        return None
    parent = item.get_parent()
    return parent.specific if parent is not None else None


def deadline_for(item, today=None, column=None):
    """The deadline of an item as it stands ``today`` (default: today in the site's time zone)."""
    today = today or timezone.localdate()
    due, provisional, rule = due_date(item, column=column)
    left, crossed = working_days_between(today, due)
    if due < today:
        urgency = Urgency.OVERDUE
    elif due == today:
        urgency = Urgency.TODAY
    elif left <= SOON_WORKING_DAYS:
        urgency = Urgency.SOON
    else:
        urgency = Urgency.OK
    return Deadline(
        due=due, provisional=provisional or crossed, working_days_left=left, urgency=urgency, rule=rule
    )


def timeliness(item, published_at, column=None):
    """Whether ``published_at`` (a datetime, e.g. ``first_published_at``) met the item's
    deadline: publication on the due date itself is on time."""
    published_on = (
        timezone.localdate(published_at) if timezone.is_aware(published_at) else published_at.date()
    )
    due, provisional, _ = due_date(item, column=column)
    late, crossed = working_days_between(due, published_on)
    return Timeliness(
        on_time=published_on <= due,
        due=due,
        published_on=published_on,
        working_days_late=max(late, 0),
        provisional=provisional or crossed,
    )


def published_on_time(item, published_at, column=None):
    """True when ``published_at`` met the item's deadline."""
    return timeliness(item, published_at, column=column).on_time


def deadline_or_outcome(item, today=None, column=None):
    """What a listing shows in its 时限 column: the outcome once an item is published as it
    stands (the same figure the desk counts), else the deadline as it stands today — also for
    a change of a published item that is still a draft or in review."""
    if item.live and not item.has_unpublished_changes and item.first_published_at:
        return timeliness(item, item.first_published_at, column=column)
    return deadline_for(item, today=today, column=column)
