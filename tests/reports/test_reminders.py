"""Reminders: sent once (e-mail + admin notice), recorded; escalation to the Office when overdue."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from moderation.notifications import AdminNotification
from pages.models import DisclosurePage
from reports.models import Reminder
from reports.reminders import deadline_reminders, freshness_reminders

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def draft(demo):
    """A disclosure draft of staff_jiuzhu formed on 2026-09-22: 20 working days → due
    2026-10-27 (Mid-autumn 9/25 and National Day 10/1–10/7 off; Sat 10/10 a make-up day)."""
    users = demo.users
    page = DisclosurePage(
        title="提醒测试稿件",
        department=demo.departments["社会救助股"],
        owner=users["staff_jiuzhu"],
        formed_on=D(2026, 9, 22),
    )
    demo.columns["anquan-shengchan"].add_child(instance=page)
    page.save_revision(user=users["staff_jiuzhu"])
    return page


def mails_about(title):
    return [m for m in mail.outbox if title in m.subject]


def test_deadline_reminder_once_then_escalation_once(draft, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminders(today=D(2026, 10, 21))  # 4 working days left: not yet
    assert not mails_about("提醒测试稿件")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminders(today=D(2026, 10, 22))  # 3 working days left
        deadline_reminders(today=D(2026, 10, 23))  # still near: the same reminder, not again
    (soon,) = mails_about("提醒测试稿件")
    assert "发布时限临近" in soon.subject and soon.to == [demo.users["staff_jiuzhu"].email]
    assert (
        AdminNotification.objects.filter(
            user=demo.users["staff_jiuzhu"], message__contains="提醒测试稿件"
        ).count()
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminders(today=D(2026, 10, 28))
        deadline_reminders(today=D(2026, 10, 29))
    overdue = [m for m in mails_about("提醒测试稿件") if "已超过发布时限" in m.subject]
    assert len(overdue) == 1
    assert demo.users["operator"].email in overdue[0].to
    assert demo.users["head_office"].email in overdue[0].to
    kinds = set(Reminder.objects.filter(key__startswith=f"{draft.pk}:").values_list("kind", flat=True))
    assert kinds == {Reminder.Kind.DEADLINE_SOON, Reminder.Kind.DEADLINE_OVERDUE}


def test_freshness_warnings_once_each(demo, django_capture_on_commit_callbacks):
    day = D(2027, 1, 1)  # far enough for the demo's columns to need attention
    with django_capture_on_commit_callbacks(execute=True):
        first = freshness_reminders(today=day)
    assert first > 0
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert freshness_reminders(today=day) == 0
    assert len(mail.outbox) == sent
    assert Reminder.objects.filter(kind=Reminder.Kind.FRESHNESS).count() == first


def test_command_reports_what_it_sent(demo, capsys):
    call_command("send_reminders")
    assert "栏目更新预警" in capsys.readouterr().out
