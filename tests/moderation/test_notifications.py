"""Dashboard notices (消息提醒) say only what still needs doing."""

import pytest

from moderation.notifications import AdminNotification
from tests.helpers import approve, current_task_state
from tests.moderation.test_chain import _client, _submit

pytestmark = pytest.mark.django_db


def _notice_panel(client):
    return client.get("/admin/").content.decode().split("消息提醒")[-1].split("</section>")[0]


def test_a_waiting_notice_goes_once_the_step_is_done(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "消息随环节结束")
    head = _client(login, "head_jiuzhu")
    assert "消息随环节结束" in _notice_panel(head)

    approve(head, current_task_state(page))

    assert "消息随环节结束" not in _notice_panel(head)
    assert not AdminNotification.objects.filter(
        user=demo.users["head_jiuzhu"], message__contains="消息随环节结束", read_at__isnull=True
    ).exists()
    # The next approver's notice is there, and agrees with the queue count.
    deputy = _client(login, "deputy_a")
    assert "消息随环节结束" in _notice_panel(deputy)
