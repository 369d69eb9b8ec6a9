"""`manage.py workdays` prints exactly what DESIGN.md §2 says."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from moderation import calendar
from moderation.models import SpecialDay, WorkdayCalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def workdays(*args):
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "start, n, printed",
    [
        ("2026-09-30", "1", "2026-10-08\n"),
        ("2026-09-30", "3", "2026-10-10\n"),
        ("2026-10-12", "-4", "2026-09-30\n"),
        ("2026-02-13", "1", "2026-02-14\n"),
        ("2026-10-03", "0", "2026-10-03\n"),
        ("2026-12-28", "3", "2026-12-31\n"),
        ("2026-12-28", "4", "2027-01-01 provisional\n"),
        ("2027-01-06", "-5", "2026-12-30 provisional\n"),
    ],
)
def test_add(start, n, printed):
    assert workdays("add", start, n) == printed


@pytest.mark.parametrize(
    "a, b, printed",
    [
        ("2026-09-30", "2026-10-12", "4\n"),
        ("2026-09-30", "2026-10-07", "0\n"),
        ("2026-10-12", "2026-09-30", "-4\n"),
        ("2026-02-06", "2026-03-12", "20\n"),
        ("2026-12-25", "2027-01-08", "10\n"),
    ],
)
def test_between(a, b, printed):
    assert workdays("between", a, b) == printed


def test_import_then_status(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("year,2027\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休上班\n", encoding="utf-8")
    assert "2027" in workdays("import", str(path))
    assert workdays("add", "2026-12-31", "1") == "2027-01-04\n"
    assert workdays("add", "2027-02-05", "1") == "2027-02-06\n"
    status = workdays("status").splitlines()
    assert status[0].startswith("2004")
    assert status[-1].startswith("2027") and "文件 2027.csv" in status[-1]
    assert any(line.startswith("2026  节假日 33 天  调休上班 6 天") for line in status)


def test_import_accepts_a_gb18030_file(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_bytes("year,2027\n2027-01-01,休,元旦\n".encode("gb18030"))
    workdays("import", str(path))
    assert SpecialDay.objects.get(date="2027-01-01").name == "元旦"


def test_malformed_import_is_refused_whole(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("year,2027\n2027-01-01,holiday,元旦\n2027-02-31,holiday,春节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 3 行"):
        workdays("import", str(path))
    assert not SpecialDay.objects.filter(date__year=2027).exists()
    assert not WorkdayCalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (("add", "2026-13-01", "3"), "2026-13-01"),
        (("add", "20261001", "3"), "YYYY-MM-DD"),
        (("add", "2026-10-01", "three"), "three"),
        (("between", "2026-10-01", "tomorrow"), "tomorrow"),
        (("import", "/nonexistent/2027.csv"), "找不到文件"),
        (("add", "9999-12-30", "10"), "日期范围"),
    ],
)
def test_bad_input_is_a_clear_error(args, words):
    with pytest.raises(CommandError, match=words):
        workdays(*args)


def test_bad_input_exits_non_zero():
    result = subprocess.run(
        [sys.executable, "manage.py", "workdays", "add", "2026-02-30", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "govportal.settings.test"},
    )
    assert result.returncode != 0
    assert "2026-02-30" in result.stderr
