"""The leadership chain (RULES.md §3): one Wagtail workflow whose five task types each resolve
their approvers from the item's department, recorded when the item is submitted."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision, Task, TaskState, WorkflowState
from wagtail.signals import task_submitted

from govportal import known_rows
from govportal.accounts.roles import OPERATORS_GROUP

from .changes import changes_between, words_changed
from .confidentiality import open_findings
from .forms import ApprovalForm, SendBackForm
from .organisation import BureauLeadership


class ChainError(PermissionDenied):
    """A transition that is not allowed; the message (Chinese) says why."""


class ChainRouting(models.Model):
    """Who approves one submission, resolved from the item's department at submission time, so
    a later change of the organisation does not silently reroute an item already in review."""

    workflow_state = models.OneToOneField(
        WorkflowState, on_delete=models.CASCADE, related_name="chain_routing"
    )
    department = models.ForeignKey(
        "moderation.Department", verbose_name="报送部门", on_delete=models.PROTECT, related_name="+"
    )
    heads = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="部门负责人", related_name="+")
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="分管领导", on_delete=models.PROTECT, related_name="+"
    )
    ideology_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="意识形态复核", on_delete=models.PROTECT, related_name="+"
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="局长", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("确定时间", auto_now_add=True)
    # Approvals of steps from `restart_step` on count only if given after `restarted_at`: a
    # changed resubmission restarts at step 1, a change of words at step 5 at step 4.
    restart_step = models.PositiveSmallIntegerField("重新审批起始环节", default=1)
    restarted_at = models.DateTimeField("重新审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "审批路径"

    def restart_from(self, step):
        self.restart_step = step
        self.restarted_at = timezone.now()
        self.save(update_fields=["restart_step", "restarted_at"])

    def approval_counts(self, step_number, task_state):
        return (
            self.restarted_at is None
            or step_number < self.restart_step
            or (task_state.finished_at is not None and task_state.finished_at >= self.restarted_at)
        )

    def __str__(self):
        return f"{self.department} → {self.supervising_leader} → {self.ideology_leader} → {self.director}"

    @classmethod
    def for_workflow_state(cls, workflow_state):
        existing = cls.objects.filter(workflow_state=workflow_state).first()
        if existing is not None:
            return existing
        return cls.resolve(workflow_state)

    @classmethod
    def resolve(cls, workflow_state):
        page = workflow_state.content_object.specific
        department = getattr(page, "department", None)
        if department is None:
            raise ChainError("该页面没有所属部门，无法确定审批人。")
        leadership = BureauLeadership.load()
        heads = list(department.heads.all())
        missing = [
            label
            for label, value in (
                ("部门负责人", heads),
                ("分管领导", department.supervising_leader_id),
                ("分管意识形态工作负责同志", leadership.ideology_leader_id),
                ("局长", leadership.director_id),
            )
            if not value
        ]
        if missing:
            raise ChainError(f"审批人未设置：{'、'.join(missing)}。请联系管理员在“组织机构”中设置。")
        routing = cls.objects.create(
            workflow_state=workflow_state,
            department=department,
            supervising_leader_id=department.supervising_leader_id,
            ideology_leader_id=leadership.ideology_leader_id,
            director_id=leadership.director_id,
        )
        routing.heads.set(heads)
        return routing


class ChainTaskState(TaskState):
    """One run of a chain step: who may act (recorded at its start) and who acted for whom."""

    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="审批人", related_name="chain_task_states"
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代为审批（被代理人）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confidentiality_confirmed = models.BooleanField("已确认保密审查", default=False)

    class Meta:
        verbose_name = "审批环节记录"

    def get_comment(self):
        return self.comment


class Delegation(models.Model):
    """代为审批: a leader away names a person to act on their steps for a date range."""

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="委托人",
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受托人",
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    reason = models.CharField("事由", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "代为审批授权"
        verbose_name_plural = "代为审批授权"
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.principal} → {self.delegate}（{self.starts_on} 至 {self.ends_on}）"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
        if self.principal_id and self.principal_id == self.delegate_id:
            raise ValidationError({"delegate": "不能委托给本人。"})
        if self.delegate_id:
            problem = cannot_act_reason(self.delegate)
            if problem:
                raise ValidationError({"delegate": problem})


def cannot_act_reason(user):
    """Why this account cannot be made responsible for a step (a Chinese message), or None."""
    if not user.is_active:
        return f"{user.display_name} 的账号已停用，不能承担审批。"
    if not user.has_perm("wagtailadmin.access_admin"):
        return f"{user.display_name} 没有后台访问权限，不能承担审批。"
    return None


def _built_once(revision):
    """The page as `revision` holds it. Revision.as_object() rebuilds it from the JSON (five
    queries) at every call; on this instance it is built once, for the scan and the approval's
    log entry, which only read it (publishing builds its own from a fresh revision)."""
    built = revision.as_object()
    revision.as_object = lambda: built
    return built


def _owner_id(workflow_state):
    return Page.objects.filter(pk=workflow_state.object_id).values_list("owner_id", flat=True).first()


def contributors(task_state, for_step=None):
    """Ids of everyone who wrote what a step reviews: the item's author, the submitter and whoever
    saved a revision since the item was last published, up to the revision under review. They
    never act on a step of it (谁审查谁负责). At step 5 the operators' own typesetting during
    step 5 is their duty there, not authorship (a change of the words goes back to step 4)."""
    workflow_state = task_state.workflow_state
    ids = {workflow_state.requested_by_id, _owner_id(workflow_state)}
    revisions = Revision.objects.filter(
        base_content_type_id=workflow_state.base_content_type_id, object_id=workflow_state.object_id
    )
    if task_state.revision_id:
        revisions = revisions.filter(pk__lte=task_state.revision_id)
    last_published = (
        ChainClearance.objects.filter(
            revision__base_content_type_id=workflow_state.base_content_type_id,
            revision__object_id=workflow_state.object_id,
            used_at__isnull=False,
        )
        .order_by("-used_at")
        .values_list("revision_id", flat=True)
        .first()
    )
    if last_published:
        revisions = revisions.filter(pk__gt=last_published)
    if for_step == 5:
        for started, finished in _publish_step_windows(workflow_state):
            revisions = revisions.exclude(created_at__gte=started, created_at__lte=finished or timezone.now())
    ids.update(revisions.exclude(user_id=None).values_list("user_id", flat=True))
    ids.discard(None)
    return ids


def _publish_step_windows(workflow_state):
    return ChainTaskState.objects.filter(
        workflow_state__base_content_type_id=workflow_state.base_content_type_id,
        workflow_state__object_id=workflow_state.object_id,
        task_id__in=OfficePublishTask.objects.values("pk"),
    ).values_list("started_at", "finished_at")


def principals_delegating_to(user, day=None):
    """Users whose steps `user` may act on today through a delegation."""
    day = day or timezone.localdate()
    return get_user_model().objects.filter(
        delegations_given__delegate=user,
        delegations_given__starts_on__lte=day,
        delegations_given__ends_on__gte=day,
    )


class ChainClearance(models.Model):
    """The revision an operator approved at the end of the chain. It clears that revision for
    one publication: publishing any other revision, or this one again after a withdrawal, is
    refused (see moderation.guards)."""

    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="chain_clearance")
    workflow_state = models.ForeignKey(WorkflowState, on_delete=models.CASCADE, related_name="+")
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "发布许可"

    def __str__(self):
        return f"revision {self.revision_id}"


class ChainTask(Task):
    """Base of the five chain steps: approvers recorded on the task state, content locked."""

    task_state_class = ChainTaskState
    step_number = 0
    publishes = False

    class Meta:
        abstract = True

    def resolve_approvers(self, routing):
        raise NotImplementedError

    def start(self, workflow_state, user=None):
        routing = ChainRouting.for_workflow_state(workflow_state)
        if self._resumed_with_changes(workflow_state):
            # Changed content is reviewed again from the first step by everyone (先审查后公开).
            routing.restart_from(1)
            log(
                instance=workflow_state.content_object.specific,
                action="govportal.restart_changed",
                user=user,
                data={"from_step": self.name},
            )
        due = self._step_due(workflow_state, routing)
        if due.pk != self.pk:
            return due.start(workflow_state, user)
        task_state = ChainTaskState(workflow_state=workflow_state, task=self)
        task_state.status = TaskState.STATUS_IN_PROGRESS
        task_state.revision = workflow_state.content_object.get_latest_revision()
        task_state.save()
        task_state.approvers.set(self.resolve_approvers(routing))
        task_submitted.send(sender=ChainTaskState, instance=task_state, user=user)
        return task_state

    def _resumed_with_changes(self, workflow_state):
        """Whether the author resubmits after this step sent the item back, with other content."""
        last = workflow_state.task_states.order_by("-pk").first()
        if last is None or last.task_id != self.pk or last.status != TaskState.STATUS_REJECTED:
            return False
        page = workflow_state.content_object.specific
        return bool(changes_between(page, last.revision, page.get_latest_revision()))

    def _step_due(self, workflow_state, routing):
        """The earliest step up to this one without an approval that counts: steps run strictly
        in order, whatever Wagtail's own bookkeeping would skip."""
        approved = ChainTaskState.objects.filter(
            workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
        ).select_related("task")
        for task in workflow_state.workflow.tasks.filter(active=True):
            step = task.specific
            if step.pk == self.pk:
                return self
            if not any(
                state.task_id == step.pk and routing.approval_counts(step.step_number, state)
                for state in approved
            ):
                return step
        return self

    # Who may act ---------------------------------------------------------------------------

    def acting_capacity(self, task_state, user, day=None):
        """(may act, the approver acted for when through a delegation)."""
        if not user.is_authenticated or not user.is_active:
            return False, None
        authors = contributors(task_state, for_step=self.step_number)
        if user.pk in authors:
            return False, None
        approvers = task_state.approvers.exclude(pk__in=authors)
        if approvers.filter(pk=user.pk).exists():
            return True, None
        principal = principals_delegating_to(user, day).filter(pk__in=approvers).first()
        return (principal is not None), principal

    def refusal_message(self, task_state, user):
        if user.is_authenticated:
            workflow_state = task_state.workflow_state
            if user.pk in (workflow_state.requested_by_id, _owner_id(workflow_state)):
                return "您是该稿件的作者，不能审批本稿件。"
            if user.pk in contributors(task_state, for_step=self.step_number):
                return (
                    "您修改过该稿件的待审内容，不能审批本稿件（谁审查谁负责，审批人不能审批自己写的内容）。"
                )
        names = "、".join(u.display_name for u in task_state.approvers.all()) or "（未指定）"
        return f"该稿件正在“{self.name}”环节，您不是此环节的审批人（审批人：{names}）。"

    def _current_state_for(self, obj):
        task_state = obj.current_workflow_task_state
        if task_state is None or task_state.task_id != self.pk:
            return None
        return task_state

    # Wagtail Task API ---------------------------------------------------------------------

    def get_actions(self, obj, user):
        task_state = self._current_state_for(obj)
        if task_state is None or not self.acting_capacity(task_state, user)[0]:
            return []
        return [
            ("reject", "退回修改", True),
            ("approve", "发布" if self.publishes else "同意", True),
        ]

    def get_form_for_action(self, action):
        if action == "reject":
            return SendBackForm
        return ApprovalForm.for_step(self)

    def on_action(self, task_state, user, action_name, **kwargs):
        # One transaction; the saves inside (task and workflow states, the page, log entries)
        # validate the same foreign keys again and again: each row is looked up once.
        with transaction.atomic(), known_rows.remembered():
            task_state = ChainTaskState.objects.select_for_update().get(pk=task_state.pk)
            _, principal = self.check_can_act(task_state, user)
            comment = (kwargs.get("comment") or "").strip()
            if action_name == "reject":
                if not comment:
                    raise ChainError("退回修改须填写退回意见。")
                self._record_actor(task_state, principal, kwargs)
                task_state.reject(user=user, comment=comment)
            elif action_name == "approve":
                self.approve(task_state, user, principal, comment or "同意", kwargs)
            else:
                raise ChainError("未知的审批操作。")
        # Wagtail's action view redirects to what on_action returns; None means "the default".
        return None

    def check_can_act(self, task_state, user):
        """Checks against the task state itself, never against ids from the URL. Returns the
        acting capacity (may act, principal) or raises ChainError."""
        if task_state.task_id != self.pk:
            raise ChainError("审批环节与稿件不符。")
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            raise ChainError(f"该稿件的“{self.name}”环节已办结，不能重复操作。")
        workflow_state = task_state.workflow_state
        if workflow_state.status != WorkflowState.STATUS_IN_PROGRESS or (
            workflow_state.current_task_state_id != task_state.pk
        ):
            raise ChainError("该稿件当前不在此审批环节。")
        capacity = self.acting_capacity(task_state, user)
        if not capacity[0]:
            raise ChainError(self.refusal_message(task_state, user))
        return capacity

    def _record_actor(self, task_state, principal, kwargs):
        # Written by the save in Wagtail's TaskState.approve()/reject(), in the same statement
        # as the outcome.
        task_state.acting_for = principal
        if kwargs.get("confidentiality_confirmed"):
            task_state.confidentiality_confirmed = True

    def approve(self, task_state, user, principal, comment, kwargs):
        self.before_approve(task_state, user, kwargs)
        self._record_actor(task_state, principal, kwargs)
        task_state.approve(user=user, comment=comment)

    def before_approve(self, task_state, user, kwargs):
        """Step-specific checks before approval (the head's confidentiality confirmation)."""

    def user_can_access_editor(self, obj, user):
        return False

    def locked_for_user(self, obj, user):
        # While in review the content is locked for everyone (先审查后公开): what was approved
        # is what goes on to the next step.
        return True

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not user.is_authenticated:
            return TaskState.objects.none()
        principals = principals_delegating_to(user)
        candidates = ChainTaskState.objects.filter(task=self, status=TaskState.STATUS_IN_PROGRESS).filter(
            Q(approvers=user) | Q(approvers__in=principals)
        )
        ids = [state.pk for state in candidates.distinct() if self.acting_capacity(state, user)[0]]
        return TaskState.objects.filter(pk__in=ids)


class DepartmentHeadTask(ChainTask):
    """保密审查及科室初审: the head of the item's department confirms the secrecy review and approves."""

    step_number = 1

    class Meta:
        verbose_name = "保密审查及科室初审"
        verbose_name_plural = "保密审查及科室初审"

    def resolve_approvers(self, routing):
        return routing.heads.all()

    def before_approve(self, task_state, user, kwargs):
        # The head's approval at this step is the confirmation of the confidentiality review
        # (the approval form says so); it is recorded on the task state and the 审批单.
        kwargs["confidentiality_confirmed"] = True

    @classmethod
    def get_description(cls):
        return "由稿件所属部门的负责人进行保密审查和初步审批。"


class SupervisingLeaderTask(ChainTask):
    """分管领导审批: the leader who supervises the item's department."""

    step_number = 2

    class Meta:
        verbose_name = "分管领导审批"
        verbose_name_plural = "分管领导审批"

    def resolve_approvers(self, routing):
        return [routing.supervising_leader]

    @classmethod
    def get_description(cls):
        return "由分管稿件所属部门的局领导审批。"


class IdeologyReviewTask(ChainTask):
    """意识形态复核: the leader in charge of ideological work re-checks every item."""

    step_number = 3

    class Meta:
        verbose_name = "意识形态复核"
        verbose_name_plural = "意识形态复核"

    def resolve_approvers(self, routing):
        return [routing.ideology_leader]

    @classmethod
    def get_description(cls):
        return "由分管意识形态工作负责同志复核。"


class DirectorReviewTask(ChainTask):
    """局长终审: the Director's final review of every item."""

    step_number = 4

    class Meta:
        verbose_name = "局长终审"
        verbose_name_plural = "局长终审"

    def resolve_approvers(self, routing):
        return [routing.director]

    @classmethod
    def get_description(cls):
        return "由党组书记、局长终审。"


class OfficePublishTask(ChainTask):
    """办公室发布: a General Office operator typesets, categorises and publishes (or schedules)."""

    step_number = 5
    publishes = True

    class Meta:
        verbose_name = "办公室发布"
        verbose_name_plural = "办公室发布"

    def resolve_approvers(self, routing):
        return get_user_model().objects.filter(groups__name=OPERATORS_GROUP, is_active=True)

    def user_can_access_editor(self, obj, user):
        task_state = self._current_state_for(obj)
        return task_state is not None and self.acting_capacity(task_state, user)[0]

    def locked_for_user(self, obj, user):
        # Only the operators of this step may edit: layout, column and category.
        return not self.user_can_access_editor(obj, user)

    def approve(self, task_state, user, principal, comment, kwargs):
        workflow_state = task_state.workflow_state
        self._require_every_step(workflow_state)
        page = workflow_state.content_object.specific
        revision = page.get_latest_revision()
        # The operators' own changes are scanned like the author's before anything goes public.
        findings = open_findings(_built_once(revision))
        if findings:
            raise ChainError(
                f"自动检查发现 {len(findings)} 处可能涉密或未脱敏的内容，不能发布："
                + "；".join(str(f) for f in findings[:10])
            )
        changes = changes_between(page, task_state.revision, revision)
        if words_changed(changes):
            self._back_to_director(task_state, user, changes)
            return
        # One INSERT … ON CONFLICT DO NOTHING: a clearance given before stays as it was.
        ChainClearance.objects.bulk_create(
            [ChainClearance(revision=revision, workflow_state=workflow_state, cleared_by=user)],
            ignore_conflicts=True,
        )
        self._record_actor(task_state, principal, kwargs)
        if task_state.revision_id == revision.pk:
            task_state.revision = revision  # Wagtail's approval log reuses the object built above
        task_state.approve(user=user, comment=comment)

    def _require_every_step(self, workflow_state):
        """Clear nothing unless each of the four leadership steps approved this submission —
        whatever the workflow's settings say (a step disabled or removed shortens nothing)."""
        routing = ChainRouting.for_workflow_state(workflow_state)
        approved = ChainTaskState.objects.filter(
            workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
        ).select_related("task")
        missing = [
            step._meta.verbose_name
            for step in CHAIN_TASK_TYPES[:-1]
            if not any(
                issubclass(state.task.specific_class, step)
                and routing.approval_counts(step.step_number, state)
                for state in approved
            )
        ]
        if missing:
            raise ChainError(f"审批流程不完整，缺少：{'、'.join(missing)}，不能发布。")

    def _back_to_director(self, task_state, user, changes):
        """A change of the words at step 5 is the Director's to approve (局长终审) first."""
        labels = "、".join(change.label for change in changes if change.words_changed)
        workflow_state = task_state.workflow_state
        ChainRouting.for_workflow_state(workflow_state).restart_from(DirectorReviewTask.step_number)
        # Cancelling moves the workflow on; the strict step order then starts 局长终审 again.
        task_state.cancel(user=user, comment=f"发布前修改了文字（{labels}），退回局长终审。")
        log(
            instance=workflow_state.content_object.specific,
            action="govportal.back_to_director",
            user=user,
            data={"fields": labels},
        )

    @classmethod
    def get_description(cls):
        return "由办公室网站操作员排版、分类后发布（或定时发布）。"


CHAIN_TASK_TYPES = [
    DepartmentHeadTask,
    SupervisingLeaderTask,
    IdeologyReviewTask,
    DirectorReviewTask,
    OfficePublishTask,
]
CHAIN_WORKFLOW_NAME = "信息发布审批流程"


def waiting_since(task_state):
    return timezone.now() - task_state.started_at


def format_waiting(delta: datetime.timedelta):
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return "不足1小时"
    if hours < 48:
        return f"{hours}小时"
    return f"{hours // 24}天"
