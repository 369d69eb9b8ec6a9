"""Reporting periods (this month, this quarter, this year, any past year, a custom range) and
the form that chooses one, with Chinese messages for bad input."""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone

EARLIEST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    """Whole days from ``first`` to ``last`` (both included), in the site's time zone."""

    first: datetime.date
    last: datetime.date
    label: str

    @property
    def starts_at(self):
        return _midnight(self.first)

    @property
    def ends_before(self):
        """The first instant after the period (exclusive upper bound for datetimes)."""
        return _midnight(self.last + datetime.timedelta(days=1))

    def contains(self, field):
        """Filter arguments selecting rows whose datetime ``field`` falls in the period."""
        return {f"{field}__gte": self.starts_at, f"{field}__lt": self.ends_before}

    @property
    def slug(self):
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def month_period(today):
    first = today.replace(day=1)
    return Period(first, today, f"{today.year}年{today.month}月")


def quarter_period(today):
    quarter = (today.month - 1) // 3
    first = datetime.date(today.year, quarter * 3 + 1, 1)
    return Period(first, today, f"{today.year}年第{quarter + 1}季度")


def year_period(year, today):
    """A whole calendar year; the current one runs up to today."""
    last = min(datetime.date(year, 12, 31), today) if year == today.year else datetime.date(year, 12, 31)
    return Period(datetime.date(year, 1, 1), last, f"{year}年")


def custom_period(first, last):
    return Period(first, last, f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}")


def check_year(year, today):
    if year is not None and not EARLIEST_YEAR <= year <= today.year:
        raise forms.ValidationError(f"年度应在 {EARLIEST_YEAR} 至 {today.year} 之间。")
    return year


class PeriodForm(forms.Form):
    """统计时段: GET parameters ``period`` (month/quarter/year/custom), ``year``, ``start``, ``end``."""

    PERIODS = [
        ("month", "本月"),
        ("quarter", "本季度"),
        ("year", "按年度"),
        ("custom", "自定义时段"),
    ]

    period = forms.ChoiceField(label="统计时段", choices=PERIODS, required=False)
    year = forms.IntegerField(
        label="年度",
        required=False,
        error_messages={"invalid": "年度须为四位数字，如 2025。"},
    )
    start = forms.DateField(
        label="开始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "开始日期格式不正确，应为 年-月-日，如 2026-01-01。"},
    )
    end = forms.DateField(
        label="结束日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "结束日期格式不正确，应为 年-月-日，如 2026-06-30。"},
    )

    def __init__(self, data=None, today=None, default="month"):
        self.today = today or timezone.localdate()
        self.default = default
        super().__init__(data or None)

    def clean_year(self):
        return check_year(self.cleaned_data.get("year"), self.today)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if "start" in self.errors or "end" in self.errors:
                return cleaned
            if start is None or end is None:
                raise forms.ValidationError("自定义时段须同时填写开始日期和结束日期。")
            if end < start:
                self.add_error("end", "结束日期不能早于开始日期。")
            elif start > self.today:
                self.add_error("start", "开始日期不能晚于今天。")
        return cleaned

    def chosen_period(self):
        """The chosen period; the default (this month) when nothing valid was chosen."""
        if not self.is_bound or not self.is_valid():
            return self._default_period()
        data = self.cleaned_data
        kind = data.get("period") or self.default
        if kind == "quarter":
            return quarter_period(self.today)
        if kind == "year":
            return year_period(data.get("year") or self.today.year, self.today)
        if kind == "custom":
            return custom_period(data["start"], min(data["end"], self.today))
        return month_period(self.today)

    def _default_period(self):
        if self.default == "year":
            return year_period(self.today.year, self.today)
        return month_period(self.today)


class YearForm(forms.Form):
    """年度: one calendar year, this one by default."""

    year = forms.IntegerField(
        label="年度",
        required=False,
        error_messages={"invalid": "年度须为四位数字，如 2025。"},
    )

    def __init__(self, data=None, today=None):
        self.today = today or timezone.localdate()
        super().__init__(data or None)

    def clean_year(self):
        return check_year(self.cleaned_data.get("year"), self.today)

    def chosen_year(self):
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return self.today.year

    def chosen_period(self):
        return year_period(self.chosen_year(), self.today)
