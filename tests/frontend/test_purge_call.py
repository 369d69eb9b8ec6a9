"""The CMS's purge call on publish (issue 5 part 5, docs/FRONTEND-NEEDS.md §1), received by a
tiny HTTP server on 127.0.0.1 that checks the signature with the front end's own verifier."""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import override_settings

from frontend.app import verify_purge
from govportal.api import purge

SECRET = "purge-test-secret"


class PurgeReceiver:
    def __init__(self, secret=SECRET):
        self.calls = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ok = self.path == "/_purge/" and verify_purge(
                    secret,
                    self.headers.get("X-Purge-Timestamp", ""),
                    body,
                    self.headers.get("X-Purge-Signature", ""),
                )
                receiver.calls.append({"ok": ok, "body": json.loads(body or b"{}"), "path": self.path})
                self.send_response(204 if ok else 403)
                self.end_headers()
                receiver.arrived.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait(self, timeout=5):
        assert self.arrived.wait(timeout), "no purge call arrived"
        self.arrived.clear()
        return self.calls[-1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = PurgeReceiver()
    yield r
    r.close()


@pytest.fixture
def purging(receiver):
    # (tests/frontend's `settings` fixture is the front end's, hence override_settings.)
    with override_settings(GOVPORTAL_FRONTEND_PURGE_URLS=[receiver.url], GOVPORTAL_PURGE_SECRET=SECRET):
        yield receiver


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_signed_call_is_accepted_and_a_wrong_secret_refused(receiver):
    assert purge.send_purge(["/a/"], urls=[receiver.url], secret=SECRET) == {receiver.url: 204}
    call = receiver.wait()
    assert call["ok"] and call["body"]["paths"] == ["/a/"] and len(call["body"]["nonce"]) == 16
    assert purge.send_purge(["/a/"], urls=[receiver.url], secret="wrong") == {receiver.url: 403}


def test_the_signature_matches_the_front_ends_reference_signer():
    from frontend.app import sign_purge

    assert purge.sign("s", b'{"paths":[]}', 1000) == sign_purge("s", b'{"paths":[]}', 1000)


def test_a_front_end_that_is_down_is_logged_never_raised(caplog):
    with caplog.at_level(logging.WARNING, logger="govportal.api.purge"):
        result = purge.send_purge(["/a/"], urls=[closed_port_url()], secret=SECRET, timeout=1)
    assert "Connection refused" in next(iter(result.values()))
    assert "not purged" in caplog.text


def test_tests_do_not_call_out_by_default():
    assert purge.purge_urls() == []


@pytest.mark.django_db
def test_publish_purges_after_commit(purging, demo, django_capture_on_commit_callbacks):
    column = demo.columns["gongzuo-dongtai"]
    column.description = "更新后的栏目描述"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        column.save_revision().publish()
        assert not purging.calls, "sent before the transaction committed"
    assert len(callbacks) == 1, "one call per transaction"
    thread = callbacks[0]()
    thread.join(5)
    call = purging.wait()
    assert call["ok"] and column.url_path.split("/", 2)[2] in call["body"]["paths"][0]


@pytest.mark.django_db
def test_unpublish_delete_and_move_purge(purging, demo, django_capture_on_commit_callbacks):
    from pages.models import NewsPage
    from pages.publishing import purging as purge_allowed

    item = NewsPage.objects.live().child_of(demo.columns["gongzuo-dongtai"]).first()
    path = "/" + item.url_path.strip("/").split("/", 1)[1] + "/"
    with django_capture_on_commit_callbacks(execute=True):
        item.unpublish()
    assert purging.wait()["body"]["paths"] == [path]

    other = NewsPage.objects.child_of(demo.columns["gongzuo-dongtai"]).exclude(pk=item.pk).first()
    with django_capture_on_commit_callbacks(execute=True):
        other.move(demo.columns["gongzuo-dongtai"], pos="last-child")
    assert purging.wait()["ok"]

    # Items with records are deleted only by the administrator's purge after the retention period.
    with django_capture_on_commit_callbacks(execute=True), purge_allowed():
        item.delete()
    assert path in purging.wait()["body"]["paths"]


@pytest.mark.django_db
def test_rolled_back_publish_sends_nothing(purging, demo, django_capture_on_commit_callbacks):
    column = demo.columns["gongzuo-dongtai"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                column.save_revision().publish()
                raise RuntimeError("abort")
    assert callbacks == []
    assert not purging.arrived.wait(0.5)


@pytest.mark.django_db
def test_publish_succeeds_while_the_front_end_is_down(demo, django_capture_on_commit_callbacks):
    column = demo.columns["gongzuo-dongtai"]
    down = override_settings(GOVPORTAL_FRONTEND_PURGE_URLS=[closed_port_url()], GOVPORTAL_PURGE_SECRET=SECRET)
    with down, django_capture_on_commit_callbacks(execute=False) as callbacks:
        column.save_revision().publish()
    with down:
        thread = callbacks[0]()
    thread.join(5)
    assert not thread.is_alive()
    column.refresh_from_db()
    assert column.live
