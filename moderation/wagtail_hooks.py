from django.contrib import messages
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log

from govportal.accounts.roles import is_administrator
from pages.publishing import publish_refusal

from . import (
    calendar_hooks,  # noqa: F401
    views,
)
from .notifications import AdminNotification
from .review import queue_for
from .viewsets import ORGANISATION_MENU_HOOK, OrganisationGroup

LOG_ACTIONS = {
    "govportal.delegate": "设置代为审批",
    "govportal.reassign": "重新指定审批人",
    "govportal.unpublish_reason": "取消发布（含理由）",
    "govportal.delete_reason": "删除（含理由）",
    "govportal.confidentiality_review": "保密审查",
    "govportal.scan_dismissal": "排除误报",
}


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("review/", views.review_queue, name="moderation_queue"),
        path("review/<int:task_state_id>/", views.review_detail, name="moderation_review"),
        path("review/<int:task_state_id>/reassign/", views.reassign_view, name="moderation_reassign"),
        path("review/mine/", views.my_items, name="moderation_my_items"),
        path("review/form/<int:page_id>/", views.approval_form, name="moderation_approval_form"),
        path("review/delegations/", views.delegations, name="moderation_delegations"),
        path("review/scan/<int:page_id>/", views.scan_findings, name="moderation_scan"),
        path("desk/", views.submission_desk, name="moderation_desk"),
        path("notifications/read/", views.mark_notifications_read, name="moderation_notifications_read"),
    ]


class QueueMenuItem(MenuItem):
    def get_context(self, request):
        context = super().get_context(request)
        count = queue_for(request.user).count()
        if count:
            context["label"] = f"待我审批（{count}）"
        return context

    def is_shown(self, request):
        return queue_for(request.user).exists() or request.user.groups.exists()


@hooks.register("register_admin_menu_item")
def desk_menu_item():
    return MenuItem("信息报送", reverse("moderation_desk"), icon_name="doc-full", order=40)


@hooks.register("register_admin_menu_item")
def queue_menu_item():
    return QueueMenuItem("待我审批", reverse("moderation_queue"), icon_name="tasks", order=50)


@hooks.register("register_admin_menu_item")
def my_items_menu_item():
    return MenuItem("我的稿件", reverse("moderation_my_items"), icon_name="doc-full-inverse", order=60)


class DelegationsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_set_delegations(request.user)


@hooks.register("register_admin_menu_item")
def delegations_menu_item():
    return DelegationsMenuItem("代为审批", reverse("moderation_delegations"), icon_name="user", order=70)


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_administrator(request.user)


@hooks.register(ORGANISATION_MENU_HOOK)
def leadership_menu_item():
    return AdministratorMenuItem(
        "局领导分工",
        reverse("wagtailsettings:edit", args=["moderation", "bureauleadership"]),
        icon_name="user",
        order=20,
    )


@hooks.register(ORGANISATION_MENU_HOOK)
def accounts_menu_item():
    return AdministratorMenuItem(
        "账号与角色", reverse("wagtailusers_users:index"), icon_name="user", order=40
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


class NotificationsPanel(Component):
    order = 50

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        notes = list(AdminNotification.objects.filter(user=self.request.user, read_at__isnull=True)[:10])
        queue = queue_for(self.request.user).count()
        items = "".join(
            str(
                format_html(
                    '<li><a href="{}">{}</a> <small>{}</small></li>',
                    n.url or "#",
                    n.message,
                    n.created_at.strftime("%m-%d %H:%M"),
                )
            )
            for n in notes
        )
        queue_line = (
            format_html(
                '<p><a class="button button-small" href="{}">待我审批：{} 件</a></p>',
                reverse("moderation_queue"),
                queue,
            )
            if queue
            else ""
        )
        if not notes and not queue_line:
            return ""
        mark_read = (
            format_html(
                '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<button type="submit" class="button button-small button-secondary">全部标为已读</button></form>',
                reverse("moderation_notifications_read"),
                get_token(self.request),
            )
            if notes
            else ""
        )
        return format_html(
            '<section class="panel summary nice-padding" aria-labelledby="gp-notes"><h2 id="gp-notes">消息提醒</h2>{}<ul>{}</ul>{}</section>',
            queue_line,
            format_html(items) if items else "",
            mark_read,
        )


@hooks.register("construct_homepage_panels")
def add_notifications_panel(request, panels):
    panels.insert(0, NotificationsPanel(request))


# ---- No bypass: publishing, copying, unpublishing and deleting -------------------------------


def _is_item(page):
    return hasattr(page.specific_deferred if hasattr(page, "specific_deferred") else page, "department_id")


@hooks.register("before_edit_page")
def refuse_direct_publish_on_edit(request, page):
    if request.method == "POST" and "action-publish" in request.POST and _is_item(page):
        messages.error(
            request,
            "信息须经审批流程（部门初审、分管领导、意识形态复核、局长终审）后由办公室发布，不能直接发布。请使用“提交审批”。",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def refuse_direct_publish_on_create(request, parent_page, page_class):
    if request.method == "POST" and "action-publish" in request.POST and hasattr(page_class, "column_kinds"):
        messages.error(request, "新建信息不能直接发布，请保存草稿后提交审批。")
        return redirect(
            "wagtailadmin_pages:add", page_class._meta.app_label, page_class._meta.model_name, parent_page.pk
        )
    return None


@hooks.register("construct_page_action_menu")
def hide_publish_for_items(menu_items, request, context):
    page = context.get("page")
    if page is None:
        return
    # Items are published only by the chain; structure pages are not submitted to it.
    hidden = "action-publish" if _is_item(page) else "action-submit"
    menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != hidden]


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type == "publish":
        refused = [obj.title for obj in objects if publish_refusal(obj.specific, obj.get_latest_revision())]
        if refused:
            messages.error(request, f"以下信息未完成审批流程，不能批量发布：{'、'.join(refused[:5])}")
            return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))
    return None


@hooks.register("before_copy_page")
def refuse_publish_copies(request, page):
    if request.method == "POST" and request.POST.get("publish_copies") and _is_item(page):
        messages.error(request, "复制的信息不能直接发布，须作为新稿件提交审批。")
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


def _reason_or_refuse(request, page, action, label):
    if request.method != "POST":
        return None
    if not is_administrator(request.user):
        messages.error(request, f"只有管理员可以{label}已发布的信息。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    if not (request.POST.get("reason") or "").strip():
        messages.error(request, f"请填写{label}理由。")
        return redirect(request.path)
    return None


def _log_reason(request, page, action):
    reason = (request.POST.get("reason") or "").strip()
    if reason:
        log(instance=page.specific, action=action, user=request.user, data={"reason": reason})


def _is_draft(page):
    return not page.live and page.first_published_at is None


@hooks.register("before_unpublish_page")
def unpublish_needs_reason(request, page):
    return _reason_or_refuse(request, page, "govportal.unpublish_reason", "取消发布")


@hooks.register("after_unpublish_page")
def record_unpublish_reason(request, page):
    _log_reason(request, page, "govportal.unpublish_reason")


@hooks.register("before_delete_page")
def delete_needs_reason(request, page):
    if _is_draft(page):
        return None  # a never-published draft: its department may discard it
    return _reason_or_refuse(request, page, "govportal.delete_reason", "删除")


@hooks.register("after_delete_page")
def record_delete_reason(request, page):
    _log_reason(request, page, "govportal.delete_reason")


@hooks.register("construct_main_menu")
def hide_help_menu(request, menu_items):
    # Wagtail's "Help" menu links to English documentation on the internet.
    menu_items[:] = [item for item in menu_items if item.name != "help"]
