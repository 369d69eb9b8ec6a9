"""The response cache and the search memos, in Django's "public" cache (settings: a bounded
per-process LocMem by default, Redis shared by every worker and host when
GOVPORTAL_PUBLIC_CACHE_URL is set).

Every key carries the public content version, so a publish makes every entry unreachable in
every process at once; old entries age out by the cache's own bound (LocMem's MAX_ENTRIES,
Redis's maxmemory) and TIMEOUT. A cache that cannot be reached is a miss, never an error."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection

logger = logging.getLogger(__name__)

# A body larger than this is served but not kept (one entry never crowds out thousands).
MAX_ENTRY_BYTES = 512 * 1024
# A memoised search keeps at most this many ranked ids (8 bytes each).
MAX_MEMO_IDS = 500_000


def _version_tag(scope):
    # The database's name too: sites (or parallel test databases) sharing one Redis never meet.
    # The timestamp as well as the number: a version number can repeat after a rollback.
    changed = scope.changed_at.timestamp() if scope.changed_at else 0
    return f"{connection.settings_dict['NAME']}|{scope.version}|{changed}"


def cache_key(kind, scope, text):
    digest = hashlib.md5(f"{_version_tag(scope)}|{text}".encode()).hexdigest()
    return f"{kind}:{digest}"


def cache_get(key):
    try:
        return caches["public"].get(key)
    except Exception:  # an unreachable Redis: serve the request without the cache
        logger.warning("public cache unavailable (get %s)", key, exc_info=True)
        return None


def cache_set(key, value):
    try:
        caches["public"].set(key, value)
    except Exception:
        logger.warning("public cache unavailable (set %s)", key, exc_info=True)


class ResponseCache:
    """(status, body, etag, location) of a public GET, by URL and content version."""

    @property
    def enabled(self):
        return settings.GOVPORTAL_API_CACHE_ENTRIES > 0

    def get(self, scope, url):
        return cache_get(cache_key("response", scope, url)) if self.enabled else None

    def put(self, scope, url, entry):
        if self.enabled and len(entry[1]) <= MAX_ENTRY_BYTES:
            cache_set(cache_key("response", scope, url), entry)

    def clear(self):
        try:
            caches["public"].clear()
        except Exception:
            logger.warning("public cache unavailable (clear)", exc_info=True)


response_cache = ResponseCache()


def memo(scope, kind, key, build, size=len):
    """`build()` once per content version and key, shared like the responses; a value whose
    `size` exceeds MAX_MEMO_IDS is returned but not kept."""
    name = cache_key(kind, scope, repr(key))
    value = cache_get(name)
    if value is None:
        value = build()
        if size(value) <= MAX_MEMO_IDS:
            cache_set(name, value)
    return value
