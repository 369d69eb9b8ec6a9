"""The CMS's public API (/api/v2/) as the site needs it: cached, concurrent, and failing in a
way views can turn into a polite page. Nothing else in the front end speaks HTTP to the CMS."""

import json
import logging
from urllib.parse import urlencode, urlsplit

import httpx

from .cache import TTLCache, Unavailable

log = logging.getLogger("frontend.api")

NOT_FOUND = "__not_found__"


class NotFound(Exception):
    """The CMS has no public page or object at this address."""


class CMSClient:
    def __init__(self, settings, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings
        self.base_url = settings.api_url
        self.cache = TTLCache(settings.cache_ttl, settings.stale_ttl)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(settings.api_timeout, connect=min(2.0, settings.api_timeout)),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "govportal-frontend"},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )

    async def aclose(self):
        await self._http.aclose()

    # -- transport ---------------------------------------------------------------------------

    @staticmethod
    def cache_key(path: str, params: dict | None = None) -> str:
        query = urlencode(sorted((k, v) for k, v in (params or {}).items() if v not in (None, "")))
        return f"{path}?{query}"

    def prime(self, path: str, params: dict, value):
        """Store an answer obtained another way (the export's batched listings)."""
        self.cache.set(self.cache_key(path, params), value)

    async def get(self, path: str, params: dict | None = None):
        """GET an API path (relative to /api/v2/) as JSON, through the cache. Raises NotFound
        for a 404 and Unavailable when the CMS cannot answer and nothing is cached."""
        key = self.cache_key(path, params)
        query = key.split("?", 1)[1]

        async def fetch():
            return await self._fetch(path, query)

        value = await self.cache.get_or_fetch(key, fetch)
        if value == NOT_FOUND:
            raise NotFound(key)
        return value

    async def _fetch(self, path, query, redirects=3):
        url = f"{path}?{query}" if query else path
        try:
            response = await self._http.get(url)
        except httpx.HTTPError as exc:
            log.warning("CMS API unreachable: %s %s", url, exc)
            raise Unavailable(str(exc)) from exc
        if response.is_redirect and redirects:
            # pages/find/ redirects to the detail URL built from the CMS's own site hostname,
            # which need not be the address we reach it at: keep only the API-relative part.
            return await self._fetch(*self._api_relative(response.headers["location"]), redirects - 1)
        if response.status_code == 404:
            return NOT_FOUND
        if response.status_code >= 500 or response.status_code == 429:
            log.warning("CMS API error %s for %s", response.status_code, url)
            raise Unavailable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            # A bad filter value and the like: treat as "nothing there" rather than crash.
            log.info("CMS API refused %s: %s %s", url, response.status_code, response.text[:200])
            return NOT_FOUND
        try:
            return response.json()
        except json.JSONDecodeError as exc:
            raise Unavailable("invalid JSON") from exc

    def _api_relative(self, location):
        parts = urlsplit(location)
        marker = urlsplit(self.base_url).path  # e.g. /api/v2/
        path = parts.path
        if marker in path:
            path = path.split(marker, 1)[1]
        return path, parts.query

    async def post(self, path: str, data: dict, client_ip: str | None = None):
        """POST JSON (never cached). Returns (status, body); Unavailable if the CMS is down."""
        headers = {"X-Forwarded-For": client_ip} if client_ip else {}
        try:
            response = await self._http.post(path, json=data, headers=headers)
        except httpx.HTTPError as exc:
            raise Unavailable(str(exc)) from exc
        if response.status_code >= 500:
            raise Unavailable(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except json.JSONDecodeError:
            body = {}
        return response.status_code, body

    async def get_uncached(self, path: str, params: dict | None = None):
        """GET without the cache (e.g. a question's status, which changes as it is processed)."""
        try:
            response = await self._http.get(path, params=params)
        except httpx.HTTPError as exc:
            raise Unavailable(str(exc)) from exc
        if response.status_code == 404:
            raise NotFound(path)
        if response.status_code >= 500:
            raise Unavailable(f"HTTP {response.status_code}")
        return response.status_code, response.json()

    async def stream_file(self, url: str):
        """Open a streamed GET of a CMS file (attachments): the caller iterates and closes."""
        request = self._http.build_request("GET", url)
        return await self._http.send(request, stream=True)
