"""Statistics of any period against the hand-counted history of conftest.history:

2025: A drafted 3/2, submitted 3/3, published 3/10 on time (each step 3/3 → 3/10: 5 working days);
      B drafted 12/20, submitted 12/22, published late on 2026-01-05 (in review at the end of 2025);
      C published 6/5 on time, withdrawn later (counts in 2025, as published and withdrawn).
2026: B published late; D a draft; E submitted 3/2 and sent back at step 1 after 2 working days;
      F submitted 4/1, step 1 took 3 working days over 清明, sent back at step 2, resumed,
      published 4/10 on time.
"""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from moderation.models import Department
from reports.periods import PeriodForm, custom_period, year_period
from reports.statistics import DepartmentStatistics, department_statistics, rank

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def row_for(period, department):
    rows = department_statistics(period, Department.objects.all())
    return next(r for r in rows if r.department == department)


def counts(row):
    names = ["drafted", "submitted", "published", "on_time", "withdrawn", "in_review", "returned"]
    return {name: getattr(row, name) for name in names}


def test_past_year_counts_the_withdrawn_item_where_it_was_published(history):
    row = row_for(year_period(2025, TODAY), history.department)
    assert counts(row) == {
        "drafted": 3,
        "submitted": 3,
        "published": 2,
        "on_time": 2,
        "withdrawn": 1,
        "in_review": 1,
        "returned": 0,
    }
    assert row.on_time_percent == "100.0%"
    # A's five steps took 5 working days each, C's none.
    assert row.step_cells == ["2.5"] * 5


def test_this_year_counts_and_step_averages(history):
    row = row_for(year_period(2026, TODAY), history.department)
    assert counts(row) == {
        "drafted": 3,
        "submitted": 2,
        "published": 2,
        "on_time": 1,
        "withdrawn": 0,
        "in_review": 0,
        "returned": 2,
    }
    assert row.on_time_percent == "50.0%"
    # Step 1: B 0, E 2, F 3 → 1.7; step 2: B 0, F 1 (sent back), F 1 → 0.7; step 3: B 0, F 1.
    assert row.step_cells == ["1.7", "0.7", "0.5", "0.0", "0.0"]
    assert row.bottleneck == "保密审查及科室初审"


def test_custom_range(history):
    row = row_for(custom_period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)), history.department)
    assert counts(row) == {
        "drafted": 0,
        "submitted": 1,
        "published": 1,
        "on_time": 1,
        "withdrawn": 0,
        "in_review": 0,
        "returned": 1,
    }


def test_ranking_puts_more_publications_first_then_on_time_rate_and_shares_ties():
    def row(name, published, on_time, returned=0):
        return DepartmentStatistics(
            department=Department(name=name, sort_order=1),
            published=published,
            on_time=on_time,
            returned=returned,
        )

    rows = rank(
        [
            row("甲", 3, 1),
            row("乙", 5, 5),
            row("丙", 3, 3),
            row("丁", 3, 3),
            row("戊", 3, 3, returned=2),
            row("己", 0, 0),
        ]
    )
    assert [(r.rank, r.department.name) for r in rows] == [
        (1, "乙"),
        (2, "丙"),
        (2, "丁"),
        (4, "戊"),
        (5, "甲"),
        (6, "己"),
    ]


def test_period_form_defaults_and_errors():
    assert PeriodForm(None, today=TODAY).chosen_period().first == datetime.date(2026, 11, 1)
    assert PeriodForm({"period": "quarter"}, today=TODAY).chosen_period().first == datetime.date(2026, 10, 1)
    form = PeriodForm({"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}, today=TODAY)
    assert not form.is_valid() and form.errors["end"] == ["结束日期不能早于开始日期。"]
    form = PeriodForm({"period": "year", "year": "abc"}, today=TODAY)
    assert not form.is_valid() and "年度须为四位数字" in form.errors["year"][0]
    form = PeriodForm({"period": "year", "year": "2031"}, today=TODAY)
    assert not form.is_valid() and "年度应在" in form.errors["year"][0]
    form = PeriodForm({"period": "custom", "start": "2026-05-01"}, today=TODAY)
    assert not form.is_valid() and "同时填写" in form.non_field_errors()[0]


def test_screen_shows_a_past_year_and_exports_it(login, history):
    client = login("head_office", client=Client())
    response = client.get("/admin/reports/statistics/?period=year&year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2025年" in html and "统计测试股" in html
    xlsx = client.get("/admin/reports/statistics/?period=year&year=2025&export=xlsx")
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("排名", "部门", "拟稿", "报送", "采用（发布）", "按时发布", "按时发布率")
    mine = next(r for r in rows if r[1] == "统计测试股")
    assert mine[2:10] == (3, 3, 2, 2, "100.0%", 0, 1, 1)
    csv = b"".join(
        client.get("/admin/reports/statistics/?period=year&year=2025&export=csv").streaming_content
    )
    assert csv.startswith("\ufeff".encode())  # Excel reads the Chinese headings as UTF-8
    assert "统计测试股,3,3,2,2,100.0%,0,1,1" in csv.decode()


def test_bad_periods_answer_with_chinese_messages(login, history):
    client = login("head_office", client=Client())
    response = client.get("/admin/reports/statistics/?period=custom&start=2026-05-01&end=2026-04-01")
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in response.content.decode()
    response = client.get("/admin/reports/statistics/?period=year&year=2010")
    assert response.status_code == 200
    assert "2010年暂无报送记录" in response.content.decode()


def test_only_people_with_a_role_see_statistics(login, demo):
    outsider = get_user_model().objects.create_user(
        username="outsider", password=demo.password, must_change_password=False
    )
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(outsider)
    response = client.get("/admin/reports/statistics/")
    assert response.status_code == 403
    assert "报送统计" not in client.get("/admin/").content.decode()
    staff = login("staff_jiuzhu", client=Client())
    assert staff.get("/admin/reports/statistics/").status_code == 200
