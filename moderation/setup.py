"""Groups and permissions that the roles of the bureau need, kept in step with the data."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from govportal.accounts.roles import (
    ADMINISTRATORS_GROUP,
    AUDIT_ADMINS_GROUP,
    LEADERS_GROUP,
    OPERATORS_GROUP,
    SECURITY_ADMINS_GROUP,
)

from .organisation import BureauLeadership, Department

DEPARTMENT_GROUP_PREFIX = "部门："
OPERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
ADMINISTRATOR_PAGE_PERMISSIONS = OPERATOR_PAGE_PERMISSIONS + ["bulk_delete_page"]
REFERENCE_LIST_PERMISSIONS = [
    "add_disclosuretopic",
    "change_disclosuretopic",
    "view_disclosuretopic",
    "add_statutorydisclosurekind",
    "change_statutorydisclosurekind",
    "delete_statutorydisclosurekind",
    "view_statutorydisclosurekind",
]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_admin_access(group):
    group.permissions.add(_permission("wagtailadmin", "access_admin"))


def _grant_collections(group, apps=("wagtailimages", "wagtaildocs")):
    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label in apps:
        for codename in COLLECTION_PERMISSIONS[app_label]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=_permission(app_label, codename)
            )


def _grant_collection_management(group):
    root = Collection.get_first_root_node()
    for codename in ("add_collection", "change_collection", "delete_collection"):
        if root is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=_permission("wagtailcore", codename)
            )


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def ensure_role_groups():
    """Create the operator, administrator and leader groups with their permissions."""
    root_page = Page.get_first_root_node()
    operators, _ = Group.objects.get_or_create(name=OPERATORS_GROUP)
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    leaders, _ = Group.objects.get_or_create(name=LEADERS_GROUP)
    security, _ = Group.objects.get_or_create(name=SECURITY_ADMINS_GROUP)
    auditors, _ = Group.objects.get_or_create(name=AUDIT_ADMINS_GROUP)
    for group in (operators, administrators, leaders, security, auditors):
        _grant_admin_access(group)
    _grant_collections(operators)
    _grant_collections(administrators)
    _grant_collection_management(administrators)
    if root_page is not None:
        _grant_pages(operators, root_page, OPERATOR_PAGE_PERMISSIONS)
        _grant_pages(administrators, root_page, ADMINISTRATOR_PAGE_PERMISSIONS)
    for app_label, codenames in {
        "moderation": [
            "add_department",
            "change_department",
            "delete_department",
            "view_department",
            "change_bureauleadership",
            "add_specialday",
            "change_specialday",
            "delete_specialday",
            "view_specialday",
        ],
        "accounts": ["add_user", "change_user", "delete_user", "view_user"],
        "pages": ["change_siteidentity"],
        # The system's configuration, which a superuser used to hold (三员分立: no superuser).
        "wagtailcore": [
            "add_workflow",
            "change_workflow",
            "delete_workflow",
            "add_task",
            "change_task",
            "delete_task",
            "add_site",
            "change_site",
            "delete_site",
        ],
        "wagtailredirects": ["add_redirect", "change_redirect", "delete_redirect"],
    }.items():
        for codename in codenames:
            administrators.permissions.add(_permission(app_label, codename))
    operators.permissions.add(_permission("pages", "change_siteidentity"))
    # 三员分立: the security administrator assigns roles (edits accounts' groups, nothing else
    # of them) and manages groups; the audit administrator only reads the audit records.
    for app_label, codename in [
        ("accounts", "change_user"),
        ("accounts", "view_user"),
        ("auth", "add_group"),
        ("auth", "change_group"),
        ("auth", "delete_group"),
        ("auth", "view_group"),
    ]:
        security.permissions.add(_permission(app_label, codename))
    auditors.permissions.add(_permission("accounts", "view_securityevent"))
    # The catalogue's reference lists are the Office's (信息公开 menu). Topics are retired
    # (启用 off), never deleted: items keep the codes they carry.
    for codename in REFERENCE_LIST_PERMISSIONS:
        for group in (operators, administrators):
            group.permissions.add(_permission("pages", codename))
    return operators, administrators, leaders


def ensure_department_group(department):
    """Each department has its own group: admin access, media, and its columns' permissions."""
    name = f"{DEPARTMENT_GROUP_PREFIX}{department.name}"
    group = department.group
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
        type(department).objects.filter(pk=department.pk).update(group=group)
        department.group = group
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    _grant_admin_access(group)
    _grant_collections(group)
    return group


def sync_department_members(department):
    group = department.group or ensure_department_group(department)
    group.user_set.set(department.members())


def remove_department_group(group):
    """A deleted department's group goes with it: its members keep no admin access and no
    page permissions on the columns it fed."""
    if group is not None and group.name.startswith(DEPARTMENT_GROUP_PREFIX):
        group.delete()


def sync_leaders_group():
    """The 局领导 group is exactly the people who hold a leader's step: every department's
    supervising leader, the ideology leader and the Director. Naming someone gives them the
    admin access their steps need; taking the role away removes it."""
    leaders, _ = Group.objects.get_or_create(name=LEADERS_GROUP)
    ids = set(Department.objects.values_list("supervising_leader_id", flat=True))
    ids |= BureauLeadership.load().leader_ids()
    leaders.user_set.set(list(ids))
    return leaders
