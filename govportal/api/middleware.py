"""The public API's short way through Django: its reads are anonymous and stateless, so they
skip sessions, CSRF, authentication, second factors, messages and login protection — about
two fifths of what a cached answer cost — and keep the security headers.

Placed right after SecurityMiddleware. Only a GET or HEAD whose path resolves to a view of the
public API takes the short way; anything else (a post of the question form, a path that needs a
slash appended, a 404) passes the whole chain exactly as before."""

from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.urls import Resolver404, resolve

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
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match if match.namespaces[:1] == [API_NAMESPACE] else None
