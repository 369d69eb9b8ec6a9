"""The public question intake: challenge, validation, rate limit, draft creation, status."""

import re

import pytest
from django.utils import timezone

from govportal.api import questions
from pages.models import ColumnKind, QuestionPage
from tests.helpers import solve_challenge

from .conftest import publish


def solve(client):
    challenge = client.get("/api/v2/questions/challenge/").json()
    return challenge["token"], solve_challenge(challenge["token"])


def ask(client, demo, extra=None, **overrides):
    token, answer = solve(client)
    data = {
        "department": demo.departments["社会救助股"].pk,
        "title": "咨询临时救助申请条件",
        "body": "请问家里突发重病，生活困难，可以申请临时救助吗？需要什么材料？",
        "name": "张女士",
        "contact": "13912345678",
        "challenge_token": token,
        "challenge_answer": answer,
    }
    data.update(overrides)
    return client.post("/api/v2/questions/", data, content_type="application/json", **(extra or {}))


def test_question_becomes_an_unpublished_draft(client, demo):
    response = ask(client, demo)
    assert response.status_code == 201, response.content
    code = response.json()["query_code"]
    page = QuestionPage.objects.get(query_code=code)
    assert not page.live and page.latest_revision is not None
    assert page.get_parent().specific.kind == ColumnKind.QUESTIONS
    assert page.department == demo.departments["社会救助股"]
    assert page.asker_contact == "13912345678" and page.asked_at
    status = client.get(f"/api/v2/questions/{code}/").json()
    assert status["status"] == "received"
    assert "咨询临时救助" not in str(status) and "13912345678" not in str(status)
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def test_reply_is_shown_once_published(client, demo):
    code = ask(client, demo).json()["query_code"]
    page = QuestionPage.objects.get(query_code=code)
    page.reply = "<p>可以申请，请携带身份证到镇社会事务办。</p>"
    publish(page)
    status = client.get(f"/api/v2/questions/{code}/").json()
    assert status["status"] == "replied" and "身份证" in status["reply"]
    assert "13912345678" not in str(status) and "张女士" not in str(status)


def test_form_encoded_and_by_column(client, demo):
    token, answer = solve(client)
    column = demo.columns["hudong-jiaoliu"]
    response = client.post(
        "/api/v2/questions/",
        {
            "column": column.pk,
            "title": "咨询婚姻登记预约",
            "body": "请问婚姻登记可以网上预约吗？周六是否办理？",
            "name": "李先生",
            "contact": "li@example.com",
            "challenge_token": token,
            "challenge_answer": answer,
        },
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"title": ""}, "title"),
        ({"title": "问"}, "title"),
        ({"body": "太短"}, "body"),
        ({"body": "长" * 2001}, "body"),
        ({"contact": "not a contact!"}, "contact"),
        ({"department": 999999}, "department"),
        ({"challenge_answer": "999"}, "challenge_answer"),
        ({"challenge_token": "forged:token"}, "challenge_answer"),
        ({"name": ""}, "name"),
    ],
)
def test_validation_errors_in_chinese(client, demo, overrides, field):
    count = QuestionPage.objects.count()
    response = ask(client, demo, **overrides)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert re.search(r"[\u4e00-\u9fff]", response.json()["errors"][field][0])
    assert QuestionPage.objects.count() == count


def test_challenge_is_single_use(client, demo):
    token, answer = solve(client)
    assert ask(client, demo, challenge_token=token, challenge_answer=answer).status_code == 201
    again = ask(client, demo, challenge_token=token, challenge_answer=answer)
    assert again.status_code == 400 and "challenge_answer" in again.json()["errors"]


def test_rate_limit_per_address(client, demo, monkeypatch):
    # The limits count in fixed clock windows: hold the clock inside one, so a slow run that
    # crosses a window's end cannot reset the count halfway.
    held = timezone.now()
    monkeypatch.setattr(questions.timezone, "now", lambda: held)
    count = QuestionPage.objects.count()
    statuses = [ask(client, demo, extra={"REMOTE_ADDR": "203.0.113.9"}).status_code for _ in range(7)]
    assert statuses[:5] == [201] * 5 and statuses[5:] == [429, 429]
    assert QuestionPage.objects.count() == count + 5
    # Another address (through the trusted front-end proxy) is not affected.
    other = ask(client, demo, extra={"HTTP_X_FORWARDED_FOR": "198.51.100.7"})
    assert other.status_code == 201


def test_bad_bodies(client, demo):
    assert client.post("/api/v2/questions/", "{not json", content_type="application/json").status_code == 400
    assert client.post("/api/v2/questions/", "[1,2]", content_type="application/json").status_code == 400
    assert client.get("/api/v2/questions/").status_code == 405
    assert client.get("/api/v2/questions/NOSUCHCODE/").status_code == 404
    assert client.get("/api/v2/questions/%27%20OR%201=1/").status_code == 404
