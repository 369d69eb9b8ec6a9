"""First login in a real browser where the second factor is required (production): the
password change, then enrolment with the QR code drawn by the CMS itself, the recovery codes,
the dashboard; the next login asks for a code and takes a recovery code once (issue 13)."""

import base64
import time
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP

from .test_admin_browser import (
    DEMO_PASSWORD,
    NEW_PASSWORD,
    PHONE,
    Recorder,
    _change_password,
    _settle,
    _shoot,
    _sign_in,
)

USERNAME = "head_shiwu"  # a department head approves: the second factor is required


@pytest.fixture(scope="module")
def required_cms(servers):
    """A CMS process in the required mode on the demo database, the account as seeded."""
    url = servers.start_cms(GOVPORTAL_2FA_REQUIRED="1")
    _reset_account(servers)
    yield url
    _reset_account(servers)


def _reset_account(servers):
    servers.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from django_otp.plugins.otp_static.models import StaticDevice\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"user = get_user_model().objects.get(username={USERNAME!r})\n"
        f"user.set_password({DEMO_PASSWORD!r})\n"
        "user.must_change_password = True\n"
        "user.save()\n"
        "user.password_history.all().delete()\n"
        "TOTPDevice.objects.filter(user=user).delete()\n"
        "StaticDevice.objects.filter(user=user).delete()",
    )


def _page(browser, servers, url, viewport=None):
    context = browser.new_context(
        base_url=url, locale="zh-CN", viewport=viewport or {"width": 1366, "height": 900}
    )
    page = context.new_page()
    own = {urlsplit(url).netloc, urlsplit(servers.cms_url).netloc, urlsplit(servers.site_url).netloc}
    return page, Recorder(page, own)


def _current_code(secret_text):
    key = base64.b32decode(secret_text.replace(" ", ""))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_first_login_then_enrolment_then_codes(browser, servers, required_cms):
    page, recorder = _page(browser, servers, required_cms)
    _sign_in(page, USERNAME)
    assert urlsplit(page.url).path == "/admin/password/"
    _change_password(page, DEMO_PASSWORD, NEW_PASSWORD)
    # Straight from the password change to the enrolment, not to the dashboard.
    assert urlsplit(page.url).path == "/admin/2fa/setup/"
    assert page.locator("h1").first.inner_text().strip() == "启用双因素认证"
    qr = page.locator(".otp-qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150
    _shoot(page, "2fa-setup")
    secret = page.locator("main code").inner_text()
    page.fill("#id_token", "000000")
    page.get_by_role("button", name="完成绑定").click()
    _settle(page)
    assert "动态口令不正确" in page.locator("#token-error").inner_text()
    page.wait_for_timeout(2000)  # django-otp throttles the device for a second after a failure
    page.fill("#id_token", _current_code(secret))
    page.get_by_role("button", name="完成绑定").click()
    _settle(page)
    codes = page.locator(".otp-codes li").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    _shoot(page, "2fa-codes")
    page.get_by_role("link", name="我已保存，进入后台").click()
    _settle(page)
    assert urlsplit(page.url).path == "/admin/"
    page.context.close()

    # The next login: a code is asked for before any screen; a recovery code works once.
    page, later = _page(browser, servers, required_cms, viewport=PHONE)
    _sign_in(page, USERNAME, NEW_PASSWORD)
    assert urlsplit(page.url).path == "/admin/2fa/verify/"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shoot(page, "2fa-verify-phone")
    page.fill("#id_token", codes[0])
    page.get_by_role("button", name="验证").click()
    _settle(page)
    assert urlsplit(page.url).path == "/admin/"
    assert "还剩 9 个" in page.locator(".messages").inner_text()
    page.context.close()

    page, again = _page(browser, servers, required_cms)
    _sign_in(page, USERNAME, NEW_PASSWORD)
    page.fill("#id_token", codes[0])
    page.get_by_role("button", name="验证").click()
    _settle(page)
    assert urlsplit(page.url).path == "/admin/2fa/verify/"
    assert "不正确" in page.locator(".messages").inner_text()
    # The way out works from here (Django's logout answers only POST).
    page.get_by_role("button", name="退出登录").click()
    _settle(page)
    assert urlsplit(page.url).path == "/admin/login/"
    page.context.close()
    for seen in (recorder, later, again):
        assert seen.redirected_assets == []
        assert seen.outside == set()
