"""Queries and rules behind the review screens: who sees what, an item's rounds, transitions."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from govportal.accounts.roles import department_ids, is_administrator, is_site_manager
from pages.models import ITEM_PAGE_MODELS

from .chain import (
    ChainError,
    ChainRouting,
    ChainTaskState,
    cannot_act_reason,
    contributors,
    principals_delegating_to,
)


def queue_for(user):
    """Task states in progress that `user` may act on (as approver or delegate), oldest first;
    never the user's own work (the task's acting rules decide)."""
    principals = principals_delegating_to(user)
    candidates = (
        ChainTaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
        .filter(Q(approvers=user) | Q(approvers__in=principals))
        .filter(workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)
        .select_related("task", "workflow_state")
        .distinct()
    )
    ids = [state.pk for state in candidates if state.task.specific.acting_capacity(state, user)[0]]
    return (
        ChainTaskState.objects.filter(pk__in=ids)
        .select_related("task", "workflow_state", "workflow_state__requested_by", "revision")
        .order_by("started_at")
    )


def item_for(task_state):
    return task_state.workflow_state.content_object.specific


def can_view_item(user, page):
    """Approvers of any round, the department's people, operators and administrators."""
    if is_site_manager(user):
        return True
    if getattr(page, "department_id", None) in department_ids(user):
        return True
    states = ChainTaskState.objects.filter(
        workflow_state__base_content_type=page.get_base_content_type(),
        workflow_state__object_id=str(page.pk),
    )
    principals = principals_delegating_to(user)
    return states.filter(Q(approvers=user) | Q(approvers__in=principals)).exists()


@dataclass
class Round:
    workflow_state: WorkflowState
    steps: list


def rounds_of(page):
    """Every submission of an item with each step's state, opinion, signer and time."""
    rounds = []
    workflow_states = (
        WorkflowState.objects.for_instance(page)
        .select_related("requested_by", "workflow")
        .order_by("created_at")
    )
    for workflow_state in workflow_states:
        steps = list(
            ChainTaskState.objects.filter(workflow_state=workflow_state)
            .select_related("task", "finished_by", "acting_for", "revision")
            .prefetch_related("approvers")
            .order_by("started_at", "pk")
        )
        rounds.append(Round(workflow_state, steps))
    return rounds


def why_stalled(task_state):
    """Why nobody can act on an in-progress step (a Chinese sentence), or None if someone can."""
    authors = contributors(task_state, for_step=task_state.task.specific.step_number)
    reasons = []
    for approver in task_state.approvers.all():
        problem = cannot_act_reason(approver)
        if problem is None and approver.pk in authors:
            problem = f"{approver.display_name} 是该稿件的作者或修改过待审内容"
        if problem is None:
            return None
        delegate = (
            get_user_model()
            .objects.filter(
                delegations_received__principal=approver,
                delegations_received__starts_on__lte=timezone.localdate(),
                delegations_received__ends_on__gte=timezone.localdate(),
            )
            .exclude(pk__in=authors)
            .first()
        )
        if delegate is not None and cannot_act_reason(delegate) is None:
            return None
        reasons.append(problem.rstrip("。"))
    return "；".join(reasons) or "未指定审批人"


def stalled_steps():
    """Steps in progress that wait on people who cannot act, for the administrator's dashboard."""
    states = (
        ChainTaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, workflow_state__status=WorkflowState.STATUS_IN_PROGRESS
        )
        .select_related("task", "workflow_state")
        .prefetch_related("approvers")
        .order_by("started_at")
    )
    return [(state, reason) for state in states if (reason := why_stalled(state))]


def previous_approval(task_state):
    """The same step's last approval of this item before this run (an earlier round), whose
    revision the approver compares with what is before them now."""
    workflow_state = task_state.workflow_state
    return (
        ChainTaskState.objects.filter(
            workflow_state__base_content_type_id=workflow_state.base_content_type_id,
            workflow_state__object_id=workflow_state.object_id,
            task_id=task_state.task_id,
            status=TaskState.STATUS_APPROVED,
            pk__lt=task_state.pk,
        )
        .exclude(revision=None)
        .select_related("revision", "finished_by")
        .order_by("-pk")
        .first()
    )


def perform(task_state, user, action, data):
    """Approve or send back through the task itself (all checks live there)."""
    task = task_state.task.specific
    return task.on_action(task_state, user, action, **data)


@transaction.atomic
def reassign(task_state, administrator, approvers, reason):
    """The administrator reroutes a stuck step to other people, with a recorded reason."""
    if not is_administrator(administrator):
        raise ChainError("只有管理员可以重新指定审批人。")
    if not reason.strip():
        raise ChainError("请填写重新指定审批人的理由。")
    task_state = ChainTaskState.objects.select_for_update().get(pk=task_state.pk)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ChainError("该环节已办结，无需重新指定。")
    if not approvers:
        raise ChainError("请至少指定一名审批人。")
    authors = contributors(task_state, for_step=task_state.task.specific.step_number)
    for approver in approvers:
        problem = cannot_act_reason(approver)
        if problem:
            raise ChainError(problem)
        if approver.pk in authors:
            raise ChainError(f"{approver.display_name} 是该稿件的作者或修改过待审内容，不能审批本稿件。")
    before = [u.username for u in task_state.approvers.all()]
    task_state.approvers.set(approvers)
    routing = ChainRouting.objects.filter(workflow_state=task_state.workflow_state).first()
    step = task_state.task.specific.step_number
    if routing is not None and len(approvers) == 1:
        field = {2: "supervising_leader", 3: "ideology_leader", 4: "director"}.get(step)
        if field:
            setattr(routing, field, approvers[0])
            routing.save(update_fields=[field])
        elif step == 1:
            routing.heads.set(approvers)
    log(
        instance=item_for(task_state),
        action="govportal.reassign",
        user=administrator,
        data={
            "task": task_state.task.name,
            "from": before,
            "to": [u.username for u in approvers],
            "reason": reason,
        },
    )
    return task_state


def items_of(user, limit):
    """The `limit` items a user drafted or that belong to their departments, newest first (never
    revised ones first). Each item type gives its own newest `limit` — an index-ordered query —
    so a listing costs the same at any number of items."""
    own = Q(owner=user)
    ids = department_ids(user)
    newest = F("latest_revision_created_at").desc(nulls_first=True)
    results = []
    for model in ITEM_PAGE_MODELS:
        qs = model.objects.filter(own | Q(department_id__in=ids)).select_related("department")
        results.extend(qs.order_by(newest, "-pk")[:limit])
    results.sort(key=lambda p: (p.latest_revision_created_at or timezone.now(), p.pk), reverse=True)
    return results[:limit]


def status_of(page):
    """Where an item stands, in words an author understands."""
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        task_state = workflow_state.current_task_state
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return "returned", f"已退回修改（{task_state.task.name if task_state else ''}）"
        if task_state is not None:
            return "in_review", f"审批中：{task_state.task.name}"
    if page.live and not page.has_unpublished_changes:
        return "published", "已发布"
    if page.live:
        return "published_changed", "已发布（有未发布的修改）"
    if page.go_live_at and page.go_live_at > timezone.now():
        return "scheduled", "定时发布"
    return "draft", "草稿"
