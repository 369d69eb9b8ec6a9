from django.contrib import messages
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from govportal.accounts.roles import is_administrator
from pages.items import is_item
from pages.viewsets import SiteManagerMenuItem

from . import (
    calendar_hooks,  # noqa: F401
    views,
)
from .notifications import AdminNotification
from .review import item_for, queue_for, stalled_steps
from .viewsets import ORGANISATION_MENU_HOOK, OrganisationGroup

LOG_ACTIONS = {
    "govportal.delegate": "设置代为审批",
    "govportal.reassign": "重新指定审批人",
    "govportal.unpublish_reason": "取消发布（含理由）",
    "govportal.delete_reason": "删除（含理由）",
    "govportal.withdraw": "撤回（含理由）",
    "govportal.staff_change": "调整部门工作人员",
    "govportal.restart_changed": "修改后重新提交，从部门初审重新审批",
    "govportal.back_to_director": "发布前修改文字，退回局长终审",
    "govportal.purge": "清除（保存期满，含理由）",
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
        path("withdraw/<int:page_id>/", views.withdraw_view, name="moderation_withdraw"),
        path("review/department/", views.department_staff, name="moderation_department_staff"),
        path("withdraw/<int:page_id>/purge/", views.purge_view, name="moderation_purge"),
        path("notifications/read/", views.mark_notifications_read, name="moderation_notifications_read"),
    ]


def queue_count(request):
    """How many items wait for this user, worked out once per request: the sidebar, its badge and
    the dashboard all ask, and each answer checks every candidate step's acting rules."""
    if not hasattr(request, "_govportal_queue_count"):
        request._govportal_queue_count = queue_for(request.user).count()
    return request._govportal_queue_count


class QueueMenuItem(MenuItem):
    def get_context(self, request):
        context = super().get_context(request)
        count = queue_count(request)
        if count:
            context["label"] = f"待我审批（{count}）"
        return context

    def is_shown(self, request):
        return bool(queue_count(request)) or request.user.groups.exists()


@hooks.register("register_admin_menu_item")
def desk_menu_item():
    return MenuItem("信息报送", reverse("moderation_desk"), icon_name="doc-full", order=40)


@hooks.register("register_admin_menu_item")
def queue_menu_item():
    return QueueMenuItem("待我审批", reverse("moderation_queue"), icon_name="tasks", order=50)


@hooks.register("register_admin_menu_item")
def my_items_menu_item():
    return MenuItem("我的稿件", reverse("moderation_my_items"), icon_name="doc-full-inverse", order=60)


class HeadsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.headed_departments.exists()


@hooks.register("register_admin_menu_item")
def department_staff_menu_item():
    return HeadsMenuItem("本部门人员", reverse("moderation_department_staff"), icon_name="group", order=65)


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
def column_mapping_menu_item():
    # The Office's screen of which departments feed which column (a view of pages).
    return SiteManagerMenuItem("栏目分工", reverse("pages_column_mapping"), icon_name="list-ul", order=30)


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
        queue = queue_count(self.request)
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


class StalledStepsPanel(Component):
    """The administrator sees every step that waits on someone who cannot act."""

    order = 40

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        stalled = stalled_steps()
        if not stalled:
            return ""
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>（{}）：{}。<a href="{}">重新指定审批人</a></li>',
            (
                (
                    reverse("moderation_review", args=[state.pk]),
                    item_for(state).title,
                    state.task.name,
                    reason,
                    reverse("moderation_reassign", args=[state.pk]),
                )
                for state, reason in stalled
            ),
        )
        return format_html(
            '<section class="panel summary nice-padding" aria-labelledby="gp-stalled">'
            '<h2 id="gp-stalled">无人可办理的审批环节（{} 个）</h2><ul>{}</ul></section>',
            len(stalled),
            rows,
        )


@hooks.register("construct_homepage_panels")
def add_notifications_panel(request, panels):
    panels.insert(0, NotificationsPanel(request))
    if is_administrator(request.user):
        panels.insert(0, StalledStepsPanel(request))


# ---- No bypass: publishing, copying, unpublishing and deleting -------------------------------


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
    hidden = "action-publish" if is_item(page) else "action-submit"
    menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != hidden]


class WithdrawMenuItem(ActionMenuItem):
    """撤回 in the editor's action menu: the administrator, on a published item."""

    label = "撤回（填写理由）"
    name = "action-withdraw"
    icon_name = "warning"
    order = 60

    def is_shown(self, context):
        page = context.get("page")
        return page is not None and page.live and is_item(page) and is_administrator(context["request"].user)

    def get_url(self, context):
        return reverse("moderation_withdraw", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def withdraw_menu_item():
    return WithdrawMenuItem()


@hooks.register("construct_main_menu")
def hide_help_menu(request, menu_items):
    # Wagtail's "Help" menu links to English documentation on the internet.
    menu_items[:] = [item for item in menu_items if item.name != "help"]
