"""Thin admin views of the chain: review queue, review screen, my items, approval form,
delegation and reassignment. Rules live in moderation.chain and moderation.review."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from govportal.accounts.roles import LEADERS_GROUP, department_ids, is_administrator
from pages.items import is_item
from pages.models import ColumnPage

from . import approval_form as approval_form_module
from . import withdrawal
from .chain import ChainError, ChainTaskState, Delegation, format_waiting, waiting_since
from .changes import changes_between
from .confidentiality import FindingDismissal, dismiss, open_findings
from .deadlines import deadline_or_outcome
from .desk import COUNT_LABELS, desk_table
from .forms import SendBackForm
from .notifications import AdminNotification
from .organisation import Department
from .review import (
    can_view_item,
    item_for,
    items_of,
    perform,
    previous_approval,
    queue_for,
    reassign,
    rounds_of,
    status_of,
)


def deny(request, message):
    """A refused action answers 403 with the reason in Chinese (not a silent redirect)."""
    return TemplateResponse(request, "403.html", {"message": message}, status=403)


def _deadline(page):
    try:
        return deadline_or_outcome(page)
    except Exception:  # noqa: BLE001 — an item without a usable date must not break a listing
        return None


def review_queue(request):
    """待我审批: exactly the items awaiting the user, with department, step and waiting time."""
    rows = []
    for task_state in queue_for(request.user):
        page = item_for(task_state)
        rows.append(
            {
                "task_state": task_state,
                "page": page,
                "department": getattr(page, "department", None),
                "waiting": format_waiting(waiting_since(task_state)),
                "deadline": _deadline(page),
                "delegated": not task_state.approvers.filter(pk=request.user.pk).exists(),
            }
        )
    return TemplateResponse(request, "moderation/queue.html", {"rows": rows})


def review_detail(request, task_state_id):
    """Read an item as submitted and approve or send it back (phone-friendly)."""
    task_state = get_object_or_404(ChainTaskState, pk=task_state_id)
    page = item_for(task_state)
    task = task_state.task.specific
    if not can_view_item(request.user, page):
        return deny(request, task.refusal_message(task_state, request.user))
    may_act = task.acting_capacity(task_state, request.user)[0] and task_state.status == "in_progress"
    approve_form = task.get_form_for_action("approve")(prefix="approve")
    send_back_form = SendBackForm(prefix="reject")
    if request.method == "POST":
        action = request.POST.get("action")
        form_class = SendBackForm if action == "reject" else task.get_form_for_action("approve")
        form = form_class(request.POST, prefix="reject" if action == "reject" else "approve")
        if action == "reject":
            send_back_form = form
        else:
            approve_form = form
        if form.is_valid():
            try:
                perform(task_state, request.user, action, form.cleaned_data)
            except ChainError as error:
                messages.error(request, str(error))
                return TemplateResponse(
                    request,
                    "moderation/review.html",
                    _review_context(task_state, page, may_act, approve_form, send_back_form),
                    status=403,
                )
            messages.success(
                request, "已退回修改。" if action == "reject" else f"已办理“{task.name}”：{page.title}"
            )
            return redirect("moderation_queue")
    return TemplateResponse(
        request,
        "moderation/review.html",
        _review_context(task_state, page, may_act, approve_form, send_back_form),
        status=400 if request.method == "POST" else 200,
    )


def _review_context(task_state, page, may_act, approve_form, send_back_form):
    revision_object = task_state.revision.as_object() if task_state.revision_id else page
    earlier = previous_approval(task_state)
    return {
        "earlier_approval": earlier,
        "changes_since_earlier": changes_between(page, earlier.revision, task_state.revision)
        if earlier
        else [],
        "step_five_changes": (
            changes_between(page, task_state.revision, page.get_latest_revision())
            if task_state.task.specific.publishes
            else []
        ),
        "task_state": task_state,
        "page": page,
        "item": revision_object,
        "fields": approval_form_module.public_fields(revision_object),
        "may_act": may_act,
        "approve_form": approve_form,
        "send_back_form": send_back_form,
        "rounds": rounds_of(page),
        "deadline": _deadline(revision_object),
        "approve_label": "发布" if task_state.task.specific.publishes else "同意",
        "review": approval_form_module._confidentiality_review(page),
    }


def my_items(request):
    """我的稿件: where each of the author's (and their department's) items stands."""
    rows = [
        {"page": page, "status": status_of(page), "deadline": _deadline(page)}
        for page in items_of(request.user, 200)
    ]
    return TemplateResponse(request, "moderation/my_items.html", {"rows": rows})


def approval_form(request, page_id):
    """审批单: every round's opinions, signers and times; print-ready, or PDF with ?format=pdf."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not is_item(page) or not can_view_item(request.user, page):
        return deny(request, "您无权查看该稿件的审批单。")
    context = approval_form_module.build(page)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(approval_form_module.render_pdf(context), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="approval-{page.pk}.pdf"'
        return response
    return TemplateResponse(request, "moderation/approval_form.html", context)


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["principal", "delegate", "starts_on", "ends_on", "reason"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        self.fields["delegate"].queryset = User.objects.filter(is_active=True).order_by("username")
        if is_administrator(user):
            self.fields["principal"].queryset = User.objects.filter(is_active=True).order_by("username")
        else:
            self.fields["principal"].queryset = User.objects.filter(pk=user.pk)
            self.fields["principal"].initial = user.pk


def may_set_delegations(user):
    """Approvers (leaders, department heads) name their own delegates; administrators anyone's."""
    return (
        is_administrator(user)
        or user.groups.filter(name=LEADERS_GROUP).exists()
        or user.headed_departments.exists()
    )


def delegations(request):
    """代为审批: a leader names who acts for them while away (administrators for anyone)."""
    user = request.user
    if not may_set_delegations(user):
        return deny(request, "只有审批人可以设置代为审批。")
    form = DelegationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        delegation = form.save(commit=False)
        delegation.created_by = user
        delegation.save()
        log(
            instance=delegation,
            action="govportal.delegate",
            user=user,
            data={
                "principal": delegation.principal.username,
                "delegate": delegation.delegate.username,
                "from": str(delegation.starts_on),
                "to": str(delegation.ends_on),
                "reason": delegation.reason,
            },
        )
        messages.success(request, f"已设置代为审批：{delegation}")
        return redirect("moderation_delegations")
    listing = Delegation.objects.select_related("principal", "delegate")
    if not is_administrator(user):
        listing = listing.filter(principal=user) | listing.filter(delegate=user)
    return TemplateResponse(
        request,
        "moderation/delegations.html",
        {"form": form, "delegations": listing, "today": timezone.localdate()},
        status=400 if request.method == "POST" else 200,
    )


class ReassignForm(forms.Form):
    approvers = forms.ModelMultipleChoiceField(
        label="新的审批人",
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择新的审批人。"},
    )
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写重新指定审批人的理由。"},
    )


def reassign_view(request, task_state_id):
    """The administrator reassigns a stuck step, with a recorded reason."""
    if not is_administrator(request.user):
        return deny(request, "只有管理员可以重新指定审批人。")
    task_state = get_object_or_404(ChainTaskState, pk=task_state_id)
    form = ReassignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reassign(
                task_state, request.user, list(form.cleaned_data["approvers"]), form.cleaned_data["reason"]
            )
        except ChainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已重新指定审批人。")
            return redirect("moderation_review", task_state.pk)
    return TemplateResponse(
        request,
        "moderation/reassign.html",
        {"form": form, "task_state": task_state, "page": item_for(task_state)},
    )


class DismissForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="排除理由", max_length=500, error_messages={"required": "请填写排除理由。"}
    )


def scan_findings(request, page_id):
    """保密审查: the scanner's findings on an item's latest content; the department head may
    dismiss a false positive (or an unreadable file checked by hand) with a reason."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not is_item(page) or not can_view_item(request.user, page):
        return deny(request, "您无权查看该稿件的保密审查。")
    latest = page.get_latest_revision_as_object()
    is_head = page.department.heads.filter(pk=request.user.pk).exists()
    form = DismissForm(request.POST or None)
    findings = open_findings(latest)
    if request.method == "POST":
        if not is_head:
            return deny(request, "只有稿件所属部门的负责人可以排除误报。")
        if form.is_valid():
            match = next((f for f in findings if f.key == form.cleaned_data["key"]), None)
            if match is None:
                messages.error(request, "该检查结果已不存在或已被排除。")
            else:
                dismiss(page, match, request.user, form.cleaned_data["reason"])
                messages.success(request, f"已排除：{match.location}")
            return redirect("moderation_scan", page.pk)
    return TemplateResponse(
        request,
        "moderation/scan.html",
        {
            "page": page,
            "findings": findings,
            "is_head": is_head,
            "form": form,
            "dismissals": FindingDismissal.objects.filter(page_id=page.pk).select_related("dismissed_by"),
        },
        status=400 if request.method == "POST" else 200,
    )


def submission_desk(request):
    """信息报送: the user's department columns (新建), their items, and every department's
    counts for this month and this year, computed on each request (real time)."""
    table = desk_table(Department.objects.all())
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _export_desk(table, COUNT_LABELS, export)
    user_departments = Department.objects.filter(pk__in=department_ids(request.user))
    columns = []
    for column in ColumnPage.objects.filter(departments__in=user_departments).distinct().order_by("path"):
        types = [m for m in type(column).creatable_subpage_models() if m.can_create_at(column)]
        columns.append({"column": column, "types": types})
    rows = [
        {"page": page, "status": status_of(page), "deadline": _deadline(page)}
        for page in items_of(request.user, 15)
    ]
    peak = max([row["year"]["published"] for row in table] + [1])
    return TemplateResponse(
        request,
        "moderation/desk.html",
        {
            "table": table,
            "labels": COUNT_LABELS,
            "columns": columns,
            "rows": rows,
            "peak": peak,
            "departments": user_departments,
            "now": timezone.localtime(),
        },
    )


def _export_desk(table, labels, export):
    header = ["部门"] + [f"本月{label}" for _, label in labels] + [f"本年{label}" for _, label in labels]
    data = [
        [row["department"].name]
        + [row["month"][name] for name, _ in labels]
        + [row["year"][name] for name, _ in labels]
        for row in table
    ]
    stamp = timezone.localtime().strftime("%Y%m%d")
    if export == "csv":
        import csv
        import io

        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(data)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.csv"'
        return response
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报送统计"
    sheet.append(header)
    for line in data:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.xlsx"'
    return response


def mark_notifications_read(request):
    """全部标为已读 on the dashboard's message panel."""
    if request.method == "POST":
        AdminNotification.objects.filter(user=request.user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return redirect("wagtailadmin_home")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写理由。"}
    )


def _record_action_view(request, page_id, *, action, verb, template_title, explain):
    """The administrator's withdraw or purge of an item, with a reason (GET shows the form)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not is_item(page):
        return deny(request, "只能撤回或清除信息稿件。")
    if not is_administrator(request.user):
        return deny(request, f"只有管理员可以{verb}已发布的信息。")
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                action(page, request.user, form.cleaned_data["reason"])
            except ChainError as error:
                form.add_error(None, str(error))
                status = 403
            else:
                messages.success(request, f"已{verb}：{page.title}（审批记录已保留）")
                return (
                    redirect("moderation_approval_form", page.pk)
                    if verb == "撤回"
                    else redirect("wagtailadmin_home")
                )
    return TemplateResponse(
        request,
        "moderation/record_action.html",
        {"form": form, "page": page, "title": template_title, "verb": verb, "explain": explain},
        status=status,
    )


def withdraw_view(request, page_id):
    """撤回: take a published item off the public site with a reason; every record stays."""
    return _record_action_view(
        request,
        page_id,
        action=withdrawal.withdraw,
        verb="撤回",
        template_title="撤回已发布信息",
        explain="撤回后公众网站不再显示该信息；其历史版本、各环节审批意见、审批单和统计记录均予保留。",
    )


def purge_view(request, page_id):
    """清除: delete an item for good, only after the retention period, with a reason."""
    return _record_action_view(
        request,
        page_id,
        action=withdrawal.purge,
        verb="清除",
        template_title="清除信息及其记录",
        explain=f"审批记录保存期限为 {withdrawal.retention_years()} 年；期满后方可清除，清除操作将记入日志。",
    )


class StaffForm(forms.Form):
    add = forms.ModelChoiceField(
        label="添加工作人员",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="（选择账号）",
    )
    remove = forms.ModelChoiceField(label="移除", queryset=get_user_model().objects.none(), required=False)

    def __init__(self, department, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = department.members().values("pk")
        self.fields["add"].queryset = (
            get_user_model().objects.filter(is_active=True).exclude(pk__in=members).order_by("last_name")
        )
        self.fields["remove"].queryset = department.staff.all()


def department_staff(request):
    """本部门人员: a head (直接责任人) names who drafts for their own department, nothing beyond it."""
    departments = list(Department.objects.filter(heads=request.user))
    if not departments:
        return deny(request, "只有部门负责人可以管理本部门的工作人员。")
    status = 200
    if request.method == "POST":
        # Never trust the id in the form: the department must be one the user heads.
        department = next((d for d in departments if str(d.pk) == request.POST.get("department")), None)
        if department is None:
            return deny(request, "您不是该部门的负责人，不能管理其人员。")
        form = StaffForm(department, request.POST)
        if form.is_valid() and (form.cleaned_data["add"] or form.cleaned_data["remove"]):
            added, removed = form.cleaned_data["add"], form.cleaned_data["remove"]
            if added:
                department.staff.add(added)
            if removed:
                department.staff.remove(removed)
            log(
                instance=department,
                action="govportal.staff_change",
                user=request.user,
                data={
                    "added": getattr(added, "username", None),
                    "removed": getattr(removed, "username", None),
                },
            )
            messages.success(request, "已更新本部门工作人员。")
            return redirect("moderation_department_staff")
        status = 400
        messages.error(request, "请选择要添加或移除的账号。")
    rows = [(department, StaffForm(department)) for department in departments]
    return TemplateResponse(request, "moderation/department_staff.html", {"rows": rows}, status=status)
