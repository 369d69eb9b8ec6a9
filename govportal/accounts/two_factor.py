"""Two factors for the admin (django-otp): a TOTP app on the phone plus one-time recovery
codes. Required (GOVPORTAL_2FA_REQUIRED, on in production) for everyone who can approve,
publish or administer; offered to everyone else. Enrolment follows the first-login password
change; the security administrator resets a lost device, and that is recorded."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SecurityEvent
from .roles import can_manage_security, needs_second_factor
from .security_log import record

RECOVERY_CODES = 10
TOTP_NAME = "手机验证器"
RECOVERY_NAME = "备用恢复码"


def second_factor_required(user):
    return settings.GOVPORTAL_2FA_REQUIRED and needs_second_factor(user)


def _next(request):
    url = request.POST.get("next") or request.GET.get("next") or "/admin/"
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) else "/admin/"


def _unconfirmed_totp(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device):
    """The otpauth:// URL as an inline SVG: drawn here, nothing fetched from elsewhere."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def _base32(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def setup(request):
    """Enrolment: scan the QR code, type the 6 digits it shows, keep the recovery codes."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
    if user_has_device(user):
        messages.info(request, "您已启用双因素认证。")
        return redirect(_next(request))
    device = _unconfirmed_totp(user)
    error = None
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        if device.verify_token(token):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                codes = _new_recovery_codes(user)
                record(SecurityEvent.Kind.OTP_ENROL, username=user.get_username(), request=request)
            otp_login(request, device)
            return TemplateResponse(
                request, "accounts/otp_codes.html", {"codes": codes, "next": _next(request)}
            )
        error = "动态口令不正确。请确认手机时间准确，输入验证器当前显示的 6 位数字。"
    return TemplateResponse(
        request,
        "accounts/otp_setup.html",
        {
            "qr": qr_svg(device),
            "secret": _base32(device),
            "error": error,
            "next": _next(request),
            "required": second_factor_required(user),
        },
    )


def verify(request):
    """The second step of every login of an account with a device: a TOTP code or one
    recovery code (which is then used up)."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
    if user.is_verified():
        return redirect(_next(request))
    error = None
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "").lower()
        device = _verified_device(user, token)
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request, f"您使用了一个恢复码，还剩 {left} 个。请妥善保管，用完前请联系安全管理员。"
                )
            return redirect(_next(request))
        record(SecurityEvent.Kind.OTP_FAILED, username=user.get_username(), request=request)
        error = "动态口令或恢复码不正确（恢复码每个只能用一次）。多次输错后需等待更长时间才能再试。"
    return TemplateResponse(request, "accounts/otp_verify.html", {"error": error, "next": _next(request)})


def _verified_device(user, token):
    devices = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in devices.objects.filter(user=user, confirmed=True):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def devices(request):
    """The security administrator's list of accounts with a second factor, to reset a lost one."""
    if not can_manage_security(request.user):
        raise PermissionDenied("只有安全管理员可以管理双因素认证设备。")
    users = get_user_model().objects.filter(totpdevice__confirmed=True).distinct().order_by("username")
    return TemplateResponse(request, "accounts/otp_devices.html", {"users": users})


@require_POST
def reset(request, user_id):
    if not can_manage_security(request.user):
        raise PermissionDenied("只有安全管理员可以重置双因素认证设备。")
    target = get_object_or_404(get_user_model(), pk=user_id)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        StaticDevice.objects.filter(user=target).delete()
        record(
            SecurityEvent.Kind.OTP_RESET,
            username=target.get_username(),
            actor=request.user.get_username(),
            request=request,
            detail=request.POST.get("reason", "")[:200] or "设备丢失",
        )
    messages.success(request, f"已重置“{target.get_username()}”的双因素认证，该账号下次登录时需重新绑定。")
    return redirect("accounts_otp_devices")
