"""The public site's defences, tried as an attacker would: headers on every answer, the file
proxy keeping the CMS's own policy, oversized bodies refused unread, purge replays and
unsigned purges refused before the body is read, no start without a purge secret."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from frontend.app import SpentSignatures, create_app, sign_purge
from frontend.config import Settings

from .conftest import PURGE_SECRET
from .fake_api import create_fake_api

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/", "/xxgk/", "/liuyan/", "/no-such-page/", "/wuzhangai/"])
def test_every_page_sends_the_security_headers(site, path):
    response = site.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp and "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_preview_may_be_framed_by_the_cms_admin_only(site):
    response = site.get("/_preview/?token=x")
    assert "frame-ancestors http://cms.test" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers


def test_the_file_proxy_keeps_the_cms_policy_for_attachments(site):
    response = site.get("/documents/12/meeting.pdf")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == "default-src 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_oversized_body_is_refused_before_it_is_read(site, cms):
    big = b"x" * (Settings().max_body_bytes + 1)
    response = site.post(
        "/liuyan/", content=big, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert "过大" in response.text
    assert not cms.posted


def test_a_chunked_oversized_body_is_cut_off(site):
    def chunks():
        for _ in range(40):
            yield b"y" * 10_000

    response = site.post("/_purge/", content=chunks(), headers=sign_purge(PURGE_SECRET, b"{}"))
    assert response.status_code in (403, 413)
    response = site.post(
        "/liuyan/", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_a_purge_signature_is_honoured_once(site):
    body = b'{"paths": ["/"], "nonce": "1"}'
    headers = sign_purge(PURGE_SECRET, body)
    assert site.post("/_purge/", content=body, headers=headers).status_code == 204
    replay = site.post("/_purge/", content=body, headers=headers)
    assert replay.status_code == 403 and "already used" in replay.text


def test_purge_without_plausible_headers_is_refused_before_reading(site, monkeypatch):
    read = []

    async def spy_body(self):
        read.append(True)
        return b""

    monkeypatch.setattr("starlette.requests.Request.body", spy_body)
    assert site.post("/_purge/", content=b"{}", headers={"X-Purge-Signature": "00"}).status_code == 403
    stale = sign_purge(PURGE_SECRET, b"{}", timestamp=1000)
    assert site.post("/_purge/", content=b"{}", headers=stale).status_code == 403
    assert read == []


def test_spent_signatures_are_forgotten_once_they_could_no_longer_verify():
    now = [1000.0]
    spent = SpentSignatures(clock=lambda: now[0])
    assert spent.spend("a" * 64) and not spent.spend("a" * 64)
    now[0] += 601
    spent.spend("b" * 64)
    assert len(spent._seen) == 1


def test_the_front_end_refuses_to_start_without_a_purge_secret(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "GOVPORTAL_API_URL": "http://127.0.0.1:9/api/v2/"}
    result = subprocess.run(
        [sys.executable, "-m", "frontend", "--port", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "GOVPORTAL_PURGE_SECRET" in result.stderr and "拒绝启动" in result.stderr


def test_the_purge_secret_can_come_from_a_file(tmp_path, monkeypatch):
    secret_file = tmp_path / "purge-secret"
    secret_file.write_text("from-the-file\n")
    monkeypatch.delenv("GOVPORTAL_PURGE_SECRET", raising=False)
    assert Settings.from_env().purge_secret == ""  # no built-in default any more
    monkeypatch.setenv("GOVPORTAL_PURGE_SECRET_FILE", str(secret_file))
    assert Settings.from_env().purge_secret == "from-the-file"


QUESTION = {
    "department": "2",
    "title": "低保复核周期",
    "body": "请问低保对象多久复核一次？",
    "name": "李四",
    "contact": "lisi@example.cn",
    "challenge_token": "tok-1",
    "challenge_answer": "12",
}


def _site_with(cms, settings, **changes):
    transport = httpx.ASGITransport(app=create_fake_api(cms))
    app = create_app(dataclasses.replace(settings, **changes), transport=transport)
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def test_behind_a_trusted_proxy_the_citizen_address_is_forwarded(cms, settings):
    with _site_with(cms, settings, trusted_proxies=("testclient",)) as site:
        site.post("/liuyan/", data=QUESTION, headers={"X-Forwarded-For": "10.9.9.9, 198.51.100.7"})
    assert cms.posted[-1][1] == "198.51.100.7"


def test_forwarded_for_from_anyone_else_is_ignored(cms, settings):
    with _site_with(cms, settings) as site:
        site.post("/liuyan/", data=QUESTION, headers={"X-Forwarded-For": "198.51.100.7"})
    assert cms.posted[-1][1] == "testclient"


def test_the_challenge_picture_is_on_the_form(site):
    form = site.get("/liuyan/").text
    assert '<img class="challenge" src="data:image/png;base64,' in form
    assert 'alt="验证码图片' in form
