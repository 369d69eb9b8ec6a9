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
        if "supervising_leader" in self.fields:
            self.fields["supervising_leader"].error_messages["required"] = "请选择分管领导。"

    def clean_heads(self):
        heads = self.cleaned_data.get("heads")
        if not heads:
            raise forms.ValidationError("部门至少要有一名负责人。")
        return heads

    def clean(self):
        cleaned = super().clean()
        heads = cleaned.get("heads") or []
        leader = cleaned.get("supervising_leader")
        if leader is not None and leader in heads:
            self.add_error("supervising_leader", "分管领导不能同时是本部门负责人。")
        return cleaned
