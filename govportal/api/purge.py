"""Tell the public front ends to drop their caches when public content changes
(docs/FRONTEND-NEEDS.md §1, issue 5 part 5).

On publish, unpublish, delete and move of a page, after the transaction commits, every URL of
`GOVPORTAL_FRONTEND_PURGE_URLS` receives

    POST <front end>/_purge/   {"paths": [...]}
    X-Purge-Timestamp: <unix seconds>
    X-Purge-Signature: hex(HMAC-SHA256(GOVPORTAL_PURGE_SECRET, "<timestamp>.<body>"))

from a background thread with a 2-second timeout. A front end that is down is logged and
otherwise ignored: a publish never fails because of it (the front end's short TTL bounds the
staleness). The receivers are connected by the public app's config (govportal.api.apps).
"""

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

log = logging.getLogger(__name__)

TIMEOUT = 2.0  # seconds per front end
PURGE_PATH = "/_purge/"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict:
    """The headers of a purge call (the same as frontend.app.sign_purge, which is not imported:
    the CMS and the front end share no code)."""
    timestamp = str(int(timestamp or time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Purge-Timestamp": timestamp, "X-Purge-Signature": signature}


def purge_urls():
    urls = getattr(settings, "GOVPORTAL_FRONTEND_PURGE_URLS", [])
    if isinstance(urls, str):
        urls = urls.split(",")
    return [u.strip().rstrip("/") for u in urls if u and u.strip()]


def send_purge(paths, urls=None, secret=None, timeout=TIMEOUT):
    """POST the signed purge call to every front end now (in the calling thread). Returns
    {url: status code or error text}; never raises."""
    urls = purge_urls() if urls is None else urls
    secret = settings.GOVPORTAL_PURGE_SECRET if secret is None else secret
    if not urls or not secret:
        return {}
    # A nonce makes every call's signature unique: the front end honours each signature once.
    body = json.dumps(
        {"paths": sorted(set(paths)), "nonce": secrets.token_hex(8)}, ensure_ascii=False
    ).encode()
    results = {}
    for base in urls:
        headers = {"Content-Type": "application/json", **sign(secret, body)}
        request = urllib.request.Request(base + PURGE_PATH, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                results[base] = response.status
        except urllib.error.HTTPError as exc:
            results[base] = exc.code
            log.warning("front end %s refused the purge call: HTTP %s", base, exc.code)
        except Exception as exc:  # down, timeout, DNS…: never the publisher's problem
            results[base] = f"{type(exc).__name__}: {exc}"
            log.warning("front end %s not purged: %s", base, exc)
    return results


class _Batch:
    """The paths changed in one transaction, sent once when it commits."""

    def __init__(self):
        self.paths = set()
        self.sent = False

    def __call__(self):
        self.sent = True
        urls, secret = purge_urls(), settings.GOVPORTAL_PURGE_SECRET
        thread = threading.Thread(
            target=send_purge, args=(self.paths, urls, secret), name="frontend-purge", daemon=True
        )
        thread.start()
        return thread


def _open_batch():
    """The batch already waiting for this transaction's commit, if any. A rollback (of the
    transaction or of the savepoint that registered it) drops it from Django's list, so the
    next change starts a fresh one."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _Batch) and not entry[1].sent:
            return entry[1]
    return None


def schedule_purge(path):
    """Queue a purge for when the current transaction commits (at once outside one)."""
    if not purge_urls():
        return
    batch = _open_batch()
    if batch is None:
        batch = _Batch()
        batch.paths.add(path)
        transaction.on_commit(batch)
    else:
        batch.paths.add(path)


def public_path(page):
    """The page's path on the public site (its url_path without the site root's segment)."""
    url_path = getattr(page, "url_path", "") or ""
    parts = url_path.strip("/").split("/")
    return "/" + "".join(f"{p}/" for p in parts[1:])


# --- receivers ----------------------------------------------------------------------------------


def _on_published(sender, instance, **kwargs):
    schedule_purge(public_path(instance))


def _on_unpublished(sender, instance, **kwargs):
    schedule_purge(public_path(instance))


def _on_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.depth and instance.depth > 1:
        schedule_purge(public_path(instance))


def _on_moved(sender, instance, **kwargs):
    old = kwargs.get("url_path_before")
    if old:
        schedule_purge("/" + "".join(f"{p}/" for p in old.strip("/").split("/")[1:]))
    schedule_purge(public_path(instance))


def _on_slug_changed(sender, instance, instance_before=None, **kwargs):
    if instance_before is not None:
        schedule_purge(public_path(instance_before))
    schedule_purge(public_path(instance))


def connect_receivers():
    page_published.connect(_on_published, dispatch_uid="purge.published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="purge.unpublished")
    post_delete.connect(_on_deleted, dispatch_uid="purge.deleted")
    post_page_move.connect(_on_moved, dispatch_uid="purge.moved")
    page_slug_changed.connect(_on_slug_changed, dispatch_uid="purge.slug")
