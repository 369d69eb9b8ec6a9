"""Writes the security audit trail (SecurityEvent) from Django's and django-axes' signals, so
every login, failure, lockout and logout is recorded with time, account and address."""

from axes.conf import settings as axes_settings
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from govportal.addresses import client_address

from .models import SecurityEvent

Kind = SecurityEvent.Kind


def _address(request=None, address=None):
    address = address or (client_address(request) if request is not None else None)
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def record(kind, *, username="", request=None, actor="", detail="", address=None):
    """Append one record; `actor` is the account that acted when it is not `username` itself."""
    return SecurityEvent.objects.create(
        kind=kind,
        username=str(username or "")[:255],
        actor=str(actor or "")[:255],
        ip_address=_address(request, address),
        detail=str(detail or "")[:500],
    )


@receiver(user_logged_in, dispatch_uid="govportal_security_login")
def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, username=user.get_username(), request=request)


@receiver(user_logged_out, dispatch_uid="govportal_security_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, username=user.get_username(), request=request)


@receiver(user_login_failed, dispatch_uid="govportal_security_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Set by the axes backend when the lockout already stood before this attempt.
    locked = getattr(request, "axes_locked_out", False)
    record(
        Kind.LOGIN_FAILED,
        username=credentials.get("username", ""),
        request=request,
        detail="锁定期间的登录尝试" if locked else "用户名或密码错误",
    )


@receiver(user_locked_out, dispatch_uid="govportal_security_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    # axes signals again for each refused attempt during the lock: record the lock once.
    since = timezone.now() - axes_settings.AXES_COOLOFF_TIME
    address = _address(request, ip_address)
    recent = SecurityEvent.objects.filter(kind=Kind.LOCKOUT, created_at__gte=since)
    same = Q(ip_address=address) | Q(username=username) if username else Q(ip_address=address)
    if recent.filter(same).exists():
        return
    record(
        Kind.LOCKOUT,
        username=username or "",
        address=address,
        detail=f"连续登录失败达到上限，锁定 {int(axes_settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟",
    )
