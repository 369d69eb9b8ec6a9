"""Password rules of 等保 2.0 level 3, run wherever Django validates a password (first-login
change, the administrator's user form, `changepassword`)."""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


class NotCurrentPasswordValidator:
    """A password change must change the password: the current one is refused."""

    def validate(self, password, user=None):
        if user is not None and user.pk and user.check_password(password):
            raise ValidationError("新密码不能与当前密码相同。", code="password_unchanged")

    def get_help_text(self):
        return "新密码不能与当前密码相同。"


CHARACTER_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum() and not c.isspace()),
)


class ComplexityValidator:
    """At least `min_classes` of upper case, lower case, digits and symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for _, test in CHARACTER_CLASSES if any(test(c) for c in password if c.isascii()))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """Refuses the `remember` passwords before the current one; records each new password's
    hash (Django calls password_changed after every saved change)."""

    def __init__(self, remember=5):
        self.remember = remember

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if user.password and check_password(password, user.password):
            return  # the current password: NotCurrentPasswordValidator says so, once
        # The history's newest entry is the current password, so read one more than `remember`.
        earlier = user.password_history.values_list("password", flat=True)[: self.remember + 1]
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                f"新密码不能与最近 {self.remember} 次使用过的密码相同。", code="password_reused"
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        user.password_history.create(password=user.password)
        keep = user.password_history.values_list("pk", flat=True)[: self.remember + 1]
        user.password_history.exclude(pk__in=list(keep)).delete()

    def get_help_text(self):
        return f"不能使用最近 {self.remember} 次使用过的密码。"
