"""The audit administrator's screens (审计管理员): every security record and every content
action, read only. Nobody, superusers included, can add, edit or delete a record here."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from .models import SecurityEvent
from .roles import can_read_audit

READ_ONLY_ACTIONS = {"view"}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Only "view", and only for the audit administrator: audit records are never edited."""

    def user_has_permission(self, user, action):
        return action in READ_ONLY_ACTIONS and can_read_audit(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return self.model._meta.default_manager.none()


class SecurityEventViewSet(ModelViewSet):
    model = SecurityEvent
    icon = "history"
    menu_label = "安全审计记录"
    menu_order = 630
    add_to_settings_menu = True
    name = "security_events"
    list_display = ["created_at", "kind", "username", "actor", "ip_address", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "actor", "detail"]
    list_export = ["created_at", "kind", "username", "actor", "ip_address", "detail"]
    export_filename = "安全审计记录"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # no add or edit view is reachable (ReadOnlyPolicy)


def content_log(request):
    """Every content action (submit, approve, send back, publish, delete, …) and every change
    of other records Wagtail logs, newest first."""
    if not can_read_audit(request.user):
        raise PermissionDenied("只有审计管理员可以查看全部操作记录。")
    kind = "model" if request.GET.get("kind") == "model" else "page"
    entries = (ModelLogEntry if kind == "model" else PageLogEntry).objects.select_related("user")
    page = Paginator(entries.order_by("-timestamp", "-id"), 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "accounts/content_log.html", {"entries": page, "kind": kind})
