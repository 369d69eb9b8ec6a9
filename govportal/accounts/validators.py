from django.core.exceptions import ValidationError


class NotCurrentPasswordValidator:
    """A password change must change the password: the current one is refused."""

    def validate(self, password, user=None):
        if user is not None and user.pk and user.check_password(password):
            raise ValidationError("新密码不能与当前密码相同。", code="password_unchanged")

    def get_help_text(self):
        return "新密码不能与当前密码相同。"
