import secrets

from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm

from govportal.accounts.roles import is_site_manager


class ItemPageForm(WagtailAdminPageForm):
    """Limits an item's department to the departments that both feed the column and include
    the editing user (operators may choose any department feeding the column)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Items are addressed by generated slugs; editors need not invent one.
            self.fields["slug"].required = False
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

    def _generated_slug(self):
        if self.instance.slug:
            return self.instance.slug
        return f"item-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(3)}"

    def _column(self):
        parent = self.parent_page if getattr(self, "parent_page", None) else None
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return parent.specific if parent is not None else None

    def clean(self):
        if "slug" in self.fields and not self.data.get(self.add_prefix("slug")):
            self.cleaned_data["slug"] = self._generated_slug()
        cleaned = super().clean()
        # Wagtail's message for a taken slug has no Chinese translation.
        if "slug" in self.errors and self.data.get("slug"):
            taken = self.data["slug"]
            if any("already in use" in str(message) for message in self.errors["slug"]):
                self.errors["slug"] = self.error_class(
                    [f"网址别名“{taken}”已被本栏目中的其他信息使用，请换一个。"]
                )
        return cleaned

    def clean_department(self):
        department = self.cleaned_data.get("department")
        if department is None:
            raise forms.ValidationError("请选择所属部门。")
        return department


class ItemCopyForm(CopyForm):
    """Copying an item never publishes the copy: it is a new item that must pass the chain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
