"""A small in-process cache: fresh entries for a short TTL, stale ones kept as a fallback for
when the CMS is down, and one in-flight fetch per key so a burst of requests costs one call."""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any


class Unavailable(Exception):
    """The source could not answer and nothing usable is cached."""


class TTLCache:
    def __init__(self, ttl: float, stale_ttl: float, max_entries: int = 20000, clock=time.monotonic):
        self.ttl = ttl
        self.stale_ttl = stale_ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._inflight: dict[Any, asyncio.Future] = {}
        # Bumped on purge, so a fetch started before the purge does not store its old answer.
        self._generation = 0

    def __len__(self):
        return len(self._entries)

    def get(self, key, *, allow_stale=False):
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, value = entry
        age = self._clock() - stored_at
        if age <= self.ttl or (allow_stale and age <= self.stale_ttl):
            self._entries.move_to_end(key)
            return value
        return None

    def set(self, key, value):
        self._entries[key] = (self._clock(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def discard(self, key):
        self._entries.pop(key, None)

    def purge(self):
        """Forget everything fresh: keep the entries as stale fallbacks only."""
        self._generation += 1
        expired = self._clock() - self.ttl - 1
        for key, (_, value) in list(self._entries.items()):
            self._entries[key] = (expired, value)

    async def get_or_fetch(self, key, fetch: Callable[[], Awaitable[Any]], *, is_failure=None):
        """Return a fresh value, fetching it at most once concurrently. If the fetch raises
        Unavailable, fall back to a stale value; if there is none, re-raise."""
        value = self.get(key)
        if value is not None:
            return value
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        generation = self._generation
        try:
            value = await fetch()
        except Unavailable as exc:
            stale = self.get(key, allow_stale=True)
            if stale is None:
                future.set_exception(exc)
                future.exception()  # mark retrieved: waiters re-raise it themselves
                raise
            future.set_result(stale)
            return stale
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()
            raise
        finally:
            self._inflight.pop(key, None)
        if generation == self._generation:
            self.set(key, value)
        future.set_result(value)
        return value
