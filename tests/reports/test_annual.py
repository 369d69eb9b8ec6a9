"""年报数据 for 2025: known policies, questions and the history fixture's publications, counted
as differences from the demo's own figures; the Excel export opened with openpyxl."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client
from wagtail.models import Page

from pages.models import PolicyPage, QuestionPage
from reports.annual import annual_figures
from reports.periods import year_period
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 28)


def figures():
    return {(f.section, f.label): f.value for f in annual_figures(year_period(2025, TODAY))}


def live_policy(column, department, title, written_on, published=True, **fields):
    policy = PolicyPage(
        title=title, department=department, issuing_authority="开平市民政局", written_on=written_on, **fields
    )
    column.add_child(instance=policy)
    if published:
        Page.objects.filter(pk=policy.pk).update(live=True, first_published_at=at(written_on))
    return policy


def test_table_two_columns_and_questions(demo, request):
    before = figures()
    request.getfixturevalue("history")  # A (2025-03-10) and C (2025-06-05, withdrawn) in 工作动态
    column, department = demo.columns["zhengce-fagui"], demo.departments["办公室"]
    live_policy(column, department, "P1 2025年制发 现行有效", D(2025, 3, 1))
    live_policy(
        column,
        department,
        "P2 2024年制发 2025年废止",
        D(2024, 5, 1),
        validity="abolished",
        abolished_on=D(2025, 6, 1),
    )
    live_policy(
        column,
        department,
        "P3 2025年制发 2025年9月失效",
        D(2025, 7, 1),
        validity="expired",
        valid_until=D(2025, 9, 30),
    )
    live_policy(column, department, "P4 未发布", D(2025, 12, 1), published=False)
    questions = demo.columns["hudong-jiaoliu"]
    for title, answered in (("2025年留言一", True), ("2025年留言二", False)):
        question = QuestionPage(
            title=title,
            question="请问…",
            department=department,
            asked_at=at(D(2025, 5, 6)),
            formed_on=D(2025, 5, 6),
        )
        questions.add_child(instance=question)
        if answered:
            Page.objects.filter(pk=question.pk).update(live=True, first_published_at=at(D(2025, 5, 12)))
    after = figures()
    table_two = "二、主动公开政府信息情况（行政规范性文件）"
    delta = {key: after[key] - before.get(key, 0) for key in after}
    assert delta[(table_two, "本年制发件数")] == 2  # P1, P3
    assert delta[(table_two, "本年废止件数")] == 2  # P2 by its date, P3 by its 有效期至
    assert delta[(table_two, "现行有效件数")] == 1  # P1
    assert delta[("网站各栏目本年发布信息数", "工作动态")] == 2  # history: A and the withdrawn C
    assert delta[("互动交流", "本年收到群众留言")] == 2
    assert delta[("互动交流", "其中已答复并公开")] == 1


def test_export_and_bad_year(login, demo):
    client = login("head_office", client=Client())
    response = client.get("/admin/reports/annual/?year=2025&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("部分", "项目", "数量")
    assert {r[1] for r in rows} >= {
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "工作动态",
        "本年收到群众留言",
    }
    assert all(isinstance(r[2], int) for r in rows[1:])
    bad = client.get("/admin/reports/annual/?year=二〇二五")
    assert bad.status_code == 200 and "年度须为四位数字" in bad.content.decode()
    assert login("head_jiuzhu", client=Client()).get("/admin/reports/annual/").status_code == 403
