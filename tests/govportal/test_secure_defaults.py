"""Secure by default, tried as an attacker would: overflowing ids, deeply nested JSON, the CMS
host's own page URLs, a preview token forged with the key that used to be public, and the
settings a deployment starts with."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Page

from govportal.api.preview import SALT
from moderation.scanning.findings import FindingKind
from moderation.scanning.pages import scan_document

ROOT = Path(__file__).resolve().parents[2]
OLD_PUBLIC_KEY = "insecure-dev-key-change-me"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/9223372036854775808/",
        "/api/v2/pages/99999999999999999999999999/",
        "/api/v2/images/9223372036854775808/",
        "/api/v2/documents/9223372036854775808/",
    ],
)
def test_ids_beyond_64_bits_are_not_found(client, demo, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_deeply_nested_json_is_a_400_not_a_crash(client, demo):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v2/questions/", body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


@pytest.mark.django_db
def test_the_cms_host_sends_page_urls_to_the_public_site(client, demo):
    page = Page.objects.live().filter(depth__gt=2).specific().first()
    for path in ("/", page.url):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == settings.GOVPORTAL_FRONTEND_URL + path
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.django_db
def test_a_preview_token_signed_with_the_old_public_key_is_refused(client, demo):
    page = Page.objects.filter(live=False).first() or Page.objects.filter(depth__gt=2).first()
    forged = signing.dumps({"page": page.pk, "revision": None, "key": "x"}, key=OLD_PUBLIC_KEY, salt=SALT)
    response = client.get("/api/v2/preview/", {"token": forged})
    assert response.status_code in (403, 404)


def test_development_key_is_per_installation_and_not_in_git():
    assert settings.SECRET_KEY != OLD_PUBLIC_KEY and len(settings.SECRET_KEY) >= 50
    for name in (".secret-key", ".purge-secret"):
        assert (ROOT / name).exists()
        assert oct((ROOT / name).stat().st_mode & 0o777) == "0o600"
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT)
        assert ignored.returncode == 0, f"{name} must be gitignored"
    tracked = subprocess.run(["git", "grep", "-l", settings.SECRET_KEY], cwd=ROOT, capture_output=True)
    assert tracked.stdout == b""


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOVPORTAL_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "govportal.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"GOVPORTAL_PURGE_SECRET": secrets.token_urlsafe(50)},
        {"DJANGO_SECRET_KEY": OLD_PUBLIC_KEY, "GOVPORTAL_PURGE_SECRET": secrets.token_urlsafe(50)},
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "GOVPORTAL_PURGE_SECRET": "govportal-dev-purge-secret",
        },
    ],
)
def test_production_refuses_to_start_without_real_secrets(env):
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "must be set to a long random secret" in result.stderr


def test_production_settings_pass_check_deploy_without_a_warning():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        GOVPORTAL_PURGE_SECRET=secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


FORGED_PDF = b"<html><script>alert(document.cookie)</script>\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81 110101199003074514</html>"


@pytest.mark.django_db
def test_a_forged_upload_is_neither_run_nor_waved_through(client, login, demo, settings, tmp_path):
    """A script dressed as a PDF, uploaded through the admin's own form: served as a PDF the
    browser may not sniff or run, and the confidentiality scan says it could not read it."""
    settings.MEDIA_ROOT = tmp_path
    staff = login("staff_jiuzhu")
    upload = SimpleUploadedFile("低保名单.pdf", FORGED_PDF, content_type="application/pdf")
    response = staff.post("/admin/documents/add/", {"title": "低保名单", "file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    document = get_document_model().objects.get(title="低保名单")

    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"

    findings = scan_document(document)
    assert [f.kind for f in findings] == [FindingKind.UNREADABLE]
    assert "无法读取" in str(findings[0])
