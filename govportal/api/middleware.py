"""The public API's short way through Django: its reads are anonymous and stateless, so they
skip sessions, CSRF, authentication, second factors, messages and login protection — about
two fifths of what a cached answer cost — and keep the security headers.

Placed right after SecurityMiddleware. Only a GET or HEAD whose path resolves to a view of the
public API takes the short way; anything else (a post of the question form, a path that needs a
slash appended, a 404) passes the whole chain exactly as before."""

import functools

from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.urls import Resolver404, get_resolver

API_PREFIX = "/api/v2/"
API_NAMESPACE = "wagtailapi_v2"
READ_METHODS = ("GET", "HEAD")


class PublicApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # The response middleware of the whole chain that applies to an answer of the API.
        self.read = CommonMiddleware(XFrameOptionsMiddleware(self._view))

    def __call__(self, request):
        if request.method in READ_METHODS and request.path_info.startswith(API_PREFIX):
            match = _api_match(request.path_info)
            if match is not None:
                request.resolver_match = match
                return self.read(request)
        return self.get_response(request)

    @staticmethod
    def _view(request):
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)


def _api_match(path):
    """The API view of `path`, found by the API's own resolver (the one the root URLconf
    includes): half the time of resolving through the whole URLconf, same match."""
    try:
        return _api_resolver(get_resolver()).resolve(path[1:])
    except Resolver404:
        return None


@functools.cache
def _api_resolver(root):
    """The API's resolver among the root URLconf's patterns (keyed by the root resolver, which
    Django itself caches per URLconf)."""
    (resolver,) = [p for p in root.url_patterns if getattr(p, "namespace", None) == API_NAMESPACE]
    return resolver
