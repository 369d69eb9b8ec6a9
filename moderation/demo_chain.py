"""Walks demo items through the chain with the demo people, as they would in the admin."""

from django.test.utils import override_settings
from wagtail.models import WorkflowState

from govportal.accounts.roles import OPERATORS_GROUP

from .chain import ChainTaskState


def author_for(department):
    """A drafter who is not also an approver of a step (nobody approves their own work)."""
    drafters = department.staff.exclude(groups__name=OPERATORS_GROUP).order_by("pk")
    return drafters.first() or department.heads.order_by("pk").first()


def submit(page, author):
    """Save a revision and start the page's workflow as `author` (提交审批)."""
    page._submission_review = {
        "user": author,
        "review_verified": True,
        "review_no_secrets": True,
        "review_no_personal": True,
    }
    revision = page.save_revision(user=author)
    workflow = page.get_workflow()
    workflow.start(page, author)
    return revision


def advance(page, steps, opinions=None):
    """Approve `steps` chain steps of the page's current submission by their approvers."""
    opinions = opinions or {}
    for _ in range(steps):
        workflow_state = WorkflowState.objects.for_instance(page).active().get()
        task_state = ChainTaskState.objects.get(pk=workflow_state.current_task_state_id)
        approver = task_state.approvers.order_by("pk").first()
        task = task_state.task.specific
        task.on_action(
            task_state,
            approver,
            "approve",
            comment=opinions.get(task.step_number, "同意"),
            confidentiality_confirmed=True,
        )


def send_back(page, comment):
    workflow_state = WorkflowState.objects.for_instance(page).active().get()
    task_state = ChainTaskState.objects.get(pk=workflow_state.current_task_state_id)
    approver = task_state.approvers.order_by("pk").first()
    task_state.task.specific.on_action(task_state, approver, "reject", comment=comment)


def quietly():
    """Demo seeding sends no e-mail."""
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
