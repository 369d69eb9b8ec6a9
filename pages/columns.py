"""The column-to-department mapping (栏目分工) and the page permissions it implies."""

from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from .models import ColumnPage

DEPARTMENT_PAGE_PERMISSIONS = ("add_page", "change_page")


def sync_column_permissions(department):
    """Give the department's group add/change permission on exactly its mapped columns."""
    group = department.group
    if group is None:
        return
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=DEPARTMENT_PAGE_PERMISSIONS
        )
    )
    wanted = {
        (column_id, permission.pk)
        for column_id in department.columns.values_list("pk", flat=True)
        for permission in permissions
    }
    existing = GroupPagePermission.objects.filter(group=group, permission__in=permissions)
    have = {(gpp.page_id, gpp.permission_id): gpp.pk for gpp in existing}
    stale = [pk for key, pk in have.items() if key not in wanted]
    GroupPagePermission.objects.filter(pk__in=stale).delete()
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
        for page_id, permission_id in wanted - have.keys()
    )


@transaction.atomic
def set_column_departments(column, departments):
    """Replace a column's responsible departments and re-sync every affected group."""
    before = set(column.departments.all())
    column.departments.set(departments)
    for department in before | set(departments):
        sync_column_permissions(department)


def leaf_columns():
    return ColumnPage.objects.all().order_by("path")
