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


def test_review_shows_the_topics_name_and_yes_no_never_codes(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "主题分类显示测试")
    html = _client(login, "head_jiuzhu").get(f"/admin/review/{current_task_state(page).pk}/").content.decode()
    assert '<dt>主题分类</dt><dd class="">民政综合</dd>' in html
    assert '<dt>转载</dt><dd class="">否</dd>' in html
    assert ">general<" not in html and ">False<" not in html


def test_a_topic_change_at_step_five_is_shown_by_name(login, demo):
    from tests.helpers import news_form_data
    from tests.moderation.test_chain import _to_step_five

    page = _to_step_five(login, demo, "主题分类差异测试")
    operator = _client(login, "operator")
    data = news_form_data(demo.departments["社会救助股"], title="主题分类差异测试", topic="assistance")
    assert operator.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    html = operator.get(f"/admin/review/{current_task_state(page).pk}/").content.decode()
    assert '<span class="deletion">民政综合</span><span class="addition">社会救助</span>' in html
