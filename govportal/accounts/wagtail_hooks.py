from django.urls import path, reverse
from django.utils.html import format_html
from django_otp import user_has_device
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import MainMenuModule
from wagtail.models import Site
from wagtail.permissions import register_permission_policy
from wagtail.sites.views import IndexView as SiteIndexView

from . import audit, lockout, two_factor
from .models import SecurityEvent
from .roles import can_manage_security, can_read_audit
from .security_log import record

_menu_module_js_args = MainMenuModule.js_args


def _menu_module_js_args_full_name(self):
    # Wagtail's sidebar names the signed-in user by first_name alone, which for a Chinese name
    # is the given name (国平); officials are named in full, surname first (陈国平).
    menu_items, account_items, user = _menu_module_js_args(self)
    return [
        menu_items,
        account_items,
        {**user, "name": self.user.get_full_name() or self.user.get_username()},
    ]


MainMenuModule.js_args = _menu_module_js_args_full_name

# Wagtail's sites listing labels three columns with the bare field name ("Port", "Site name",
# "Root page"), which no catalogue translates; the fields' own verbose names are translated.
for _column in SiteIndexView.columns:
    if _column.name in ("port", "site_name", "root_page"):
        _column.label = Site._meta.get_field(_column.name).verbose_name


def _flag_password_set_by_someone_else(request, user):
    # Wagtail's user forms call set_password when the password fields are filled in.
    if request.POST.get("password1") and request.user.pk != user.pk:
        type(user).objects.filter(pk=user.pk).update(must_change_password=True)
        record(
            SecurityEvent.Kind.PASSWORD_RESET,
            username=user.get_username(),
            actor=request.user.get_username(),
            request=request,
        )


@hooks.register("after_create_user")
def require_change_for_new_account(request, user):
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)


@hooks.register("after_edit_user")
def require_change_after_reset(request, user):
    _flag_password_set_by_someone_else(request, user)


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/lockouts/", lockout.lockouts, name="accounts_lockouts"),
        path("security/lockouts/unlock/", lockout.unlock, name="accounts_unlock"),
        path("security/2fa/", two_factor.devices, name="accounts_otp_devices"),
        path("audit/content/", audit.content_log, name="accounts_content_log"),
        path("security/2fa/<int:user_id>/reset/", two_factor.reset, name="accounts_otp_reset"),
    ]


class SecurityAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_security(request.user)


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return SecurityAdminMenuItem("登录锁定", reverse("accounts_lockouts"), icon_name="lock", order=610)


@hooks.register("register_settings_menu_item")
def otp_devices_menu_item():
    return SecurityAdminMenuItem(
        "双因素认证设备", reverse("accounts_otp_devices"), icon_name="key", order=620
    )


@hooks.register("construct_homepage_panels")
def offer_second_factor(request, panels):
    """The dashboard offers two factors to an account that has none."""
    if not user_has_device(request.user):
        panels.insert(0, OfferSecondFactorPanel())


class OfferSecondFactorPanel(Component):
    name = "offer_second_factor"
    order = 10

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="w-panel help-block help-info" aria-label="双因素认证"><p>您的账号尚未启用双因素认证。'
            '启用后，即使密码泄露，他人也无法登录。<a class="button button-small" href="{}">启用双因素认证</a></p></section>',
            reverse("accounts_otp_setup"),
        )


# Registered before any admin view asks for it (Wagtail's documented place).
register_permission_policy(SecurityEvent, audit.ReadOnlyPolicy(SecurityEvent))


@hooks.register("register_admin_viewset")
def register_security_events():
    return audit.SecurityEventViewSet()


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_audit(request.user)


@hooks.register("register_settings_menu_item")
def content_log_menu_item():
    return AuditMenuItem("内容操作记录", reverse("accounts_content_log"), icon_name="history", order=640)
