"""Login protection (django-axes) tried as an attacker would: brute force against one account,
against many accounts from one address, forged X-Forwarded-For; the security administrator
unlocks; every event lands in the audit trail with time, account and address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from govportal.accounts.models import SecurityEvent
from govportal.accounts.roles import SECURITY_ADMINS_GROUP

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"
Kind = SecurityEvent.Kind


def _post_login(username, password, address=OFFICE, **extra):
    client = Client(REMOTE_ADDR=address, **extra)
    return client, client.post("/admin/login/", {"username": username, "password": password})


def _ready(username):
    get_user_model().objects.filter(username=username).update(must_change_password=False)


def _brute_force(username, times=5, address=ATTACKER):
    for i in range(times):
        _, response = _post_login(username, f"guess-{i}", address)
        assert response.status_code in (200, 429)


def test_five_failures_lock_the_account_even_with_the_right_password(demo):
    _ready("operator")
    _brute_force("operator")
    client, response = _post_login("operator", demo.password, address=OFFICE)
    assert response.status_code == 429
    page = response.content.decode()
    assert "已被锁定" in page and "15 分钟" in page
    assert "login-form" in page  # still Wagtail's login page, not a bare error
    assert client.get("/admin/").status_code == 302  # not logged in


def test_four_failures_do_not_lock(demo):
    _ready("operator")
    _brute_force("operator", times=4)
    _, response = _post_login("operator", demo.password)
    assert response.status_code == 302


def test_five_failures_from_one_address_lock_that_address_for_every_account(demo):
    for name in ("director", "ideology", "deputy_a", "deputy_b", "operator"):
        _post_login(name, "wrong-password", ATTACKER)
    _ready("head_office")
    _, refused = _post_login("head_office", demo.password, ATTACKER)
    assert refused.status_code == 429
    _, allowed = _post_login("head_office", demo.password, OFFICE)
    assert allowed.status_code == 302


def test_forged_forwarded_for_from_an_untrusted_peer_does_not_rotate_the_address(demo):
    for i in range(5):
        _post_login(f"nobody{i}", "x", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    _ready("operator")
    _, response = _post_login("operator", demo.password, ATTACKER, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429


def test_the_lock_ends_after_fifteen_minutes(demo):
    _ready("operator")
    _brute_force("operator")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    _, response = _post_login("operator", demo.password)
    assert response.status_code == 302


def test_attempts_during_the_lockout_do_not_extend_it(demo):
    _ready("operator")
    _brute_force("operator")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    # (A refused attempt during the lock would otherwise restart the 15 minutes.)
    _brute_force("operator", times=0)
    _, response = _post_login("operator", demo.password)
    assert response.status_code == 302


def _security_admin():
    user = get_user_model().objects.create_user("sec_test", password="Security#Admin2026")
    user.must_change_password = False
    user.save()
    user.groups.add(Group.objects.get(name=SECURITY_ADMINS_GROUP))
    client = Client(REMOTE_ADDR=OFFICE)
    client.force_login(user)
    return client


def test_security_administrator_sees_and_unlocks_an_account(demo):
    _ready("operator")
    _brute_force("operator")
    admin = _security_admin()
    page = admin.get("/admin/security/lockouts/")
    assert page.status_code == 200
    assert "operator" in page.content.decode() and ATTACKER in page.content.decode()
    response = admin.post("/admin/security/lockouts/unlock/", {"username": "operator"})
    assert response.status_code == 302
    _, login = _post_login("operator", demo.password)
    assert login.status_code == 302
    unlock = SecurityEvent.objects.get(kind=Kind.UNLOCK)
    assert unlock.username == "operator" and unlock.actor == "sec_test"


def test_security_administrator_unlocks_an_address(demo):
    for name in ("director", "ideology", "deputy_a", "deputy_b", "operator"):
        _post_login(name, "wrong-password", ATTACKER)
    admin = _security_admin()
    admin.post("/admin/security/lockouts/unlock/", {"ip_address": ATTACKER})
    _ready("head_office")
    _, response = _post_login("head_office", demo.password, ATTACKER)
    assert response.status_code == 302


@pytest.mark.parametrize("username", ["operator", "admin", "staff_jiuzhu"])
def test_others_cannot_see_or_unlock(login, username):
    client = login(username)
    assert client.get("/admin/security/lockouts/").status_code in (302, 403)
    _brute_force("director")
    client.post("/admin/security/lockouts/unlock/", {"username": "director"})
    assert AccessAttempt.objects.filter(username="director").exists()


def test_every_success_failure_lockout_and_logout_is_recorded(demo):
    _ready("operator")
    _brute_force("operator")
    _post_login("operator", demo.password)  # refused during the lockout
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    client, _ = _post_login("operator", demo.password)
    client.post("/admin/logout/")

    events = list(SecurityEvent.objects.filter(username="operator").order_by("created_at", "id"))
    kinds = [e.kind for e in events]
    assert kinds.count(Kind.LOGIN_FAILED) == 6
    assert kinds.count(Kind.LOCKOUT) == 1  # once, not again for the refused attempt
    assert kinds[-2:] == [Kind.LOGIN, Kind.LOGOUT]
    assert all(e.created_at and e.username == "operator" for e in events)
    assert {e.ip_address for e in events if e.kind != Kind.LOGOUT} >= {ATTACKER, OFFICE}
    assert events[-1].ip_address == OFFICE
    assert "锁定期间" in [e for e in events if e.kind == Kind.LOGIN_FAILED][-1].detail


def test_audit_records_cannot_be_changed_or_deleted(demo):
    _post_login("operator", "wrong")
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED, username="operator")
    with pytest.raises(PermissionError):
        event.delete()
    event.detail = "篡改"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.update(detail="篡改")


def test_purge_keeps_at_least_180_days(demo, settings):
    settings.GOVPORTAL_AUDIT_RETENTION_DAYS = 30  # a too-short setting is raised to 180
    old = SecurityEvent.objects.create(kind=Kind.LOGIN, created_at=timezone.now() - timedelta(days=181))
    kept = SecurityEvent.objects.create(kind=Kind.LOGIN, created_at=timezone.now() - timedelta(days=179))
    SecurityEvent.objects.purge_expired()
    assert SecurityEvent.objects.filter(pk=kept.pk).exists()
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
