from django import forms
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm

from govportal.accounts.roles import is_site_manager

from .models.catalogue import topic_choices
from .publishing import submission_errors

ATTESTATIONS = {
    "review_verified": "内容已核实（内容真实、准确）",
    "review_no_secrets": "不含国家秘密、工作秘密和内部资料",
    "review_no_personal": "不含未脱敏的个人信息（身份证号、手机号、银行卡号等）",
}


class ItemPageForm(WagtailAdminPageForm):
    """Limits an item's department to the departments that both feed the column and include
    the editing user (operators may choose any department feeding the column), and requires
    the confidentiality review (保密审查) and a clean automatic scan when submitting."""

    # Required for 提交审批 only (checked in _post_clean); marked required in the HTML so the
    # author sees they belong to the submission.
    review_verified = forms.BooleanField(
        label=ATTESTATIONS["review_verified"],
        required=False,
        widget=forms.CheckboxInput(attrs={"required": True}),
    )
    review_no_secrets = forms.BooleanField(
        label=ATTESTATIONS["review_no_secrets"],
        required=False,
        widget=forms.CheckboxInput(attrs={"required": True}),
    )
    review_no_personal = forms.BooleanField(
        label=ATTESTATIONS["review_no_personal"],
        required=False,
        widget=forms.CheckboxInput(attrs={"required": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An item's address is the system's (pages.addresses): short, stable, never typed.
        self.fields.pop("slug", None)
        self._topic_from_list()
        field = self.fields.get("department")
        column = self._column()
        if field is None or column is None:
            return
        queryset = field.queryset.filter(columns=column.pk)
        user = self.for_user
        if user is not None and not is_site_manager(user):
            queryset = queryset.filter(Q(heads=user) | Q(staff=user))
        field.queryset = queryset.distinct()
        field.empty_label = None if queryset.exists() else "（您所在部门不负责该栏目）"
        if not self.instance.department_id and queryset.count() >= 1:
            self.initial.setdefault("department", queryset.first().pk)
        if queryset.count() == 1:
            field.required = False  # clean_department fills in the only possible department

    def _topic_from_list(self):
        """主题分类 is picked from the Office's list (grouped by national class); a topic retired
        since stays selectable on the items that carry it."""
        field = self.fields.get("topic")
        if field is None:
            return
        choices = topic_choices()
        current = self.instance.topic if self.instance.pk else None
        if current and all(current != code for _, group in choices for code, _ in group):
            choices.append(("已停用", [(current, self.instance.topic_label or current)]))
        self.fields["topic"] = forms.ChoiceField(
            label=field.label, choices=[("", "请选择主题分类"), *choices], help_text=field.help_text
        )

    def _column(self):
        parent = self.parent_page if getattr(self, "parent_page", None) else None
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return parent.specific if parent is not None else None

    @property
    def is_submission(self):
        return bool(self.data.get("action-submit"))

    def _post_clean(self):
        super()._post_clean()
        # Why 提交审批 was refused although the content itself would save (see
        # blocked_submission_reasons).
        self.submission_refusals = []
        if not self.is_submission or self.errors:
            return
        missing = [label for name, label in ATTESTATIONS.items() if not self.cleaned_data.get(name)]
        for name in ATTESTATIONS:
            if not self.cleaned_data.get(name):
                self.add_error(name, "提交审批前须确认此项保密审查内容。")
        if missing:
            self.submission_refusals = [f"保密审查未确认（{'；'.join(missing)}）"]
            return
        attestation = {name: True for name in ATTESTATIONS}
        errors = submission_errors(self.instance, self.for_user, attestation)
        for message in errors:
            self.add_error(None, message)
        self.submission_refusals = errors
        if not errors:
            # Read by the revision hook when the view saves the submitted revision.
            self.instance._submission_review = {"user": self.for_user, **attestation}

    def clean_department(self):
        department = self.cleaned_data.get("department")
        if department is None:
            # The usual case: the author belongs to exactly one department feeding the column.
            choices = self.fields["department"].queryset
            if choices.count() == 1:
                return choices.get()
            raise forms.ValidationError("请选择所属部门。")
        return department


def blocked_submission_reasons(form):
    """The reasons 提交审批 was refused when they are the form's only errors: the content is
    fine as a draft, so it is saved as one rather than thrown away with the submission."""
    if form.is_valid() or not getattr(form, "submission_refusals", None):
        return []
    if any(not formset.is_valid() for formset in form.formsets.values()):
        return []
    return form.submission_refusals


class TimelyItemForm(ItemPageForm):
    """A time-sensitive item must say when its event is (the deadline counts from it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "event_date" in self.fields:
            self.fields["event_date"].required = True
            self.fields["event_date"].error_messages["required"] = "请填写事件日期（发布时限由此起算）。"


class ItemCopyForm(CopyForm):
    """Copying an item never publishes the copy: it is a new item that must pass the chain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)


class ColumnPageForm(WagtailAdminPageForm):
    """A column the Office adds or edits: its responsible departments are chosen here too and
    applied with the 栏目分工 (pages.wagtail_hooks), which grants the departments' groups."""

    responsible_departments = forms.ModelMultipleChoiceField(
        label="责任部门",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="负责向本栏目报送信息的部门；也可在“组织机构 › 栏目分工”中修改。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The departments a column can have, through its own relation (no other app named here).
        departments = self.instance._meta.get_field("departments").related_model
        self.fields["responsible_departments"].queryset = departments.objects.all()
        if self.instance.pk:
            self.initial["responsible_departments"] = list(
                self.instance.departments.values_list("pk", flat=True)
            )
