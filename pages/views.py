"""Admin screen of the pages app: the column-to-department mapping (栏目分工). The status of
the statutory list, which reads the public catalogue, is the public part's
(govportal.api.admin_views)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from govportal.accounts.roles import is_site_manager

from .columns import leaf_columns, set_column_departments
from .models import ColumnPage

# The departments, known to the content model only as what columns refer to.
Department = ColumnPage._meta.get_field("departments").related_model


def column_mapping(request):
    """One screen where the Office ticks which departments feed which column."""
    if not is_site_manager(request.user):
        raise PermissionDenied
    departments = list(Department.objects.all())
    columns = list(leaf_columns().prefetch_related("departments"))
    if request.method == "POST":
        by_id = {d.pk: d for d in departments}
        with transaction.atomic():
            for column in columns:
                chosen = {
                    by_id[int(v)]
                    for v in request.POST.getlist(f"column-{column.pk}")
                    if v.isdigit() and int(v) in by_id
                }
                if chosen != set(column.departments.all()):
                    set_column_departments(column, chosen)
        messages.success(request, "栏目分工已保存。")
        return redirect("pages_column_mapping")
    rows = [
        {
            "column": column,
            "path": " › ".join(a.title for a in column.get_ancestors()[2:]),
            "chosen": {d.pk for d in column.departments.all()},
        }
        for column in columns
    ]
    return TemplateResponse(
        request, "pages/admin/column_mapping.html", {"rows": rows, "departments": departments}
    )
