"""Writes the security audit trail (SecurityEvent) from Django's and django-axes' signals, so
every login, failure, lockout and logout is recorded with time, account and address, and
every change of roles (group membership) and permissions with who made it."""

from contextvars import ContextVar

from axes.conf import settings as axes_settings
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import GroupCollectionPermission, GroupPagePermission

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


# --- role and permission changes ---------------------------------------------------------------

_acting_user = ContextVar("govportal_acting_user", default="")


class ActingUserMiddleware:
    """Remembers who makes the request, so that changes recorded from model signals (which
    carry no request) name the account that made them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _acting_user.set(user.get_username() if user is not None and user.is_authenticated else "")
        try:
            return self.get_response(request)
        finally:
            _acting_user.reset(token)


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="govportal_security_roles")
def _groups_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    verb = "加入" if action == "post_add" else "移出"
    if reverse:  # users added to or removed from one group
        usernames = get_user_model().objects.filter(pk__in=pk_set).values_list("username", flat=True)
        pairs = [(name, instance.name) for name in usernames]
    else:
        groups = Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)
        pairs = [(instance.get_username(), name) for name in groups]
    for username, group in pairs:
        record(Kind.ROLE_CHANGE, username=username, actor=_acting_user.get(), detail=f"{verb}“{group}”")


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="govportal_security_group_permissions")
def _group_permissions_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set or reverse:
        return
    verb = "授予" if action == "post_add" else "收回"
    names = ", ".join(Permission.objects.filter(pk__in=pk_set).values_list("codename", flat=True))
    record(
        Kind.PERMISSION_CHANGE,
        actor=_acting_user.get(),
        detail=f"组“{instance.name}”{verb}权限：{names}"[:500],
    )


def _object_permission_changed(sender, instance, created=None, **kwargs):
    verb = "删除" if created is None else "授予"
    record(
        Kind.PERMISSION_CHANGE,
        actor=_acting_user.get(),
        detail=f"组“{instance.group.name}”{verb}{instance._meta.verbose_name}：{_permission_label(instance.permission)}"
        f"（{_permission_target(instance)}）"[:500],
    )


_PERMISSION_VERBS = {
    "add": "添加",
    "change": "修改",
    "delete": "删除",
    "view": "查看",
    "publish": "发布",
    "lock": "锁定",
    "unlock": "解锁",
    "choose": "选用",
    "bulk_delete": "批量删除",
}


def _permission_label(permission):
    # Permission names are English ("Can add page"); the audit trail reads in Chinese.
    model = permission.content_type.model_class()
    subject = str(model._meta.verbose_name) if model is not None else ""
    for codename, word in sorted(_PERMISSION_VERBS.items(), key=lambda item: -len(item[0])):
        if permission.codename.startswith(codename + "_"):
            return f"{word}{subject}"
    return permission.codename


def _permission_target(permission):
    # Wagtail's own str() of these rows is English ("Group 'x' has permission ... on page ...").
    if isinstance(permission, GroupPagePermission):
        page = permission.page
        return "页面树根" if page.is_root() else f"页面“{page.title}”"
    collection = permission.collection
    return "全部文件夹" if collection.is_root() else f"文件夹“{collection.name}”"


for _model in (GroupPagePermission, GroupCollectionPermission):
    post_save.connect(
        _object_permission_changed, sender=_model, dispatch_uid=f"govportal_perm_save_{_model.__name__}"
    )
    post_delete.connect(
        _object_permission_changed, sender=_model, dispatch_uid=f"govportal_perm_delete_{_model.__name__}"
    )
