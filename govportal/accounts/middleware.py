from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .passwords import must_change_password
from .two_factor import second_factor_required

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
# Before the second factor: the same, plus the enrolment and verification screens.
_ALLOWED_BEFORE_SECOND_FACTOR = _ALLOWED_URL_NAMES + ("accounts_otp_setup", "accounts_otp_verify")


class ForcePasswordChangeMiddleware:
    """Send every account that must change its password (first login, administrator's reset,
    expired) to the change form before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and must_change_password(user):
            if not _may_pass(request, _ALLOWED_URL_NAMES):
                return _send_to(request, "accounts_password_change", "请先修改密码。")
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password (and any forced password change), every page needs a verified second
    factor from an account that has a device, and enrolment from one that must have one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or must_change_password(user)  # the password change comes first
            or _may_pass(request, _ALLOWED_BEFORE_SECOND_FACTOR)
        ):
            return self.get_response(request)
        if user_has_device(user):
            return _send_to(request, "accounts_otp_verify", "请先完成双因素认证。")
        if second_factor_required(user):
            return _send_to(request, "accounts_otp_setup", "请先启用双因素认证。")
        return self.get_response(request)


def _may_pass(request, url_names):
    allowed_paths = {reverse(name) for name in url_names}
    asset_prefixes = (settings.STATIC_URL, settings.MEDIA_URL, "/api/")
    return request.path in allowed_paths or request.path.startswith(asset_prefixes)


def _send_to(request, url_name, refusal):
    """A page the user opens goes to the form; a script's request gets a plain refusal, never
    the form's HTML."""
    if not _is_page_load(request):
        return HttpResponseForbidden(refusal, content_type="text/plain; charset=utf-8")
    url = reverse(url_name)
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
