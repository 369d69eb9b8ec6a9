"""年底总评: the score formula, the hand-counted history (conftest.history), the Excel export
opened with openpyxl, the printable page, and the Office's weights with bad input."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from moderation.models import Department
from reports.assessment import assess
from reports.models import AssessmentWeights
from reports.periods import year_period
from reports.statistics import DepartmentStatistics

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def test_score_formula_with_default_and_edited_weights():
    figures = DepartmentStatistics(department=None, published=10, on_time=8, returned=3, withdrawn=1)
    weights = AssessmentWeights()
    # 10 × 1 + 0.8 × 30 − 3 × 0.5 − 2 late × 1 − 1 × 0.5
    assert weights.score(figures) == Decimal("30.00")
    weights.per_publication, weights.on_time_rate, weights.per_late = (
        Decimal("2"),
        Decimal("50"),
        Decimal("0"),
    )
    assert weights.score(figures) == Decimal("58.00")  # 20 + 40 − 1.5 − 0 − 0.5
    nothing = DepartmentStatistics(department=None, returned=4)
    assert weights.score(nothing) == Decimal("0.00")  # never below zero


def row_of(rows, department):
    return next(r for r in rows if r.department == department)


def test_assessment_of_a_past_year_and_this_year(history):
    weights = AssessmentWeights()
    past = row_of(assess(year_period(2025, TODAY), Department.objects.all(), weights), history.department)
    # 2 published × 1 + 100% × 30 − withdrawn 1 × 0.5
    assert past.score == Decimal("31.50")
    assert past.monthly == [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    current = row_of(assess(year_period(2026, TODAY), Department.objects.all(), weights), history.department)
    # 2 × 1 + 50% × 30 − 2 returns × 0.5 − 1 late × 1
    assert current.score == Decimal("15.00")
    assert current.monthly == [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]


def test_ranking_follows_the_score():
    rows = assess(year_period(2010, TODAY), Department.objects.all(), AssessmentWeights())
    assert all(row.score == 0 and row.rank == 1 for row in rows)


def test_screen_chart_print_and_excel(login, history):
    client = login("head_office", client=Client())
    html = client.get("/admin/reports/assessment/?year=2025").content.decode()
    assert "统计测试股" in html and "<svg" in html and "2025年各部门每月发布数量" in html
    assert "<script src=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    printed = client.get("/admin/reports/assessment/print/?year=2025").content.decode()
    assert "2025年度网站信息报送年底总评" in printed and "31.50" in printed
    assert "<script" not in printed
    response = client.get("/admin/reports/assessment/?year=2025&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "部门", "总评得分", "拟稿")
    mine = next(r for r in rows if r[1] == "统计测试股")
    assert Decimal(str(mine[2])) == Decimal("31.50")
    assert mine[3:11] == (3, 3, 2, 2, "100.0%", 0, 1, 1)
    assert mine[-12:] == (0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0)
    csv = b"".join(client.get("/admin/reports/assessment/?year=2025&export=csv").streaming_content).decode()
    assert "统计测试股,31.50,3,3,2,2,100.0%,0,1,1" in csv


def test_empty_and_bad_years(login, demo):
    client = login("head_office", client=Client())
    response = client.get("/admin/reports/assessment/?year=2012")
    assert response.status_code == 200 and "2012年暂无报送记录" in response.content.decode()
    response = client.get("/admin/reports/assessment/?year=明年")
    assert response.status_code == 200 and "年度须为四位数字" in response.content.decode()


def test_office_edits_weights_and_bad_input_is_refused(login, history):
    office = login("head_office", client=Client())
    response = office.post(
        "/admin/reports/weights/",
        {
            "per_publication": "两分",
            "on_time_rate": "-3",
            "per_return": "1",
            "per_late": "1",
            "per_withdrawal": "1",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请输入数字" in text and "不能为负数" in text
    assert AssessmentWeights.load().per_return == Decimal("0.50")  # nothing half-saved
    response = office.post(
        "/admin/reports/weights/",
        {
            "per_publication": "2",
            "on_time_rate": "40",
            "per_return": "1",
            "per_late": "0",
            "per_withdrawal": "0",
        },
    )
    assert response.status_code == 302
    html = office.get("/admin/reports/assessment/?year=2025").content.decode()
    assert "44.00" in html  # 2 × 2 + 100% × 40


def test_only_the_office_leaders_and_administrator_see_the_assessment(login, demo):
    assert login("staff_jiuzhu", client=Client()).get("/admin/reports/assessment/").status_code == 403
    head = login("head_jiuzhu", client=Client())
    assert head.get("/admin/reports/weights/").status_code == 403
    assert "年底总评" not in head.get("/admin/").content.decode()
    for username in ("director", "deputy_a", "operator", "admin"):
        assert login(username, client=Client()).get("/admin/reports/assessment/").status_code == 200
    assert login("director", client=Client()).get("/admin/reports/weights/").status_code == 403
