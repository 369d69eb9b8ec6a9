"""Password rules of 等保 2.0 level 3, through the real forms: complexity, no reuse of the
current or the last 5 passwords, expiry with a week's warning, other sessions end on a change,
admin sessions end after 30 minutes idle and at browser close."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from govportal.accounts.models import SecurityEvent
from tests.pages.test_permissions import form_data

pytestmark = pytest.mark.django_db

CHANGE_URL = "/admin/password/"


def _login(username, password):
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"login failed for {username}"
    return client


def _change(client, old, new):
    return client.post(
        CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": new, "next": "/admin/"}
    )


def _errors(response):
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


def _user(username="staff_jiuzhu"):
    return get_user_model().objects.get(username=username)


@pytest.mark.parametrize(
    "weak",
    [
        "kaipingmzj",  # lower case only (accepted before)
        "kaipingmzj2026",  # two classes
        "KAIPING#####",  # two classes
    ],
)
def test_passwords_need_three_of_four_character_classes(demo, weak):
    client = _login("staff_jiuzhu", demo.password)
    response = _change(client, demo.password, weak)
    assert response.status_code == 200
    assert "至少 3 类" in _errors(response)
    assert _user().check_password(demo.password)
    # The message stands next to the field it is about.
    assert "至少 3 类" in response.content.decode()


@pytest.mark.parametrize("good", ["Kaiping2026x", "kaiping#2026", "KAIPING#2026"])
def test_three_classes_are_enough(demo, good):
    client = _login("staff_jiuzhu", demo.password)
    assert _change(client, demo.password, good).status_code == 302


def test_forced_change_refuses_the_old_password(demo):
    client = _login("staff_jiuzhu", demo.password)
    response = _change(client, demo.password, demo.password)
    assert response.status_code == 200
    assert "不能与当前密码" in _errors(response)
    assert _user().must_change_password


def test_the_last_five_passwords_cannot_come_back(demo):
    passwords = [demo.password] + [f"Kaiping#{n}2026" for n in range(1, 7)]
    client = _login("staff_jiuzhu", demo.password)
    for old, new in zip(passwords[:5], passwords[1:6], strict=True):
        assert _change(client, old, new).status_code == 302
    current = passwords[5]
    # The current password and the 5 before it (the demo one among them) are refused.
    for reused in passwords[:5]:
        response = _change(client, current, reused)
        assert response.status_code == 200, reused
        assert "最近 5 次" in _errors(response)
    assert _change(client, current, passwords[6]).status_code == 302
    # Now the demo password is six changes back: allowed again.
    assert _change(client, passwords[6], demo.password).status_code == 302


def test_a_change_is_recorded_and_ends_the_other_sessions(demo):
    get_user_model().objects.filter(username="operator").update(must_change_password=False)
    laptop = _login("operator", demo.password)
    phone = _login("operator", demo.password)
    assert phone.get("/admin/").status_code == 200
    assert _change(laptop, demo.password, "Kaiping#Ops2026").status_code == 302
    assert laptop.get("/admin/").status_code == 200
    response = phone.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_CHANGE)
    assert event.username == "operator" and event.ip_address == "127.0.0.1"


def test_an_expired_password_must_be_changed_first(demo, settings):
    client = _login("operator", demo.password)
    assert _change(client, demo.password, "Kaiping#Ops2026").status_code == 302
    assert client.get("/admin/").status_code == 200
    get_user_model().objects.filter(username="operator").update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    response = client.get(f"/admin/pages/{demo.home.id}/")
    assert response.status_code == 302 and response["Location"].startswith(CHANGE_URL)
    assert "超过 90 天" in client.get(response["Location"]).content.decode()
    assert _change(client, "Kaiping#Ops2026", "Kaiping#Ops2027").status_code == 302
    assert client.get(f"/admin/pages/{demo.home.id}/").status_code == 200


def test_the_expiry_period_is_a_setting(demo, settings):
    settings.GOVPORTAL_PASSWORD_MAX_AGE_DAYS = 30
    get_user_model().objects.filter(username="operator").update(
        must_change_password=False, password_changed_at=timezone.now() - timedelta(days=31)
    )
    client = _login("operator", demo.password)
    assert client.get("/admin/").status_code == 302


def test_a_week_before_expiry_the_login_warns(demo):
    get_user_model().objects.filter(username="operator").update(
        must_change_password=False, password_changed_at=timezone.now() - timedelta(days=85)
    )
    client = _login("operator", demo.password)
    page = client.get("/admin/").content.decode()
    assert "天后过期" in page


def test_no_warning_long_before_expiry(demo):
    get_user_model().objects.filter(username="operator").update(
        must_change_password=False, password_changed_at=timezone.now() - timedelta(days=10)
    )
    client = _login("operator", demo.password)
    assert "过期" not in client.get("/admin/").content.decode()


def test_admin_session_is_a_browser_session_even_with_remember_me(demo):
    get_user_model().objects.filter(username="operator").update(must_change_password=False)
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "operator", "password": demo.password, "remember": "on"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    login_page = Client().get("/admin/login/").content.decode()
    assert 'name="remember"' not in login_page


def test_thirty_idle_minutes_end_the_session(demo):
    get_user_model().objects.filter(username="operator").update(must_change_password=False)
    client = _login("operator", demo.password)
    assert client.get("/admin/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes the end 30 minutes ahead.
    assert timedelta(minutes=29) < session.expire_date - timezone.now() <= timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_administrator_reset_is_recorded(login, demo):
    admin = login("admin")
    user = _user()
    url = f"/admin/users/edit/{user.pk}/"
    data = form_data(admin.get(url))
    data.update(password1="Reset#Pass2026", password2="Reset#Pass2026")
    assert admin.post(url, data).status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_RESET)
    assert (event.username, event.actor) == ("staff_jiuzhu", "admin")
    assert _user().must_change_password
