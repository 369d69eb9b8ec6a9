"""check_links against a local HTTP server: broken external links, a deleted page, a missing
attachment file; the stored run, the error-link rate and the screen (no outside host)."""

import http.server
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Page

from pages.models import LinkPage, NewsPage
from reports.links import Link, check_external, links_of
from reports.models import BrokenLink, LinkCheckRun

pytestmark = pytest.mark.django_db


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/slow":
            threading.Event().wait(2)
        self.send_response({"/ok": 200, "/gone": 404, "/head-refused": 405}.get(self.path, 500))
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path == "/head-refused" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_external_links_with_timeout_and_head_fallback(server):
    links = [Link(1, 1, "external", f"{server}{path}") for path in ("/ok", "/gone", "/head-refused", "/slow")]
    results = check_external(links, timeout=0.5, concurrency=2)
    assert {link.target.rsplit("/", 1)[1]: error for link, error in results.items()} == {
        "ok": None,
        "gone": "HTTP 404",
        "head-refused": None,
        "slow": "超时",
    }


def test_command_stores_broken_links_by_item_and_department(server, demo, login, capsys):
    # Everything live is checked; keep the demo's outside links out of this test.
    LinkPage.objects.update(url=f"{server}/ok")
    column = demo.columns["gongzuo-dongtai"]
    department = demo.departments["社会事务股"]
    target = NewsPage.objects.live().child_of(column).first()
    gone = NewsPage.objects.live().child_of(column).exclude(pk=target.pk).first()
    document = get_document_model().objects.create(
        title="链接检查附件", file=ContentFile(b"x", name="linkcheck.txt")
    )
    body = (
        f'<p><a href="{server}/gone">失效外链</a> <a href="{server}/ok">正常外链</a>'
        f' <a linktype="page" id="{gone.pk}">站内</a> <a linktype="document" id="{document.pk}">附件</a></p>'
    )
    NewsPage.objects.filter(pk=target.pk).update(body=body, department=department)
    Page.objects.filter(pk=gone.pk).update(live=False)
    document.file.storage.delete(document.file.name)
    target.refresh_from_db()
    assert {link.kind for link in links_of(target)} >= {"external", "page", "document"}

    call_command("check_links", "--timeout", "2", "--concurrency", "4")
    run = LinkCheckRun.objects.first()
    mine = {(b.kind, b.error) for b in BrokenLink.objects.filter(run=run, page_id=target.pk)}
    assert mine == {
        ("external", "HTTP 404"),
        ("page", "链接的页面不存在或已撤回"),
        ("document", "附件文件丢失"),
    }
    assert all(b.department == department for b in BrokenLink.objects.filter(run=run, page_id=target.pk))
    assert run.broken == BrokenLink.objects.filter(run=run).count() and run.checked > run.broken
    assert f"错误链接率 {run.error_rate:.2%}" in capsys.readouterr().out

    html = login("operator", client=Client()).get("/admin/reports/links/").content.decode()
    assert "社会事务股" in html and f"{server}/gone" in html and run.error_percent in html
    assert login("staff_jiuzhu", client=Client()).get("/admin/reports/links/").status_code == 403
