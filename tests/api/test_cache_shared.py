"""The shared response cache: two worker processes (gunicorn, one sync worker each) on the
same database and the same Redis render a URL once and see one invalidation per publish.
Needs Debian's redis-server (`.ci/run` installs and starts one: GOVPORTAL_TEST_REDIS_URL)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from govportal.api.models import PublicDocument
from moderation.models import Department
from pages.models import NewsPage
from tests.servers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
REDIS = shutil.which("redis-server")


@pytest.fixture(scope="module")
def redis_url():
    if os.environ.get("GOVPORTAL_TEST_REDIS_URL"):
        yield os.environ["GOVPORTAL_TEST_REDIS_URL"]
        return
    if not REDIS:
        pytest.skip("redis-server not installed (apt-get install redis-server; .ci/run does)")
    port = free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def workers(redis_url, tmp_path):
    """Two worker processes on the demo database and one Redis (the test is transactional:
    its writes are committed at once, so the workers see them)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govportal.settings.dev",
        "DATABASE_URL": database_url(),
        "GOVPORTAL_PUBLIC_CACHE_URL": redis_url,
        "GOVPORTAL_MEDIA_ROOT": str(tmp_path / "media"),
    }
    processes, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            log = open(tmp_path / f"gunicorn-{port}.log", "w")
            gunicorn = [
                sys.executable,
                "-m",
                "gunicorn",
                "govportal.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
            ]
            processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=log))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_for(f"{url}/api/v2/site/", process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


def first_item(base, path):
    response = httpx.get(base + path, timeout=20)
    assert response.status_code == 200, response.text
    item = response.json()["items"][0]
    return item["id"], item["title"], item["department"]["name"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_one_render_and_one_invalidation(workers):
    first, second = workers
    page = NewsPage.objects.live().exclude(department=None).first()
    department = Department.objects.get(pk=page.department_id)
    path = f"/api/v2/pages/?department={department.pk}&limit=1"
    rendered = first_item(first, path)
    # Change the row behind the API's back (no signal, no new version): a worker that renders
    # shows the new title, one that serves the first worker's render the old one.
    PublicDocument.objects.filter(pk=rendered[0]).update(title="未发布的标题")
    assert first_item(second, path) == rendered

    # A real change bumps the version once: both workers see it, and the one render after it
    # (by the second worker) is what the first serves.
    department.public_name = "开平市民政局（改名后）"
    department.save()
    after = first_item(second, path)
    assert after == (rendered[0], "未发布的标题", "开平市民政局（改名后）")
    PublicDocument.objects.filter(pk=rendered[0]).update(title="又一个未发布的标题")
    assert first_item(first, path) == after
