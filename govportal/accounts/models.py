from django.contrib.auth.models import AbstractUser
from django.db import models


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

    @property
    def display_name(self):
        return self.get_full_name() or self.username
