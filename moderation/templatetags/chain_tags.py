"""Chinese labels for workflow and task states (Wagtail's own are untranslated in zh-hans)."""

from django import template

register = template.Library()

TASK_STATUS = {
    "in_progress": "审批中",
    "approved": "同意",
    "rejected": "退回修改",
    "skipped": "跳过",
    "cancelled": "已撤回",
}
WORKFLOW_STATUS = {
    "in_progress": "审批中",
    "approved": "审批完成",
    "needs_changes": "退回修改",
    "cancelled": "已撤回",
}


@register.filter
def task_status(state):
    return TASK_STATUS.get(state.status, state.status)


@register.filter
def workflow_status(state):
    return WORKFLOW_STATUS.get(state.status, state.status)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0)


@register.filter
def app_label(model):
    return model._meta.app_label


@register.filter
def model_name(model):
    return model._meta.model_name
