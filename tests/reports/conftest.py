"""A department with a hand-counted history across 2025 and 2026, walked through the real chain
and then dated to known days (the official 2026 calendar has 清明 on 4/4–4/6)."""

import datetime
import types

import pytest
from django.utils import timezone
from wagtail.models import WorkflowState

from moderation.chain import ChainTaskState
from moderation.demo_chain import advance, send_back, submit
from moderation.desk import StepRecord, SubmissionRecord, record_step
from moderation.models import Department
from pages.models import NewsPage


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


D = datetime.date


def date_record(page, created, submitted=None, published=None, on_time=None):
    SubmissionRecord.objects.filter(page_id=page.pk).update(
        created_at=at(created),
        submitted_at=at(submitted) if submitted else None,
        published_at=at(published) if published else None,
        **({} if on_time is None else {"on_time": on_time}),
    )


def date_steps(page, spans):
    """Give the page's chain task states, in order, the (start, finish) days in ``spans``, and
    recompute their step records as the chain would have."""
    states = list(
        ChainTaskState.objects.filter(workflow_state__in=WorkflowState.objects.for_instance(page))
        .exclude(finished_at=None)
        .order_by("pk")
    )
    assert len(states) == len(spans), (page.title, len(states))
    for state, (start, finish) in zip(states, spans, strict=True):
        ChainTaskState.objects.filter(pk=state.pk).update(started_at=at(start, 9), finished_at=at(finish, 16))
        state.refresh_from_db()
        record_step(state, StepRecord.objects.get(task_state_id=state.pk).outcome)


@pytest.fixture
def history(demo):
    """统计测试股 (hand count in the test module's docstring)."""
    users = demo.users
    author = users["staff_shiwu"]
    department = Department.objects.create(
        name="统计测试股", supervising_leader=users["deputy_a"], sort_order=998
    )
    department.heads.set([users["head_office"]])
    department.staff.set([author])
    column = demo.columns["gongzuo-dongtai"]
    column.departments.add(department)

    def item(title):
        page = NewsPage(title=title, department=department, owner=author, formed_on=D(2025, 1, 2))
        column.add_child(instance=page)
        page.save_revision(user=author)
        return page

    def published(title):
        page = item(title)
        submit(page, author)
        advance(page, 5)
        return page

    a = published("A 2025年3月按时发布")
    date_record(a, D(2025, 3, 2), D(2025, 3, 3), D(2025, 3, 10), on_time=True)
    date_steps(a, [(D(2025, 3, 3), D(2025, 3, 10))] * 5)

    b = published("B 2025年报送 2026年超期发布")
    date_record(b, D(2025, 12, 20), D(2025, 12, 22), D(2026, 1, 5), on_time=False)
    date_steps(b, [(D(2026, 1, 5), D(2026, 1, 5))] * 5)

    c = published("C 2025年发布 后撤回")
    date_record(c, D(2025, 6, 1), D(2025, 6, 2), D(2025, 6, 5), on_time=True)
    date_steps(c, [(D(2025, 6, 5), D(2025, 6, 5))] * 5)
    c.refresh_from_db()
    c.unpublish()  # withdrawn (撤回): the page and its record stay

    d = item("D 2026年草稿")
    date_record(d, D(2026, 2, 1))

    e = item("E 2026年退回")
    submit(e, author)
    send_back(e, "请补充数据")
    date_record(e, D(2026, 3, 1), D(2026, 3, 2))
    date_steps(e, [(D(2026, 3, 2), D(2026, 3, 4))])  # Mon → Wed: 2 working days

    f = item("F 2026年退回后采用")
    submit(f, author)
    advance(f, 1)
    send_back(f, "请核对标题")
    WorkflowState.objects.for_instance(f).get(status=WorkflowState.STATUS_NEEDS_CHANGES).resume(user=author)
    advance(f, 4)
    date_record(f, D(2026, 3, 25), D(2026, 4, 1), D(2026, 4, 10), on_time=True)
    date_steps(
        f,
        [
            (D(2026, 4, 1), D(2026, 4, 7)),  # Wed → Tue over 清明 (4/4–4/6 off): 3 working days
            (D(2026, 4, 7), D(2026, 4, 8)),  # sent back: 1
            (D(2026, 4, 8), D(2026, 4, 9)),  # resumed at step 2: 1
            (D(2026, 4, 9), D(2026, 4, 10)),
            (D(2026, 4, 10), D(2026, 4, 10)),
            (D(2026, 4, 10), D(2026, 4, 10)),
        ],
    )
    return types.SimpleNamespace(department=department, pages=dict(a=a, b=b, c=c, d=d, e=e, f=f))
