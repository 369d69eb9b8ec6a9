"""Password expiry (等保 2.0 level 3); the composition and reuse rules are in validators.py."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone


def password_age_limit():
    return timedelta(days=settings.GOVPORTAL_PASSWORD_MAX_AGE_DAYS)


def password_expires_at(user):
    changed = user.password_changed_at or user.date_joined
    return changed + password_age_limit()


def password_expired(user):
    return timezone.now() >= password_expires_at(user)


def days_until_expiry(user):
    """Whole days left, or None when the warning period has not started."""
    left = password_expires_at(user) - timezone.now()
    if left > timedelta(days=settings.GOVPORTAL_PASSWORD_EXPIRY_WARNING_DAYS):
        return None
    return max(0, left.days)


def must_change_password(user):
    """First login, an administrator's reset, or an expired password."""
    return user.must_change_password or password_expired(user)


@receiver(user_logged_in, dispatch_uid="govportal_password_expiry_warning")
def _warn_before_expiry(sender, request, user, **kwargs):
    days = days_until_expiry(user)
    if days is not None and not must_change_password(user) and hasattr(request, "_messages"):
        messages.warning(request, f"您的密码将在 {days} 天后过期，请尽快在“修改密码”中设置新密码。")
