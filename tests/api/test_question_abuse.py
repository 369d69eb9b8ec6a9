"""The question intake under abuse, as an attacker would try it: concurrent bursts against the
rate limit, one token replayed in parallel, wrong answers, forged X-Forwarded-For, control and
direction-override characters. Counters live in the real database cache (atomic add/incr)."""

import base64
import concurrent.futures

import pytest
from django.db import connection
from django.test import Client

from govportal.api.questions import LIMITS
from pages.models import QuestionPage
from tests.helpers import solve_challenge

DB_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api_ratelimit": {"BACKEND": "govportal.cache.AtomicDatabaseCache", "LOCATION": "govportal_cache"},
}


@pytest.fixture
def db_cache(settings):
    settings.CACHES = DB_CACHE


def _challenge(client):
    data = client.get("/api/v2/questions/challenge/").json()
    return data["token"], solve_challenge(data["token"])


def _submission(demo, token, answer, **overrides):
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
    return data


def _post(data, address):
    client = Client(REMOTE_ADDR=address)
    try:
        return client.post("/api/v2/questions/", data, content_type="application/json").status_code
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_bursts_hold_the_limits(demo, db_cache):
    # 50 bad posts at once from one address: exactly the attempt limit is let through.
    token, _ = _challenge(Client())
    bad = _submission(demo, token, "00000")
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: _post(bad, "203.0.113.50"), range(50)))
    attempts = LIMITS["attempt"][0][1]
    assert statuses.count(429) == 50 - attempts
    assert statuses.count(400) == attempts

    # One correctly answered token sent 20 times in parallel makes exactly one question.
    before = QuestionPage.objects.count()
    token, answer = _challenge(Client())
    good = _submission(demo, token, answer)
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda i: _post(good, f"198.51.100.{i}"), range(20)))
    assert statuses.count(201) == 1 and statuses.count(400) == 19
    assert QuestionPage.objects.count() == before + 1


@pytest.mark.django_db
def test_a_wrong_answer_spends_the_token(client, demo, db_cache):
    token, answer = _challenge(client)
    wrong = "22222" if answer != "22222" else "33333"
    first = client.post(
        "/api/v2/questions/", _submission(demo, token, wrong), content_type="application/json"
    )
    assert "不正确" in first.json()["errors"]["challenge_answer"][0]
    again = client.post(
        "/api/v2/questions/", _submission(demo, token, answer), content_type="application/json"
    )
    assert again.status_code == 400
    assert "已使用过" in again.json()["errors"]["challenge_answer"][0]


@pytest.mark.django_db
def test_the_challenge_is_a_picture_not_text(client, demo):
    data = client.get("/api/v2/questions/challenge/").json()
    answer = solve_challenge(data["token"])
    assert answer not in data["question"] and answer not in data["token"]
    assert not any(c.isdigit() for c in data["question"].replace("5 位", ""))
    png = base64.b64decode(data["image"].removeprefix("data:image/png;base64,"))
    assert png.startswith(b"\x89PNG")
    # Different every time, so a picture cannot be looked up.
    assert client.get("/api/v2/questions/challenge/").json()["image"] != data["image"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "咨询救助\r\nBcc: victim@example.com"),
        ("title", "咨询救助\u202egnp.exe"),
        ("title", "咨询\u200b救助条件"),
        ("name", "张\u2066女士"),
        ("body", "请问临时救助\u202e需要什么材料？请告知办理流程。"),
        ("contact", "139\x0712345678"),
    ],
)
def test_control_and_direction_characters_are_refused(client, demo, db_cache, field, value):
    count = QuestionPage.objects.count()
    token, answer = _challenge(client)
    response = client.post(
        "/api/v2/questions/",
        _submission(demo, token, answer, **{field: value}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "控制字符" in response.json()["errors"][field][0]
    assert QuestionPage.objects.count() == count


@pytest.mark.django_db
def test_line_breaks_are_fine_in_the_body(client, demo, db_cache):
    token, answer = _challenge(client)
    body = "请问临时救助需要什么材料？\r\n家中有重病老人，生活困难。"
    response = client.post(
        "/api/v2/questions/", _submission(demo, token, answer, body=body), content_type="application/json"
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_forwarded_for_from_an_untrusted_peer_does_not_open_new_buckets(demo, db_cache):
    token, _ = _challenge(Client())
    bad = _submission(demo, token, "00000")
    attempts = LIMITS["attempt"][0][1]
    statuses = [
        Client(REMOTE_ADDR="203.0.113.60", HTTP_X_FORWARDED_FOR=f"10.1.{i}.1")
        .post("/api/v2/questions/", bad, content_type="application/json")
        .status_code
        for i in range(attempts + 2)
    ]
    assert statuses[-2:] == [429, 429]
