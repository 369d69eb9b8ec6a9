"""The review page and the 审批单 number versions per item."""

import pytest

from tests.helpers import current_task_state
from tests.moderation.test_chain import _client, _submit

pytestmark = pytest.mark.django_db


def test_a_new_items_first_submitted_version_is_version_one(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "版本编号测试")
    task_state = current_task_state(page)
    assert task_state.revision_id > 1  # the database id counts every page's revisions
    html = _client(login, "head_jiuzhu").get(f"/admin/review/{task_state.pk}/").content.decode()
    assert "报送内容（第 1 版）" in html
    assert f"第 {task_state.revision_id} 号版本" not in html
