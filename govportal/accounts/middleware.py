from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .passwords import must_change_password

# What an account that must change its password may still load: the change form itself, the
# way out, and what every admin page (the form included) fetches by script — the icon sprite
# and the translations. Redirecting those made the icon loader paste the form into the page.
_ALLOWED_URL_NAMES = (
    "accounts_password_change",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
)


class ForcePasswordChangeMiddleware:
    """Send every account that must change its password (first login, administrator's reset,
    expired) to the change form before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and must_change_password(user):
            if not _may_pass(request):
                return _to_change_form(request)
        return self.get_response(request)


def _may_pass(request):
    allowed_paths = {reverse(name) for name in _ALLOWED_URL_NAMES}
    asset_prefixes = (settings.STATIC_URL, settings.MEDIA_URL, "/api/")
    return request.path in allowed_paths or request.path.startswith(asset_prefixes)


def _to_change_form(request):
    """A page the user opens goes to the form; a script's request gets a plain refusal, never
    the form's HTML."""
    if not _is_page_load(request):
        return HttpResponseForbidden("请先修改密码。", content_type="text/plain; charset=utf-8")
    url = reverse("accounts_password_change")
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return redirect(url)


def _is_page_load(request):
    # Browsers say what a request is for (Sec-Fetch-Dest); clients that do not are treated
    # as opening a page unless they announce an XMLHttpRequest.
    destination = request.headers.get("Sec-Fetch-Dest")
    if destination is not None:
        return destination == "document"
    return request.headers.get("X-Requested-With") != "XMLHttpRequest"
