"""Chinese labels for workflow and task states (Wagtail's own are untranslated in zh-hans)."""

from django import template
from wagtail.models import Revision

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


@register.filter(name="item_version")
def version_number(revision_id):
    """An item's own version number (1, 2, 3 … in the order it was saved), not the database id
    of the revision, which counts every page of the site."""
    if not revision_id:
        return ""
    revision = Revision.objects.filter(pk=revision_id).only("base_content_type_id", "object_id").first()
    if revision is None:
        return ""
    return Revision.objects.filter(
        base_content_type_id=revision.base_content_type_id, object_id=revision.object_id, pk__lte=revision_id
    ).count()
