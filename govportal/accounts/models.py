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

    @property
    def display_name(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username
