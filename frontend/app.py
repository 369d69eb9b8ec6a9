"""The application factory: routes, the page cache, error pages, static assets, the file
proxy for attachments and the signed purge endpoint the CMS calls on publish/unpublish."""

import contextlib
import gzip
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from . import prefs as reading_prefs
from . import views
from .api import CMSClient, NotFound
from .assets import IMMUTABLE, AssetManifest
from .cache import TTLCache, Unavailable
from .config import Settings
from .security import BodyLimitMiddleware, SecurityHeadersMiddleware
from .templating import make_environment

log = logging.getLogger("frontend")

PURGE_MAX_SKEW = 300  # seconds a signed purge call stays valid
HTML = "text/html; charset=utf-8"
PAGE_CACHE_CONTROL = "public, max-age=0, must-revalidate"
ERROR_TITLES = {
    404: ("页面不存在", "您访问的页面不存在或已被删除。请检查网址，或从首页、站内搜索查找所需信息。"),
    500: ("页面出错了", "很抱歉，页面暂时无法显示。我们已记录此问题，请稍后再试。"),
    503: ("网站维护中", "很抱歉，网站内容暂时无法获取，请稍后刷新页面再试。"),
}
FILE_PREFIXES = ("documents/", "media/images/", "media/original_images/", "media/documents/")


@dataclass(frozen=True)
class Page:
    """A rendered page as the cache keeps it: body, its gzip and its validator."""

    status: int
    body: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def from_html(cls, html: str, status: int = 200):
        body = html.encode("utf-8")
        return cls(
            status, body, gzip.compress(body, 6, mtime=0), '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        )

    def response(self, request, cache_control=PAGE_CACHE_CONTROL):
        headers = {"Cache-Control": cache_control, "ETag": self.etag, "Vary": "Accept-Encoding, Cookie"}
        if self.status == 200 and request.headers.get("if-none-match") == self.etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(self.gzipped, status_code=self.status, headers=headers, media_type=HTML)
        return Response(self.body, status_code=self.status, headers=headers, media_type=HTML)


class Portal:
    """Everything a view needs: settings, the API client, templates, assets and caches."""

    def __init__(self, settings: Settings, transport=None):
        self.settings = settings
        self.api = CMSClient(settings, transport=transport)
        self.assets = AssetManifest()
        api = urlsplit(settings.api_url)
        self.cms_origin = f"{api.scheme}://{api.netloc}"
        self.cms_origins = {self.cms_origin, *settings.cms_origins}
        self.env = make_environment(self.assets, self.rewrite_cms_urls)
        self.pages = TTLCache(settings.cache_ttl, settings.stale_ttl, max_entries=5000)
        self.trees = {}

    def rewrite_cms_urls(self, html: str) -> str:
        """Point links to CMS-hosted files at this site, which serves (or exports) them."""
        for origin in self.cms_origins:
            html = html.replace(origin + "/", "/")
        return html

    def file_url(self, url: str | None) -> str:
        if not url:
            return ""
        parts = urlsplit(url)
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" not in self.cms_origins:
            if not parts.path.lstrip("/").startswith(FILE_PREFIXES):
                return url
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def context(self, request, **values):
        chosen = reading_prefs.from_request(request)
        path = request.url.path
        return {
            "request_path": path,
            "current": path + (f"?{request.url.query}" if request.url.query else ""),
            "prefs": chosen,
            "export": self.settings.static_export,
            "file_url": self.file_url,
            **values,
        }

    def render_html(self, request, template, **values) -> str:
        return self.env.get_template(template).render(self.context(request, **values))

    def render(self, request, template, status=200, **values) -> Page:
        return Page.from_html(self.render_html(request, template, **values), status)

    def render_uncached(self, request, template, status=200, **values) -> Response:
        html = self.render_html(request, template, **values)
        return Response(html, status_code=status, media_type=HTML, headers={"Cache-Control": "no-store"})

    async def error_page(self, request, status: int) -> Page:
        tree = None
        with contextlib.suppress(Exception):
            tree = await views.load_site(self)
        title, message = ERROR_TITLES.get(status, ERROR_TITLES[500])
        return self.render(
            request,
            "error.html",
            status=status,
            tree=tree,
            title=title,
            message=message,
            code=status,
            breadcrumbs=[{"title": "首页", "path": "/"}, {"title": title, "path": request.url.path}],
            meta={},
        )

    async def cached_page(self, request, view, *args) -> Response:
        chosen = reading_prefs.from_request(request)
        key = (request.url.path, request.url.query, chosen.encode())

        async def produce():
            try:
                return await view(self, request, *args)
            except NotFound:
                return await self.error_page(request, 404)

        page = await self.pages.get_or_fetch(key, produce)
        return page.response(request)

    def purge(self):
        self.api.cache.purge()
        self.pages.purge()

    async def aclose(self):
        await self.api.aclose()


def purge_headers_plausible(secret: str, timestamp: str, signature: str, now=None) -> bool:
    """What can be checked before the body is read: a secret, a fresh timestamp, a signature
    shaped like a SHA-256 hex digest."""
    if not secret or not timestamp.isdigit() or len(signature.strip()) != 64:
        return False
    return abs((now or time.time()) - int(timestamp)) <= PURGE_MAX_SKEW


def verify_purge(secret: str, timestamp: str, body: bytes, signature: str, now=None) -> bool:
    """HMAC-SHA256 over "<timestamp>.<body>" with the shared secret; at most 5 minutes old."""
    if not purge_headers_plausible(secret, timestamp, signature, now):
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


class SpentSignatures:
    """Purge signatures already honoured, kept for as long as they would verify: each signed
    call purges once, a replay is refused."""

    def __init__(self, clock=time.time):
        self.clock = clock
        self._seen = {}

    def spend(self, signature: str) -> bool:
        """True the first time a signature is seen (within its validity)."""
        now = self.clock()
        for old in [s for s, at in self._seen.items() if now - at > 2 * PURGE_MAX_SKEW]:
            del self._seen[old]
        key = signature.strip().lower()
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def sign_purge(secret: str, body: bytes, timestamp: int | None = None) -> dict:
    """The headers a purge call carries (the CMS side does the same; used in tests)."""
    timestamp = str(int(timestamp or time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Purge-Timestamp": timestamp, "X-Purge-Signature": signature}


def create_app(settings: Settings | None = None, transport=None) -> Starlette:
    settings = settings or Settings.from_env()
    portal = Portal(settings, transport=transport)

    def page(view):
        async def endpoint(request):
            return await portal.cached_page(request, view)

        return endpoint

    def listing_page(view):
        async def endpoint(request):
            number = int(request.path_params.get("number", 1))
            return await portal.cached_page(request, view, number)

        return endpoint

    async def question(request):
        if request.method == "POST":
            return await views.submit_question(portal, request)
        return await views.question_form(portal, request)

    async def question_status(request):
        return await views.question_status(portal, request)

    async def set_prefs(request):
        return await views.set_prefs(portal, request)

    async def static(request):
        asset = portal.assets.by_hashed.get(request.path_params["path"])
        cache_control = IMMUTABLE
        if asset is None:
            asset = portal.assets.by_logical.get(request.path_params["path"])
            cache_control = "public, max-age=300"
        if asset is None:
            raise HTTPException(404)
        headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
        if asset.gzipped and "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(asset.gzipped, headers=headers, media_type=asset.media_type)
        return Response(asset.content, headers=headers, media_type=asset.media_type)

    async def cms_file(request):
        """Attachments and images live in the CMS; the public only ever talks to this site."""
        path = request.url.path.lstrip("/")
        if not path.startswith(FILE_PREFIXES) or ".." in path:
            raise HTTPException(404)
        try:
            upstream = await portal.api.stream_file(portal.cms_origin + request.url.path)
        except Exception as exc:
            raise Unavailable(str(exc)) from exc
        if upstream.status_code != 200:
            await upstream.aclose()
            raise HTTPException(404 if upstream.status_code in (403, 404) else 503)
        headers = {"Cache-Control": "public, max-age=3600"}
        # The CMS's own Content-Security-Policy and nosniff for files are kept, not replaced.
        for name in (
            "content-type",
            "content-length",
            "content-disposition",
            "last-modified",
            "etag",
            "content-security-policy",
            "x-content-type-options",
        ):
            if name in upstream.headers:
                headers[name] = upstream.headers[name]
        return StreamingResponse(
            upstream.aiter_raw(), headers=headers, background=BackgroundTask(upstream.aclose)
        )

    async def preview(request):
        return await views.preview(portal, request)

    spent = SpentSignatures()

    async def purge(request):
        timestamp = request.headers.get("x-purge-timestamp", "")
        signature = request.headers.get("x-purge-signature", "")
        # Refused before the body is read unless the headers could possibly be valid.
        if not purge_headers_plausible(settings.purge_secret, timestamp, signature):
            return views.plain_response("invalid signature", 403)
        body = await request.body()
        if not verify_purge(settings.purge_secret, timestamp, body, signature):
            return views.plain_response("invalid signature", 403)
        if not spent.spend(signature):
            return views.plain_response("signature already used", 403)
        portal.purge()
        log.info("cache purged by the CMS")
        return Response(status_code=204)

    async def not_found(request, exc):
        return (await portal.error_page(request, 404)).response(request)

    async def http_error(request, exc):
        if exc.status_code == 404:
            return await not_found(request, exc)
        if exc.status_code in (301, 302, 303, 307, 308):
            return Response(status_code=exc.status_code, headers=exc.headers)
        page = await portal.error_page(request, exc.status_code if exc.status_code in ERROR_TITLES else 500)
        return Response(page.body, status_code=exc.status_code, media_type=HTML)

    async def unavailable(request, exc):
        log.warning("CMS unavailable for %s: %s", request.url.path, exc)
        page = await portal.error_page(request, 503)
        response = page.response(request, cache_control="no-store")
        response.headers["Retry-After"] = "60"
        return response

    async def server_error(request, exc):
        log.exception("error rendering %s", request.url.path, exc_info=exc)
        try:
            page = await portal.error_page(request, 500)
            return Response(page.body, status_code=500, media_type=HTML)
        except Exception:
            return Response(
                "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>页面出错了</title>"
                "<h1>页面出错了</h1><p>很抱歉，页面暂时无法显示，请稍后再试。</p>",
                status_code=500,
                media_type=HTML,
            )

    routes = [
        Route("/", page(views.home)),
        Route("/search/", page(views.search)),
        Route("/xxgk/", listing_page(views.catalogue)),
        Route("/xxgk/index_{number:int}.html", listing_page(views.catalogue)),
        Route("/xxgk/fdzdgknr/", page(views.statutory_list)),
        Route("/wuzhangai/", page(views.accessibility)),
        Route("/liuyan/", question, methods=["GET", "POST"]),
        Route("/liuyan/chaxun/", question_status),
        Route("/prefs/", set_prefs),
        Route("/_purge/", purge, methods=["POST"]),
        Route("/_preview/", preview),
        Route("/static/{path:path}", static),
        Route("/documents/{path:path}", cms_file),
        Route("/media/{path:path}", cms_file),
        Route("/{path:path}", page(views.content)),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        await portal.aclose()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SecurityHeadersMiddleware,
                admin_origin=settings.admin_origin or portal.cms_origin,
                hsts_seconds=settings.hsts_seconds,
            ),
            Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(GZipMiddleware, minimum_size=800),
        ],
        exception_handlers={
            HTTPException: http_error,
            NotFound: not_found,
            Unavailable: unavailable,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    app.state.portal = portal
    return app
