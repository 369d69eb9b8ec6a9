"""Two factors (django-otp) in the required mode production runs, through the real screens:
enrolment right after the first-login password change, verification at each login with a TOTP
code or a one-time recovery code, replays and guessing refused, the security administrator's
reset of a lost device."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from govportal.accounts.models import SecurityEvent
from govportal.accounts.roles import SECURITY_ADMINS_GROUP

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kaiping#Ops2026"
Kind = SecurityEvent.Kind


@pytest.fixture(autouse=True)
def required(settings):
    settings.GOVPORTAL_2FA_REQUIRED = True


def _code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def _password_login(username, password):
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302, username
    return client


def _enrol(client):
    """Open the enrolment page, type the app's code; returns (device, recovery codes)."""
    page = client.get("/admin/2fa/setup/?next=/admin/")
    device = TOTPDevice.objects.get(user__username=client.session_username, confirmed=False)
    response = client.post("/admin/2fa/setup/", {"token": _code(device), "next": "/admin/"})
    assert response.status_code == 200, response.content.decode()[:500]
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    device.refresh_from_db()
    return page, device, codes


def _first_login_through_enrolment(demo, username="operator"):
    client = _password_login(username, demo.password)
    client.session_username = username
    response = client.post(
        "/admin/password/",
        {
            "old_password": demo.password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "/admin/",
        },
    )
    assert response.status_code == 302
    # Right after the password change, the next admin page is the enrolment.
    landing = client.get(response["Location"])
    assert landing.status_code == 302 and landing["Location"].startswith("/admin/2fa/setup/")
    return client


def test_enrolment_follows_the_first_password_change_and_draws_the_qr_here(demo):
    client = _first_login_through_enrolment(demo)
    page, device, codes = _enrol(client)
    html = page.content.decode()
    assert "<svg" in html and "必须启用双因素认证" in html
    assert not re.search(r"""<img[^>]+src=["']https?://""", html)  # no outside request for the QR
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    assert SecurityEvent.objects.filter(kind=Kind.OTP_ENROL, username="operator").exists()


def test_a_wrong_code_does_not_enrol(demo):
    client = _first_login_through_enrolment(demo)
    client.get("/admin/2fa/setup/")
    response = client.post("/admin/2fa/setup/", {"token": "000000"})
    assert "动态口令不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user__username="operator", confirmed=True).exists()
    response = client.get(f"/admin/pages/{demo.home.id}/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/setup/")


@pytest.mark.parametrize("username", ["director", "head_jiuzhu", "admin", "operator"])
def test_everyone_who_approves_publishes_or_administers_must_enrol(demo, username):
    get_user_model().objects.filter(username=username).update(must_change_password=False)
    client = _password_login(username, demo.password)
    response = client.get(f"/admin/pages/{demo.home.id}/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/setup/")


def test_staff_are_offered_but_not_forced(demo):
    get_user_model().objects.filter(username="staff_jiuzhu").update(must_change_password=False)
    client = _password_login("staff_jiuzhu", demo.password)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "启用双因素认证" in dashboard.content.decode()


def test_the_demo_setting_relaxes_it(demo, settings):
    settings.GOVPORTAL_2FA_REQUIRED = False
    get_user_model().objects.filter(username="director").update(must_change_password=False)
    assert _password_login("director", demo.password).get("/admin/").status_code == 200


def _enrolled_operator(demo):
    client = _first_login_through_enrolment(demo)
    _, device, codes = _enrol(client)
    client.post("/admin/logout/")
    return device, codes


def test_each_login_asks_for_the_second_factor(demo):
    device, _ = _enrolled_operator(demo)
    client = _password_login("operator", NEW_PASSWORD)
    response = client.get(f"/admin/pages/{demo.home.id}/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/verify/")
    # The code used at enrolment is spent: the next time step's code works.
    ok = client.post(
        "/admin/2fa/verify/", {"token": _code(device, offset=1), "next": f"/admin/pages/{demo.home.id}/"}
    )
    assert ok.status_code == 302 and ok["Location"] == f"/admin/pages/{demo.home.id}/"
    assert client.get(f"/admin/pages/{demo.home.id}/").status_code == 200


def test_a_replayed_totp_code_is_refused(demo):
    device, _ = _enrolled_operator(demo)
    code = _code(device, offset=1)
    first = _password_login("operator", NEW_PASSWORD)
    assert first.post("/admin/2fa/verify/", {"token": code}).status_code == 302
    second = _password_login("operator", NEW_PASSWORD)
    response = second.post("/admin/2fa/verify/", {"token": code})
    assert response.status_code == 200 and "不正确" in response.content.decode()
    assert second.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(demo):
    _, codes = _enrolled_operator(demo)
    first = _password_login("operator", NEW_PASSWORD)
    response = first.post("/admin/2fa/verify/", {"token": codes[0].upper()}, follow=True)
    assert "还剩 9 个" in response.content.decode()
    replay = _password_login("operator", NEW_PASSWORD)
    assert "不正确" in replay.post("/admin/2fa/verify/", {"token": codes[0]}).content.decode()
    assert replay.get("/admin/").status_code == 302
    time.sleep(1.1)  # django-otp makes the next try wait 1 s after a failure
    assert replay.post("/admin/2fa/verify/", {"token": codes[1]}).status_code == 302


def test_guessing_codes_is_throttled_and_recorded(demo):
    device, _ = _enrolled_operator(demo)
    client = _password_login("operator", NEW_PASSWORD)
    for guess in ("111111", "222222", "333333", "444444"):
        client.post("/admin/2fa/verify/", {"token": guess})
    # After repeated failures even the right code waits (django-otp's growing delay).
    response = client.post("/admin/2fa/verify/", {"token": _code(device, offset=1)})
    assert response.status_code == 200
    assert SecurityEvent.objects.filter(kind=Kind.OTP_FAILED, username="operator").count() >= 4


def _security_admin():
    user = get_user_model().objects.create_user("sec_otp", password="Security#Admin2026")
    user.must_change_password = False
    user.save()
    user.groups.add(Group.objects.get(name=SECURITY_ADMINS_GROUP))
    client = Client()
    client.force_login(user)
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def test_security_administrator_resets_a_lost_device(demo):
    _enrolled_operator(demo)
    admin = _security_admin()
    page = admin.get("/admin/security/2fa/")
    assert page.status_code == 200 and "operator" in page.content.decode()
    operator = get_user_model().objects.get(username="operator")
    response = admin.post(f"/admin/security/2fa/{operator.pk}/reset/", {"reason": "手机丢失，已电话核实"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=operator).exists()
    assert not StaticDevice.objects.filter(user=operator).exists()
    event = SecurityEvent.objects.get(kind=Kind.OTP_RESET)
    assert (event.username, event.actor, event.detail) == ("operator", "sec_otp", "手机丢失，已电话核实")
    # The next login enrols again.
    client = _password_login("operator", NEW_PASSWORD)
    assert client.get("/admin/").headers["Location"].startswith("/admin/2fa/setup/")


@pytest.mark.parametrize("username", ["admin", "operator", "staff_jiuzhu"])
def test_nobody_else_can_reset_devices(demo, login, settings, username):
    settings.GOVPORTAL_2FA_REQUIRED = False
    device_owner = get_user_model().objects.get(username="director")
    TOTPDevice.objects.create(user=device_owner, name="t", confirmed=True)
    client = login(username)
    assert client.get("/admin/security/2fa/").status_code in (302, 403)
    client.post(f"/admin/security/2fa/{device_owner.pk}/reset/")
    assert TOTPDevice.objects.filter(user=device_owner).exists()
