"""Each deadline rule of RULES §4 on the 2026 official calendar."""

import datetime

import pytest
from django.utils import timezone

from moderation import calendar
from moderation.deadlines import Urgency, deadline_for, due_date, published_on_time, timeliness
from pages.models import AnnualReportPage, ColumnPage, DisclosurePage, NewsPage, NoticePage, QuestionPage

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


class Columns:
    """Unsaved columns, passed as ``column=`` the way a listing does."""

    @property
    def ordinary(self):
        return ColumnPage(title="工作动态", kind="news")

    @property
    def strict(self):
        return ColumnPage(title="社会救助和社会福利", kind="disclosure", deadline_working_days=10)


columns = Columns()


def disclosure(formed_on):
    """An ordinary proactively disclosed item (20 working days from its formation)."""
    return DisclosurePage(title="公开信息", formed_on=formed_on)


def notice(kind, event_date, formed_on=None):
    return NoticePage(
        title="通知", notice_kind=kind, event_date=event_date, formed_on=formed_on or event_date
    )


def test_twenty_working_days_from_formation():
    # Formed Fri 6 Feb 2026, across the Spring Festival and two make-up Saturdays.
    due, provisional, rule = due_date(disclosure(D(2026, 2, 6)), column=columns.ordinary)
    assert (due, provisional) == (D(2026, 3, 12), False)
    assert "20 个工作日" in rule


def test_column_with_a_stricter_limit():
    # Formed Wed 23 Sep: 24, 28, 29, 30 Sep, 8, 9, 10 (Sat, make-up), 12, 13, 14 Oct.
    due, provisional, rule = due_date(disclosure(D(2026, 9, 23)), column=columns.strict)
    assert (due, provisional) == (D(2026, 10, 14), False)
    assert "10 个工作日" in rule


def test_a_looser_column_limit_never_loosens_the_law():
    loose = ColumnPage(title="x", kind="news", deadline_working_days=30)
    assert due_date(disclosure(D(2026, 2, 6)), column=loose)[0] == D(2026, 3, 12)


def test_column_found_from_the_tree(demo):
    column = demo.columns["shehui-jiuzhu"]
    item = DisclosurePage.objects.child_of(column).first()
    if item is None:
        pytest.skip("the demo has no item in this column")
    item.formed_on = D(2026, 9, 23)
    assert due_date(item)[0] == D(2026, 10, 14)


def test_result_notice_three_working_days_after_the_event():
    # Event Wed 30 Sep: 8, 9, 10 Oct (Sat 10 Oct is a make-up working day).
    due, provisional, rule = due_date(notice("result", D(2026, 9, 30)), column=columns.ordinary)
    assert (due, provisional) == (D(2026, 10, 10), False)
    assert rule.startswith("结果类")


def test_preview_notice_at_least_three_working_days_before_the_event():
    # Event Mon 12 Oct: publish by Thu 8 Oct (Sat 10, Fri 9 and Thu 8 are the three).
    due, provisional, rule = due_date(notice("preview", D(2026, 10, 12), formed_on=D(2026, 9, 1)))
    assert (due, provisional) == (D(2026, 10, 8), False)
    assert rule.startswith("预告类")


def test_deadline_in_unloaded_2027_is_provisional():
    # Formed Sun 20 Dec: Dec 21–25, 28–31 (9), then 2027 by the weekday rule: Jan 1, 4–8, 11–15.
    deadline = deadline_for(disclosure(D(2026, 12, 20)), today=D(2026, 12, 21), column=columns.ordinary)
    assert deadline.due == D(2027, 1, 15)
    assert deadline.provisional
    assert "暂按周一至周五推算" in deadline.label


@pytest.mark.parametrize(
    "today, urgency, left, words",
    [
        (D(2026, 9, 1), Urgency.OK, 27, "剩余 27 个工作日"),
        (D(2026, 10, 8), Urgency.OK, 5, "剩余 5 个工作日"),
        (D(2026, 10, 10), Urgency.SOON, 3, "剩余 3 个工作日"),
        (D(2026, 10, 13), Urgency.SOON, 1, "剩余 1 个工作日"),
        (D(2026, 10, 14), Urgency.TODAY, 0, "今天到期"),
        (D(2026, 10, 16), Urgency.OVERDUE, -2, "已超期 2 个工作日"),
        (D(2026, 10, 18), Urgency.OVERDUE, -2, "已超期 2 个工作日"),
        (D(2026, 10, 19), Urgency.OVERDUE, -3, "已超期 3 个工作日"),
    ],
)
def test_urgency_and_label(today, urgency, left, words):
    deadline = deadline_for(disclosure(D(2026, 9, 23)), today=today, column=columns.strict)
    assert (deadline.urgency, deadline.working_days_left) == (urgency, left)
    assert deadline.label.startswith(words)
    assert "2026-10-14" in deadline.label
    assert not deadline.provisional


def test_overdue_on_the_weekend_right_after_the_due_day():
    # Formed Mon 28 Sep, due Fri 16 Oct; on Sat 17 Oct no working day has passed since, but
    # the deadline has.
    deadline = deadline_for(disclosure(D(2026, 9, 28)), today=D(2026, 10, 17), column=columns.strict)
    assert deadline.due == D(2026, 10, 16)
    assert deadline.urgency == Urgency.OVERDUE
    assert deadline.label.startswith("已超期（")


def test_publication_on_the_due_day_is_on_time():
    item = notice("result", D(2026, 9, 30))
    tz = timezone.get_current_timezone()
    # 23:30 Beijing time on the due day is still on time, although it is 15:30 UTC.
    on_due_day = datetime.datetime(2026, 10, 10, 23, 30, tzinfo=tz)
    assert published_on_time(item, on_due_day, column=columns.ordinary)
    late = timeliness(item, datetime.datetime(2026, 10, 13, 9, 0, tzinfo=tz), column=columns.ordinary)
    assert not late.on_time
    assert (late.due, late.published_on, late.working_days_late) == (D(2026, 10, 10), D(2026, 10, 13), 2)
    assert timeliness(item, on_due_day, column=columns.ordinary).working_days_late == 0


def test_listings_show_a_published_items_outcome_not_a_running_clock(login, demo):
    from moderation.desk import SubmissionRecord

    staff = login("staff_jiuzhu")
    mine = staff.get("/admin/review/mine/").content.decode()
    desk = staff.get("/admin/desk/").content.decode()
    published = SubmissionRecord.objects.filter(
        state=SubmissionRecord.State.PUBLISHED,
        department=demo.departments["社会救助股"],
        page__has_unpublished_changes=False,
    ).select_related("page")
    record = next(r for r in published if f">{r.page.title}</a>" in mine and f">{r.page.title}</a>" in desk)
    expected = "按时发布" if record.on_time else f"超期 {record.days_late} 个工作日发布"
    for html in (mine, desk):
        row = html.split(f">{record.page.title}</a>", 1)[1].split("</tr>", 1)[0]
        assert expected in row
        assert "剩余" not in row and "已超期" not in row


# --- Time-sensitive work updates, questions, the annual report (issue 12) -----------------------


def work_update(kind, event_date, formed_on=None):
    return NewsPage(
        title="工作动态", notice_kind=kind, event_date=event_date, formed_on=formed_on or event_date
    )


def test_result_work_update_three_working_days_after_the_event_over_the_spring_festival():
    # Event Fri 13 Feb: Sat 14 Feb is a make-up working day, 15–23 Feb off, then 24 and 25 Feb.
    due, provisional, rule = due_date(work_update("result", D(2026, 2, 13)), column=columns.ordinary)
    assert (due, provisional) == (D(2026, 2, 25), False)
    assert rule.startswith("结果类")


def test_preview_work_update_three_working_days_before_the_event():
    # Event Mon 12 Oct: Sat 10 Oct (make-up), Fri 9 and Thu 8 Oct are the three before it.
    item = work_update("preview", D(2026, 10, 12), formed_on=D(2026, 9, 1))
    due, provisional, rule = due_date(item, column=columns.ordinary)
    assert (due, provisional) == (D(2026, 10, 8), False)
    assert rule.startswith("预告类")
    assert published_on_time(
        item, timezone.make_aware(datetime.datetime(2026, 10, 8, 17)), column=columns.ordinary
    )
    assert not published_on_time(
        item, timezone.make_aware(datetime.datetime(2026, 10, 9, 9)), column=columns.ordinary
    )


def test_a_work_update_without_an_event_date_counts_from_its_formation():
    item = NewsPage(title="旧动态", formed_on=D(2026, 2, 13))
    assert due_date(item, column=columns.ordinary)[0] == D(2026, 2, 25)


def test_question_reply_deadline_from_receipt(settings):
    # Received Fri 18 Sep: Sun 20 Sep is a make-up working day, 25 Sep and 1–7 Oct are off.
    question = QuestionPage(
        title="留言",
        question="?",
        formed_on=D(2026, 9, 18),
        asked_at=timezone.make_aware(datetime.datetime(2026, 9, 18, 20)),
    )
    due, provisional, rule = due_date(question, column=columns.ordinary)
    assert (due, provisional) == (D(2026, 10, 9), False)
    assert "10 个工作日" in rule
    settings.GOVPORTAL_QUESTION_REPLY_WORKING_DAYS = 5
    assert due_date(question, column=columns.ordinary)[0] == D(2026, 9, 24)


def test_annual_report_due_on_31_january_and_late_after():
    report = AnnualReportPage(title="2025年年报", year=2025, formed_on=D(2026, 1, 10))
    due, provisional, rule = due_date(report, column=columns.ordinary)
    assert due == D(2026, 1, 31) and "1月31日" in rule
    on_the_day = timezone.make_aware(datetime.datetime(2026, 1, 31, 18))
    in_february = timezone.make_aware(datetime.datetime(2026, 2, 2, 9))
    assert timeliness(report, on_the_day, column=columns.ordinary).on_time
    assert not timeliness(report, in_february, column=columns.ordinary).on_time
