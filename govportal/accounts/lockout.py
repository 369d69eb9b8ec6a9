"""What a locked-out login sees (django-axes' AXES_LOCKOUT_CALLABLE) and the security
administrator's unlock screen."""

from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .forms import LoginForm
from .models import SecurityEvent
from .roles import can_manage_security
from .security_log import record


def lockout_minutes():
    return int(axes_settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message():
    return (
        f"登录失败次数过多（连续 {axes_settings.AXES_FAILURE_LIMIT} 次），该账号或本机地址已被锁定 "
        f"{lockout_minutes()} 分钟。请稍后再试，或联系安全管理员解除锁定。"
    )


def lockout_response(request, original_response=None, credentials=None):
    """The Wagtail login page again, with the lockout explained in Chinese (HTTP 429)."""
    return render(
        request,
        "wagtailadmin/login.html",
        {"form": LoginForm(request), "lockout_message": lockout_message(), "show_password_reset": False},
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )


def _current_locks():
    """Accounts and addresses at or over the failure limit inside the cool-off window."""
    since = timezone.now() - axes_settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    limit = axes_settings.AXES_FAILURE_LIMIT

    def over(field):
        rows = recent.exclude(**{f"{field}__isnull": True}).values(field)
        rows = rows.annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        # "value": the locked account or address, whichever `field` names (one table template).
        return [{**r, "value": r[field]} for r in rows.order_by("-last") if r["failures"] >= limit]

    return {"usernames": over("username"), "addresses": over("ip_address")}


def lockouts(request):
    if not can_manage_security(request.user):
        raise PermissionDenied("只有安全管理员可以查看和解除登录锁定。")
    return TemplateResponse(
        request,
        "accounts/lockouts.html",
        {"locks": _current_locks(), "minutes": lockout_minutes(), "limit": axes_settings.AXES_FAILURE_LIMIT},
    )


@require_POST
def unlock(request):
    if not can_manage_security(request.user):
        raise PermissionDenied("只有安全管理员可以解除登录锁定。")
    username = request.POST.get("username", "").strip()
    address = request.POST.get("ip_address", "").strip()
    if username:
        reset(username=username)
        record(
            SecurityEvent.Kind.UNLOCK, username=username, actor=request.user.get_username(), request=request
        )
        messages.success(request, f"已解除账号“{username}”的登录锁定。")
    elif address:
        reset(ip=address)
        record(
            SecurityEvent.Kind.UNLOCK,
            actor=request.user.get_username(),
            address=address,
            detail=f"解除地址 {address} 的锁定",
        )
        messages.success(request, f"已解除地址 {address} 的登录锁定。")
    else:
        messages.error(request, "请选择要解除锁定的账号或地址。")
    return redirect("accounts_lockouts")
