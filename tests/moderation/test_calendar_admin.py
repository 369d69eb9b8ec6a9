"""The calendar in the admin: holidays and loaded years under 组织机构, and the dashboard
warning from 1 November while next year's schedule is missing."""

import datetime
import re

import pytest
from django.urls import reverse

from moderation import calendar, calendar_hooks
from moderation.models import SpecialDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def on_day(monkeypatch):
    real_localdate = calendar_hooks.timezone.localdate

    def _set(day):
        # Only "today" moves; converting a given datetime (other dashboard panels) still works.
        def localdate(value=None, timezone=None):
            return day if value is None else real_localdate(value, timezone)

        monkeypatch.setattr(calendar_hooks.timezone, "localdate", localdate)

    return _set


def test_special_days_listed_by_year_in_chinese(login):
    client = login("admin")
    response = client.get("/admin/special_days/", {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "国庆节" in html and "调休上班" in html and "星期六" in html
    assert "2025" not in html.split("<tbody")[-1].split("</tbody>")[0]


def test_loaded_years_with_counts(login):
    response = login("admin").get(reverse("workday_years:index"))
    assert response.status_code == 200
    row = re.search(r">\s*2026\s*</a>.*?</tr>", response.content.decode(), re.S).group()
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:3] == ["33", "6", "chinese_calendar 1.11.0"]


def test_a_make_up_day_must_fall_on_a_weekend(login):
    client = login("admin")
    response = client.post(
        reverse("special_days:add"), {"date": "2027-02-10", "kind": "workday", "name": "春节调休上班"}
    )
    assert response.status_code == 200
    assert "周六或周日" in response.content.decode()
    assert not SpecialDay.objects.filter(date=datetime.date(2027, 2, 10)).exists()
    response = client.post(
        reverse("special_days:add"), {"date": "2027-02-06", "kind": "workday", "name": "春节调休上班"}
    )
    assert response.status_code == 302
    assert calendar.is_working_day(datetime.date(2027, 2, 6))


def test_calendar_is_the_administrators(login):
    client = login("staff_jiuzhu")
    assert client.get("/admin/special_days/").status_code in (302, 403)
    assert client.get("/admin/workday_years/").status_code in (302, 403)


def test_dashboard_warns_from_november(login, on_day):
    client = login("admin")
    on_day(datetime.date(2026, 10, 31))
    assert "尚未载入" not in client.get("/admin/").content.decode()
    on_day(datetime.date(2026, 11, 1))
    html = client.get("/admin/").content.decode()
    assert "2027年法定节假日安排尚未载入" in html
    assert "workdays import" in html


def test_dashboard_warning_only_for_administrators(login, on_day):
    on_day(datetime.date(2026, 11, 20))
    assert "尚未载入" not in login("staff_jiuzhu").get("/admin/").content.decode()


def _organisation_menu_labels(rf, user):
    from wagtail.admin.menu import admin_menu

    request = rf.get("/admin/")
    request.user = user
    group = next(
        (item for item in admin_menu.menu_items_for_request(request) if item.label == "组织机构"), None
    )
    return [item.label for item in group.menu.menu_items_for_request(request)] if group else []


def test_in_the_organisation_menu_for_administrators(rf, demo):
    assert {"节假日与调休", "年度工作日安排"} <= set(_organisation_menu_labels(rf, demo.users["admin"]))
    assert "节假日与调休" not in _organisation_menu_labels(rf, demo.users["staff_jiuzhu"])
