"""Creates the one chain workflow and assigns it to the site (idempotent)."""

from django.contrib.auth.models import Group
from wagtail.models import Page, Task, Workflow, WorkflowPage, WorkflowTask

from .chain import CHAIN_TASK_TYPES, CHAIN_WORKFLOW_NAME


def ensure_chain_workflow(root_page=None):
    """The workflow 信息发布审批流程 with its five steps in order, assigned to `root_page`
    (the site's home page) so every item below it goes through the chain."""
    workflow, _ = Workflow.objects.get_or_create(name=CHAIN_WORKFLOW_NAME, defaults={"active": True})
    for order, task_class in enumerate(CHAIN_TASK_TYPES):
        name = task_class._meta.verbose_name
        task = task_class.objects.filter(name=name).first() or task_class.objects.create(name=name)
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    _retire_stock_workflow(workflow)
    return workflow


def _retire_stock_workflow(chain):
    # Wagtail installs a "Moderators approval" workflow and task on the root and two groups
    # with publish rights; none fits the bureau's chain, so they are switched off (hidden from
    # the workflow screens) or removed.
    root = Page.get_first_root_node()
    WorkflowPage.objects.filter(page=root).exclude(workflow__name=CHAIN_WORKFLOW_NAME).delete()
    Workflow.objects.exclude(name=CHAIN_WORKFLOW_NAME).filter(active=True).update(active=False)
    Task.objects.exclude(workflow_tasks__workflow=chain).filter(active=True).update(active=False)
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()
