from django import forms
from wagtail.admin.forms import WagtailAdminModelForm


class DepartmentForm(WagtailAdminModelForm):
    """A department always has at least one head and a supervising leader (the chain's first
    two steps are resolved from them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("heads", "staff"):
            if name in self.fields:
                self.fields[name].widget = forms.CheckboxSelectMultiple(choices=self.fields[name].choices)
        if "heads" in self.fields:
            self.fields["heads"].error_messages["required"] = "部门至少要有一名负责人。"
        if "supervising_leader" in self.fields:
            self.fields["supervising_leader"].error_messages["required"] = "请选择分管领导。"

    def clean_heads(self):
        heads = self.cleaned_data.get("heads")
        if not heads:
            raise forms.ValidationError("部门至少要有一名负责人。")
        inactive = [user.display_name for user in heads if not user.is_active]
        if inactive:
            raise forms.ValidationError(f"账号已停用，不能担任部门负责人：{'、'.join(inactive)}。")
        return heads

    def clean_supervising_leader(self):
        leader = self.cleaned_data.get("supervising_leader")
        if leader is not None and not leader.is_active:
            raise forms.ValidationError(f"{leader.display_name} 的账号已停用，不能担任分管领导。")
        return leader

    def clean(self):
        cleaned = super().clean()
        heads = cleaned.get("heads") or []
        leader = cleaned.get("supervising_leader")
        if leader is not None and leader in heads:
            self.add_error("supervising_leader", "分管领导不能同时是本部门负责人。")
        return cleaned


class SendBackForm(forms.Form):
    """退回修改: a comment saying what to fix is required."""

    comment = forms.CharField(
        label="退回意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "请填写退回意见，说明需要修改的内容。"},
    )


class ApprovalForm(forms.Form):
    """同意: an optional opinion (defaults to 同意)."""

    comment = forms.CharField(
        label="审批意见", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    @classmethod
    def for_step(cls, task):
        if getattr(task, "step_number", 0) == 1:
            return HeadApprovalForm
        return cls


class HeadApprovalForm(ApprovalForm):
    """Step 1: approving confirms the confidentiality review (保密审查) and the 信息形成日期,
    as the form says."""

    comment = forms.CharField(
        label="审批意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=(
            "同意即表示您已完成保密审查：内容已核实，不含国家秘密、工作秘密和未脱敏的个人信息；"
            "并已核实信息形成日期（发布时限由此起算）。"
        ),
    )
