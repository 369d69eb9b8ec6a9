"""The official working-day calendar (STANDARDS §1) as data.

A working day is Monday–Friday, minus the statutory holidays, plus the weekend make-up working
days (调休上班) that the State Council fixes each year. That cannot be computed: it lives in the
tables ``SpecialDay`` (one row per holiday or make-up day) and ``WorkdayCalendarYear`` (the years
whose official schedule is loaded). They are seeded from the ``chinese_calendar`` package for the
years it knows (on every ``migrate``) and extended with ``workdays import FILE`` or in the admin.

A year without a loaded schedule falls back to the weekday rule, and every result that depends
on such a year says so (``provisional=True``): never silently trusted.

Import file format (UTF-8 or GB18030, one entry per line; blank lines and ``#`` comments ignored)::

    # 国务院办公厅关于2027年部分节假日安排的通知
    year,2027
    2027-01-01,holiday,元旦
    2027-02-06,workday,春节调休上班

At least one ``year,YYYY`` line names the years the file covers: their schedule is replaced
whole. A date in the year just before or after a covered year (a notice's New Year span may
begin on 31 December) is added or updated on its own, without touching the rest of that year.
The kind is ``holiday`` (or 休) for a day off, ``workday`` (or 班) for a make-up working day on a
weekend; the name is optional. Any bad line refuses the whole file.
"""

import datetime
import threading
import time
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import chinese_calendar
from django.db import models, transaction
from django.db.models import Count, Q

BUILTIN_SOURCE = "chinese_calendar {version}"
CACHE_SECONDS = 60


class WorkdayCalendarYear(models.Model):
    """A year whose official holiday schedule (国务院办公厅通知) has been loaded."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=200, blank=True)
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = "已载入的年度工作日安排"
        verbose_name_plural = "已载入的年度工作日安排"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年"


class SpecialDay(models.Model):
    """A statutory holiday on a weekday, or a make-up working day (调休上班) on a weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日（休息）"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


# chinese_calendar names its holidays in English; the admin shows them in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
KIND_ALIASES = {
    "holiday": SpecialDay.Kind.HOLIDAY,
    "休": SpecialDay.Kind.HOLIDAY,
    "workday": SpecialDay.Kind.WORKDAY,
    "班": SpecialDay.Kind.WORKDAY,
}
NAME_MAX_LENGTH = SpecialDay._meta.get_field("name").max_length


# --- the cached calendar -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    """Both tables in memory: a deadline computation never queries per day."""

    kinds: dict  # date -> SpecialDay.Kind value
    loaded_years: frozenset
    holiday_weekdays: tuple  # sorted dates: holidays falling Monday–Friday
    workday_weekends: tuple  # sorted dates: make-up working days on Saturday or Sunday
    taken_at: float


_lock = threading.Lock()
_snapshot = None


def clear_cache():
    """Forget the in-memory calendar; the next lookup reads the tables again. Called on every
    change through the ORM (calendar_signals); other processes refresh within CACHE_SECONDS."""
    global _snapshot
    with _lock:
        _snapshot = None


def _load_snapshot():
    kinds = dict(SpecialDay.objects.values_list("date", "kind"))
    years = frozenset(WorkdayCalendarYear.objects.values_list("year", flat=True))
    holiday_weekdays = tuple(
        sorted(d for d, k in kinds.items() if k == SpecialDay.Kind.HOLIDAY and d.weekday() < 5)
    )
    workday_weekends = tuple(
        sorted(d for d, k in kinds.items() if k == SpecialDay.Kind.WORKDAY and d.weekday() >= 5)
    )
    return _Snapshot(kinds, years, holiday_weekdays, workday_weekends, time.monotonic())


def _calendar():
    global _snapshot
    snapshot = _snapshot
    if snapshot is None or time.monotonic() - snapshot.taken_at > CACHE_SECONDS:
        snapshot = _load_snapshot()
        with _lock:
            _snapshot = snapshot
    return snapshot


# --- questions about days ------------------------------------------------------------------------


def is_year_loaded(year):
    """Whether the official schedule of ``year`` is loaded."""
    return year in _calendar().loaded_years


def loaded_years():
    """The years whose official schedule is loaded, ascending."""
    return sorted(_calendar().loaded_years)


def _is_working_day(day, snapshot):
    kind = snapshot.kinds.get(day)
    if kind == SpecialDay.Kind.HOLIDAY:
        return False
    if kind == SpecialDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day):
    """Whether ``day`` is an official working day (weekday rule in a year not loaded; ask
    ``is_year_loaded`` when that matters)."""
    return _is_working_day(_as_date(day), _calendar())


def working_days_after(start, n):
    """The ``n``-th working day after ``start`` (``n`` < 0: before it; 0: ``start`` itself).
    Returns ``(date, provisional)``; provisional when a day counted lies in a year whose
    official schedule is not loaded."""
    start = _as_date(start)
    snapshot = _calendar()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    provisional = False
    one_day = datetime.timedelta(days=step)
    while remaining:
        day += one_day
        if day.year not in snapshot.loaded_years:
            provisional = True
        if _is_working_day(day, snapshot):
            remaining -= 1
    return day, provisional


def working_days_between(a, b):
    """The number of working days after ``a`` up to and including ``b`` (negative when ``b`` is
    before ``a``: minus the working days after ``b`` up to and including ``a``). Returns
    ``(count, provisional)``."""
    a, b = _as_date(a), _as_date(b)
    if b < a:
        count, provisional = working_days_between(b, a)
        return -count, provisional
    if a == b:
        return 0, False
    snapshot = _calendar()
    # Weekdays in (a, b] by arithmetic, then the special days in that range by bisection.
    count = _weekdays_up_to(b) - _weekdays_up_to(a)
    count -= bisect_right(snapshot.holiday_weekdays, b) - bisect_right(snapshot.holiday_weekdays, a)
    count += bisect_right(snapshot.workday_weekends, b) - bisect_right(snapshot.workday_weekends, a)
    first = a + datetime.timedelta(days=1)
    provisional = any(year not in snapshot.loaded_years for year in range(first.year, b.year + 1))
    return count, provisional


def _weekdays_up_to(day):
    """Monday–Friday days from a fixed Monday up to and including ``day`` (a running count)."""
    ordinal = day.toordinal()  # ordinal 1 (0001-01-01) is a Monday
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _as_date(value):
    if isinstance(value, datetime.datetime):
        raise TypeError("pass a date, not a datetime (convert with timezone.localdate)")
    if not isinstance(value, datetime.date):
        raise TypeError(f"expected a date, got {value!r}")
    return value


# --- status --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str
    loaded_at: datetime.datetime
    holidays: int
    workdays: int


def calendar_status():
    """Each loaded year with its source and counts of holidays and make-up working days."""
    counts = {
        row["date__year"]: row
        for row in SpecialDay.objects.values("date__year").annotate(
            holidays=Count("pk", filter=Q(kind=SpecialDay.Kind.HOLIDAY)),
            workdays=Count("pk", filter=Q(kind=SpecialDay.Kind.WORKDAY)),
        )
    }
    return [
        YearStatus(
            year=entry.year,
            source=entry.source,
            loaded_at=entry.loaded_at,
            holidays=counts.get(entry.year, {}).get("holidays", 0),
            workdays=counts.get(entry.year, {}).get("workdays", 0),
        )
        for entry in WorkdayCalendarYear.objects.order_by("year")
    ]


# --- loading from chinese_calendar ---------------------------------------------------------------


def builtin_schedule():
    """The schedule that ``chinese_calendar`` holds: ``{date: (kind, name)}``."""
    schedule = {}
    for table, kind in (
        (chinese_calendar.holidays, SpecialDay.Kind.HOLIDAY),
        (chinese_calendar.workdays, SpecialDay.Kind.WORKDAY),
    ):
        for day, english in table.items():
            name = HOLIDAY_NAMES.get(english, english or "")
            if kind == SpecialDay.Kind.WORKDAY and name:
                name = f"{name}调休上班"
            schedule[day] = (kind, name[:NAME_MAX_LENGTH])
    return schedule


def load_builtin_calendar(force=False):
    """Load every year ``chinese_calendar`` knows that is not loaded yet; idempotent. A year
    already loaded (from the package, a file or the admin) is left as the bureau keeps it,
    unless ``force``. Returns the years loaded."""
    source = BUILTIN_SOURCE.format(version=getattr(chinese_calendar, "__version__", ""))
    schedule = builtin_schedule()
    with transaction.atomic():
        present = set(WorkdayCalendarYear.objects.values_list("year", flat=True))
        years = sorted({day.year for day in schedule} - (set() if force else present))
        if years:
            _replace_years(years, {d: v for d, v in schedule.items() if d.year in years}, source)
    return years


def _replace_years(years, entries, source):
    """Give ``years`` exactly the schedule in ``entries`` ({date: (kind, name)}); entries in
    other years are added or updated one by one (inside the caller's transaction)."""
    SpecialDay.objects.filter(date__year__in=years).delete()
    SpecialDay.objects.bulk_create(
        SpecialDay(date=day, kind=kind, name=name)
        for day, (kind, name) in sorted(entries.items())
        if day.year in years
    )
    for day, (kind, name) in sorted(entries.items()):
        if day.year not in years:
            SpecialDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    for year in years:
        WorkdayCalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    transaction.on_commit(clear_cache)
    clear_cache()


# --- importing a file ----------------------------------------------------------------------------


class CalendarImportError(ValueError):
    """A calendar file that cannot be imported; ``line`` is the 1-based line at fault (or None)."""

    def __init__(self, message, line=None):
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line else message)


def parse_calendar_file(text):
    """Parse the import format (module docstring). Returns ``(years, entries)``: the covered
    years and ``{date: (kind, name)}``; raises CalendarImportError at the first bad line."""
    declared = []
    entries = {}
    lines = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.replace("，", ",").split(",")]
        if parts[0].lower() == "year":
            year = _parse_year(parts, number)
            if year in declared:
                raise CalendarImportError(f"年份 {year} 重复声明", number)
            declared.append(year)
            continue
        if len(parts) not in (2, 3):
            raise CalendarImportError(
                f"应为“YYYY-MM-DD,holiday|workday,名称”或“year,YYYY”，实为“{line}”", number
            )
        day = _parse_date(parts[0], number)
        kind = KIND_ALIASES.get(parts[1].lower())
        if kind is None:
            raise CalendarImportError(f"类型“{parts[1]}”无效，应为 holiday（休）或 workday（班）", number)
        name = parts[2] if len(parts) == 3 else ""
        if len(name) > NAME_MAX_LENGTH:
            raise CalendarImportError(f"名称超过 {NAME_MAX_LENGTH} 个字", number)
        if kind == SpecialDay.Kind.WORKDAY and day.weekday() < 5:
            raise CalendarImportError(f"{day:%Y-%m-%d} 是周一至周五，本就上班，不能列为调休上班", number)
        if day in entries:
            raise CalendarImportError(f"日期 {day:%Y-%m-%d} 重复（首次出现在第 {lines[day]} 行）", number)
        entries[day] = (kind, name)
        lines[day] = number
    if not declared:
        raise CalendarImportError("文件须用“year,YYYY”行声明所覆盖的年份")
    for day, number in lines.items():
        if not any(abs(day.year - year) <= 1 for year in declared):
            raise CalendarImportError(
                f"日期 {day:%Y-%m-%d} 不在声明的年份 {sorted(declared)} 及其相邻年份内", number
            )
    return sorted(declared), entries


def _parse_year(parts, number):
    if len(parts) != 2 or not parts[1].isdigit() or not 1900 <= int(parts[1]) <= 2999:
        raise CalendarImportError(f"年份行应为“year,YYYY”，实为“{','.join(parts)}”", number)
    return int(parts[1])


def _parse_date(value, number):
    if len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarImportError(f"日期“{value}”无效，应为 YYYY-MM-DD", number)


def read_calendar_file(path):
    """The text of a calendar file (UTF-8, with or without BOM, or GB18030 as saved by Excel)."""
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarImportError("文件编码无法识别，请保存为 UTF-8")


def import_calendar(text, source=""):
    """Import a calendar file's text: the years it covers get exactly its schedule, all or
    nothing. Returns the years imported; raises CalendarImportError (nothing changed)."""
    years, entries = parse_calendar_file(text)
    with transaction.atomic():
        _replace_years(years, entries, source[: WorkdayCalendarYear._meta.get_field("source").max_length])
    return years


def years_to_load(today):
    """The years the administrator should load now: this year if missing, and from 1 November
    on (the State Council notice is usually out by then) next year if missing."""
    years = [today.year] if not is_year_loaded(today.year) else []
    if today.month >= 11 and not is_year_loaded(today.year + 1):
        years.append(today.year + 1)
    return years
