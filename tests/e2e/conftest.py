"""Browser tests against a real CMS: a fresh SQLite database migrated and seeded with
seed_demo, the CMS under `runserver`, the public site under uvicorn (`python -m frontend`),
and Debian's Chromium driven by Playwright. Session-scoped: set up once per test process."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PURGE_SECRET = "e2e-purge-secret"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium not installed")


class Servers:
    def __init__(self, tmp):
        self.tmp = tmp
        self.cms_port, self.site_port = free_port(), free_port()
        self.cms_url = f"http://127.0.0.1:{self.cms_port}"
        self.site_url = f"http://127.0.0.1:{self.site_port}"
        self.api_url = f"{self.cms_url}/api/v2/"
        self.cms_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "govportal.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp}/cms.sqlite3",
            "GOVPORTAL_MEDIA_ROOT": str(tmp / "media"),
            "GOVPORTAL_API_MEDIA_BASE_URL": self.cms_url,
            "GOVPORTAL_ADMIN_BASE_URL": self.cms_url,
            "GOVPORTAL_PURGE_SECRET": PURGE_SECRET,
            "GOVPORTAL_FRONTEND_URL": self.site_url,
            "GOVPORTAL_FRONTEND_PURGE_URLS": self.site_url,
        }
        self.site_env = {
            **os.environ,
            "GOVPORTAL_API_URL": self.api_url,
            "GOVPORTAL_PURGE_SECRET": PURGE_SECRET,
            "GOVPORTAL_CACHE_TTL": "30",
        }
        self.processes = []

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.cms_env, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def start(self):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("seed_demo")
        log = open(self.tmp / "cms.log", "w")
        cms = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.cms_port}", "--noreload"],
            cwd=ROOT,
            env=self.cms_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(cms)
        wait_for(f"{self.api_url}site/", cms)
        site_log = open(self.tmp / "site.log", "w")
        site = subprocess.Popen(
            [sys.executable, "-m", "frontend", "--host", "127.0.0.1", "--port", str(self.site_port)],
            cwd=ROOT,
            env=self.site_env,
            stdout=site_log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(site)
        wait_for(f"{self.site_url}/wuzhangai/", site)

    def start_cms(self, **env):
        """Another CMS process on the same database with other settings (e.g. the second
        factor required, as in production); stopped with the rest. Returns its URL."""
        port = free_port()
        log = open(self.tmp / f"cms-{port}.log", "w")
        cms = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env={**self.cms_env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(cms)
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/api/v2/site/", cms)
        return url

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    def purge(self):
        from frontend.app import sign_purge

        body = b"{}"
        response = httpx.post(
            f"{self.site_url}/_purge/", content=body, headers=sign_purge(PURGE_SECRET, body)
        )
        assert response.status_code == 204

    def api(self, path, **params):
        return httpx.get(f"{self.api_url}{path}", params=params, timeout=10).json()


@pytest.fixture(scope="session")
def servers():
    # Not under pytest's basetemp: another pytest run by the same user prunes all but its
    # three newest basetemps, and took this session's database and media away mid-run.
    tmp = Path(tempfile.mkdtemp(prefix="govportal-e2e-"))
    servers = Servers(tmp)
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, servers):
    context = browser.new_context(
        base_url=servers.site_url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page):
    """Serious and critical axe-core violations on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
