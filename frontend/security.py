"""Response headers every public page carries, and the request-body limit enforced before a
request body is read. Pure ASGI middleware, so streamed file responses pass untouched."""

# The site uses no script, no inline style and nothing from another host.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; media-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
)
PREVIEW_PATH = "/_preview/"


def security_headers(path, admin_origin, hsts_seconds):
    """The headers for one response. The preview is framed by the CMS admin, nothing else is."""
    preview = path == PREVIEW_PATH and admin_origin
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY.format(
            ancestors=admin_origin if preview else "'none'"
        ),
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }
    if not preview:
        headers["x-frame-options"] = "DENY"
    if hsts_seconds:
        headers["strict-transport-security"] = f"max-age={hsts_seconds}; includeSubDomains"
    return headers


class SecurityHeadersMiddleware:
    """Adds the headers a response does not already carry: the file proxy passes on the CMS's
    own Content-Security-Policy and nosniff for attachments, and those win."""

    def __init__(self, app, admin_origin="", hsts_seconds=31536000):
        self.app, self.admin_origin, self.hsts_seconds = app, admin_origin, hsts_seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = security_headers(scope.get("path", ""), self.admin_origin, self.hsts_seconds)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.decode("latin-1").lower() for name, _ in message.get("headers", [])}
                added = [(k.encode(), v.encode()) for k, v in extra.items() if k not in present]
                message = {**message, "headers": list(message.get("headers", [])) + added}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses a request body over `max_bytes` with 413: at once from Content-Length, and while
    streaming for a chunked body, so a 400 MB POST is never held in memory."""

    def __init__(self, app, max_bytes):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length", b"")
        if length and (not length.isdigit() or int(length) > self.max_bytes):
            return await _too_large(send)
        received, started = 0, False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(send)


async def _too_large(send):
    body = "请求内容过大。".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def client_address(request, trusted_proxies):
    """The citizen's address: the peer, or, when the peer is a trusted proxy, the nearest
    X-Forwarded-For hop that is not itself a trusted proxy."""
    peer = request.client.host if request.client else ""
    if peer not in trusted_proxies:
        return peer or None
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",") if a.strip()]
    for hop in reversed(forwarded):
        if hop not in trusted_proxies:
            return hop[:64]
    return peer
