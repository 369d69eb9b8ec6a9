from django import forms
from django.contrib.auth import forms as auth_forms
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with the password rules' errors beside 新密码, where the user types it,
    rather than beside its confirmation."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form without "remember me" (admin sessions always end when the browser
    closes or after SESSION_COOKIE_AGE of inactivity); its password field has no label of its
    own, so Django showed the field's English name."""

    remember = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"
