"""Helpers for tests that act through the real admin forms (like cfpb's save_new_page)."""

import itertools
import re

from django.core import signing
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from govportal.api.questions import CHALLENGE_ALPHABET, CHALLENGE_LENGTH, CHALLENGE_SALT, _answer_mac
from moderation.chain import ChainTaskState


def news_form_data(department, title="测试信息：民政工作动态", **extra):
    data = {
        "title": title,
        "slug": "",
        "source": "开平市民政局",
        "author_byline": "",
        "department": str(department.pk),
        "formed_on": "2026-11-20",
        "notice_kind": "result",
        "event_date": "2026-11-20",
        "topic": "general",
        "disclosure_method": "proactive",
        "summary": "",
        "body": rich_text("<p>长沙街道开展社会救助政策宣传活动，发放宣传资料300份。</p>"),
        "attachments": streamfield([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        # The author's confidentiality review (保密审查), needed to submit.
        "review_verified": "on",
        "review_no_secrets": "on",
        "review_no_personal": "on",
    }
    data.update(extra)
    return nested_form_data(data)


def create_item(client, column, department, action="action-submit", **extra):
    """Create a NewsPage through the admin add form; returns the response."""
    data = news_form_data(department, **extra)
    if action:
        data[action] = "1"
    return client.post(f"/admin/pages/add/pages/newspage/{column.pk}/", data)


def current_task_state(page):
    workflow_state = WorkflowState.objects.for_instance(page).active().first()
    if workflow_state is None or workflow_state.current_task_state_id is None:
        return None
    return ChainTaskState.objects.get(pk=workflow_state.current_task_state_id)


def approve(client, task_state, comment="同意", confirm=True):
    data = {"action": "approve", "approve-comment": comment}
    if confirm:
        data["approve-confidentiality_confirmed"] = "on"
    return client.post(f"/admin/review/{task_state.pk}/", data)


def send_back(client, task_state, comment):
    return client.post(f"/admin/review/{task_state.pk}/", {"action": "reject", "reject-comment": comment})


def messages_text(response):
    return " ".join(re.findall(r"[\u4e00-\u9fff“”，。：（）]+", response.content.decode()))


def solve_challenge(token):
    """The digits of a question-intake challenge, found as only a holder of the CMS's
    SECRET_KEY can: by trying every answer against the token's HMAC (32,768 tries)."""
    payload = signing.loads(token, salt=CHALLENGE_SALT)
    for digits in itertools.product(CHALLENGE_ALPHABET, repeat=CHALLENGE_LENGTH):
        answer = "".join(digits)
        if _answer_mac(payload["n"], answer) == payload["h"]:
            return answer
    raise AssertionError("no answer matches the challenge token")
