"""The official working-day calendar on the 2026 schedule (STANDARDS §1), loaded on migrate."""

import datetime

import pytest

from moderation import calendar
from moderation.calendar import (
    CalendarImportError,
    import_calendar,
    is_working_day,
    load_builtin_calendar,
    parse_calendar_file,
    working_days_after,
    working_days_between,
)
from moderation.models import SpecialDay, WorkdayCalendarYear

D = datetime.date

HOLIDAYS_2026 = [
    (D(2026, 1, 1), D(2026, 1, 3)),
    (D(2026, 2, 15), D(2026, 2, 23)),
    (D(2026, 4, 4), D(2026, 4, 6)),
    (D(2026, 5, 1), D(2026, 5, 5)),
    (D(2026, 6, 19), D(2026, 6, 21)),
    (D(2026, 9, 25), D(2026, 9, 27)),
    (D(2026, 10, 1), D(2026, 10, 7)),
]
MAKE_UP_DAYS_2026 = [
    D(2026, 1, 4),
    D(2026, 2, 14),
    D(2026, 2, 28),
    D(2026, 5, 9),
    D(2026, 9, 20),
    D(2026, 10, 10),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    # Each test rolls back its database changes; the in-memory calendar must not outlive them.
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def _days(first, last):
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


def test_migrate_loaded_every_year_chinese_calendar_knows():
    years = set(WorkdayCalendarYear.objects.values_list("year", flat=True))
    assert set(range(2004, 2027)) <= years
    assert 2027 not in years
    assert calendar.is_year_loaded(2026) and not calendar.is_year_loaded(2027)


def test_2026_schedule_is_the_official_one():
    holidays = {d for first, last in HOLIDAYS_2026 for d in _days(first, last)}
    stored = SpecialDay.objects.filter(date__year=2026)
    assert {s.date for s in stored if s.kind == SpecialDay.Kind.HOLIDAY} == holidays
    assert sorted(s.date for s in stored if s.kind == SpecialDay.Kind.WORKDAY) == MAKE_UP_DAYS_2026
    assert SpecialDay.objects.get(date=D(2026, 2, 17)).name == "春节"
    for day in _days(D(2026, 1, 1), D(2026, 12, 31)):
        expected = day in MAKE_UP_DAYS_2026 or (day.weekday() < 5 and day not in holidays)
        assert is_working_day(day) is expected, day


@pytest.mark.parametrize("day", MAKE_UP_DAYS_2026)
def test_make_up_saturdays_and_sundays_are_working_days(day):
    assert day.weekday() >= 5
    assert is_working_day(day)


def test_golden_week():
    # Wed 30 Sep is the last working day before National Day; 1–7 Oct off; Thu 8 Oct back;
    # Sat 10 Oct is a make-up working day.
    assert working_days_after(D(2026, 9, 30), 1) == (D(2026, 10, 8), False)
    assert working_days_after(D(2026, 9, 30), 3) == (D(2026, 10, 10), False)
    assert working_days_after(D(2026, 10, 8), -1) == (D(2026, 9, 30), False)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 7)) == (0, False)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == (4, False)
    # Mid-Autumn (25–27 Sep) and National Day together: Sun 20 Sep, 21–24, 28–30, 8–9 Oct.
    assert working_days_between(D(2026, 9, 18), D(2026, 10, 9)) == (10, False)


def test_spring_festival_twenty_working_days():
    # Formed Fri 6 Feb 2026: Feb 9–13 (5), Sat 14 (6), 15–23 off, 24–27 (10), Sat 28 (11),
    # Mar 2–6 (16), Mar 9–12 (20).
    assert working_days_after(D(2026, 2, 6), 20) == (D(2026, 3, 12), False)
    assert working_days_between(D(2026, 2, 6), D(2026, 3, 12)) == (20, False)


def test_zero_and_negative_counts():
    assert working_days_after(D(2026, 10, 3), 0) == (D(2026, 10, 3), False)
    # Back from Mon 12 Oct: Sat 10 Oct (make-up), Fri 9, Thu 8.
    assert working_days_after(D(2026, 10, 12), -3) == (D(2026, 10, 8), False)
    assert working_days_after(D(2026, 10, 12), -4) == (D(2026, 9, 30), False)
    assert working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == (-4, False)
    assert working_days_between(D(2026, 5, 6), D(2026, 5, 6)) == (0, False)


def test_crossing_into_unloaded_2027_is_provisional():
    # 2026-12-31 is a Thursday; 2027 is not loaded: the weekday rule, marked provisional.
    assert working_days_after(D(2026, 12, 28), 3) == (D(2026, 12, 31), False)
    assert working_days_after(D(2026, 12, 28), 4) == (D(2027, 1, 1), True)
    assert working_days_after(D(2026, 12, 25), 10) == (D(2027, 1, 8), True)
    assert working_days_between(D(2026, 12, 25), D(2027, 1, 8)) == (10, True)
    assert working_days_between(D(2026, 12, 1), D(2026, 12, 31))[1] is False
    # Counting back out of 2027 crosses it too.
    assert working_days_after(D(2027, 1, 5), -3)[1] is True


def test_between_matches_stepping_across_years():
    start = D(2025, 12, 20)
    for n in range(0, 60):
        day, _ = working_days_after(start, n)
        assert working_days_between(start, day)[0] == n


def test_lookups_are_cached(django_assert_max_num_queries):
    is_working_day(D(2026, 1, 5))
    with django_assert_max_num_queries(0):
        working_days_after(D(2026, 1, 5), 250)
        working_days_between(D(2020, 1, 1), D(2026, 12, 31))


def test_admin_edit_takes_effect():
    assert is_working_day(D(2026, 11, 2))
    SpecialDay.objects.create(date=D(2026, 11, 2), kind=SpecialDay.Kind.HOLIDAY, name="临时")
    assert not is_working_day(D(2026, 11, 2))


def test_builtin_loading_is_idempotent_and_keeps_the_bureaus_edits():
    SpecialDay.objects.filter(date=D(2026, 1, 2)).update(name="元旦（已核对）")
    count = SpecialDay.objects.count()
    assert load_builtin_calendar() == []
    assert SpecialDay.objects.count() == count
    assert SpecialDay.objects.get(date=D(2026, 1, 2)).name == "元旦（已核对）"
    WorkdayCalendarYear.objects.filter(year=2026).delete()
    assert load_builtin_calendar() == [2026]
    assert SpecialDay.objects.count() == count
    assert SpecialDay.objects.get(date=D(2026, 1, 2)).name == "元旦"


CALENDAR_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（示例）
year,2027
2027-01-01,holiday,元旦
2027-02-06,workday,春节调休上班
2027-02-08,holiday,春节
2027-02-09,休,春节
"""


def test_import_a_new_year():
    assert import_calendar(CALENDAR_2027, source="文件 2027.csv") == [2027]
    assert calendar.is_year_loaded(2027)
    assert not is_working_day(D(2027, 2, 8))
    assert is_working_day(D(2027, 2, 6))
    assert working_days_after(D(2026, 12, 31), 1) == (D(2027, 1, 4), False)
    assert WorkdayCalendarYear.objects.get(year=2027).source == "文件 2027.csv"


def test_import_replaces_the_year_whole_and_accepts_a_spill_over_day():
    import_calendar(CALENDAR_2027)
    import_calendar("year,2027\n2026-12-31,holiday,元旦\n2027-01-01,holiday,元旦\n")
    assert list(SpecialDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [D(2027, 1, 1)]
    assert SpecialDay.objects.get(date=D(2026, 12, 31)).kind == SpecialDay.Kind.HOLIDAY
    assert calendar.is_year_loaded(2026)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("year,2027\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n", 3, "2027-02-30"),
        ("year,2027\n2027-01-01,holiday\n2027-02-08,off,春节\n", 3, "off"),
        ("year,2027\n\n# note\n2027-02-08\n", 4, "YYYY-MM-DD"),
        ("year,2027\n2027-02-10,workday,春节调休上班\n", 2, "周一至周五"),
        ("year,2027\n2027-01-01,holiday\n2027-01-01,holiday\n", 3, "重复"),
        ("year,2027\n2029-01-01,holiday\n", 2, "声明的年份"),
        ("year,27\n", 1, "year,YYYY"),
        ("2027/01/01,holiday\n", 1, "2027/01/01"),
    ],
)
def test_malformed_file_is_refused_whole_with_the_line(text, line, words):
    before = list(SpecialDay.objects.values_list("date", "kind", "name"))
    with pytest.raises(CalendarImportError) as error:
        import_calendar(text)
    assert error.value.line == line
    assert f"第 {line} 行" in str(error.value) and words in str(error.value)
    assert list(SpecialDay.objects.values_list("date", "kind", "name")) == before
    assert not WorkdayCalendarYear.objects.filter(year=2027).exists()


def test_a_file_without_a_year_line_is_refused():
    with pytest.raises(CalendarImportError, match="year,YYYY"):
        parse_calendar_file("2027-01-01,holiday,元旦\n")


def test_a_database_failure_leaves_nothing_half_imported(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(WorkdayCalendarYear.objects, "update_or_create", fail)
    with pytest.raises(RuntimeError):
        import_calendar(CALENDAR_2027)
    assert not SpecialDay.objects.filter(date__year=2027).exists()


def test_years_to_load_warns_from_november():
    assert calendar.years_to_load(D(2026, 10, 31)) == []
    assert calendar.years_to_load(D(2026, 11, 1)) == [2027]
    assert calendar.years_to_load(D(2027, 3, 1)) == [2027]
    import_calendar(CALENDAR_2027)
    assert calendar.years_to_load(D(2026, 12, 1)) == []
