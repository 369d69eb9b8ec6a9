"""JSON responses, errors and the response cache keyed by the public content version.

Every public GET reads the version (one indexed query), then serves the cached body when the
same URL was answered at that version (by this or, with a shared cache, any other worker). A publish, unpublish, edit of a live page, move or
delete bumps the version in the same transaction, so no process can serve a stale answer."""

import hashlib
import json
from functools import wraps

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags

from .cache import response_cache
from .scope import get_scope, get_scope_with

CACHE_CONTROL = "public, max-age=60"


class APIError(Exception):
    def __init__(self, message, status=400, errors=None, headers=None):
        super().__init__(message)
        self.message, self.status, self.errors, self.headers = message, status, errors, headers or {}


def json_response(data, status=200, headers=None):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def error_response(error):
    data = {"message": error.message}
    if error.errors:
        data["errors"] = error.errors
    response = json_response(data, status=error.status, headers=error.headers)
    response["Cache-Control"] = "no-store"
    return response


def public_endpoint(view=None, *, prefetch=None):
    """Wrap a read-only view: GET/HEAD only, 4xx JSON errors, caching and validators.
    `prefetch(**kwargs)` -> (statement, arguments, make_row): a row the view needs, read in
    the same statement as the content version; `request.prefetched()` gives it to the view
    (None when there is no such row), built only on a cache miss."""
    if view is None:
        return lambda view: public_endpoint(view, prefetch=prefetch)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return error_response(APIError("只支持 GET 请求。", status=405, headers={"Allow": "GET, HEAD"}))
        try:
            if prefetch is None:
                scope = get_scope()
            else:
                statement, arguments, make_row = prefetch(**kwargs)
                scope, values = get_scope_with(statement, *arguments)
                request.prefetched = lambda: make_row(values)
            key = request.get_full_path()
            entry = response_cache.get(scope, key)
            if entry is None:
                try:
                    response = view(request, scope, *args, **kwargs)
                except APIError as error:
                    response = error_response(error)
                    response["Cache-Control"] = CACHE_CONTROL
                entry = (
                    response.status_code,
                    response.content,
                    f'"{hashlib.md5(response.content).hexdigest()[:20]}"',
                    response.get("Location"),
                )
                if response.status_code in (200, 302, 400, 404):
                    response_cache.put(scope, key, entry)
            return _finish(request, scope, entry)
        except APIError as error:
            return error_response(error)

    return wrapper


def _finish(request, scope, entry):
    status, body, etag, location = entry
    if status == 200 and etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
        if location:
            response["Location"] = location
    response["ETag"] = etag
    if scope.changed_at:
        if "last_modified" not in scope.extra:  # once per content version
            scope.extra["last_modified"] = http_date(scope.changed_at.timestamp())
        response["Last-Modified"] = scope.extra["last_modified"]
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept-Encoding"
    return response
