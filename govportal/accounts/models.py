from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """An account of the CMS. New and administrator-reset accounts must change the password."""

    must_change_password = models.BooleanField(
        "首次登录须修改密码",
        default=True,
        help_text="新建账号或管理员重置密码后，用户登录后必须先修改密码。",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def get_full_name(self):
        """Chinese order, surname first and no space (陈国平), wherever Wagtail shows a name."""
        return f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self):
        # Officials are addressed by their full name; the given name alone is too familiar.
        return self.get_full_name()

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()  # expiry counts from here

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class PasswordHistory(models.Model):
    """Hashes of an account's earlier passwords, so a change cannot go back to one of them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class AuditRecordQuerySet(models.QuerySet):
    """Audit records are append-only: no bulk update, and deletion only past the retention."""

    def update(self, **kwargs):
        raise PermissionError("安全审计记录不可修改。")

    def delete(self):
        raise PermissionError("安全审计记录不可删除。")

    def purge_expired(self):
        """Delete records older than the retention period (never less than 180 days)."""
        days = max(180, settings.GOVPORTAL_AUDIT_RETENTION_DAYS)
        expired = self.filter(created_at__lt=timezone.now() - timedelta(days=days))
        return models.QuerySet.delete(expired)


class SecurityEvent(models.Model):
    """One security-relevant event: logins, failures, lockouts, logouts, password and role
    changes, unlocks and second-factor resets. Written once, never edited."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "登录锁定"
        LOGOUT = "logout", "退出登录"
        UNLOCK = "unlock", "解除锁定"
        PASSWORD_CHANGE = "password_change", "修改密码"
        PASSWORD_RESET = "password_reset", "管理员重置密码"
        ROLE_CHANGE = "role_change", "角色变更"
        PERMISSION_CHANGE = "permission_change", "权限变更"
        OTP_ENROL = "otp_enrol", "绑定双因素认证"
        OTP_RESET = "otp_reset", "重置双因素认证"
        OTP_FAILED = "otp_failed", "动态口令错误"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("事件", max_length=32, choices=Kind.choices, db_index=True)
    username = models.CharField("账号", max_length=255, blank=True, db_index=True)
    actor = models.CharField("操作人", max_length=255, blank=True)
    ip_address = models.GenericIPAddressField("地址", null=True, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "安全审计记录"
        verbose_name_plural = "安全审计记录"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("安全审计记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("安全审计记录不可删除。")
