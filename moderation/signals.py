from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from .organisation import BureauLeadership, Department
from .setup import ensure_department_group, ensure_role_groups, sync_department_members, sync_leaders_group


@receiver(post_save, sender=Department)
def department_saved(sender, instance, **kwargs):
    ensure_department_group(instance)
    sync_leaders_group()


@receiver(post_save, sender=BureauLeadership)
def leadership_saved(sender, instance, **kwargs):
    sync_leaders_group()


@receiver(m2m_changed, sender=Department.heads.through)
@receiver(m2m_changed, sender=Department.staff.through)
def department_members_changed(sender, instance, action, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    departments = (
        [instance] if not reverse else list(Department.objects.filter(pk__in=kwargs.get("pk_set") or []))
    )
    if reverse and action == "post_clear":
        departments = list(Department.objects.all())
    for department in departments:
        sync_department_members(department)


@receiver(post_migrate)
def create_role_groups(sender, app_config=None, using="default", **kwargs):
    # post_migrate fires once per app; the groups need every app's permissions, so the
    # call that comes after the last of them succeeds and earlier ones are skipped.
    try:
        with transaction.atomic(using=using):
            ensure_role_groups()
    except Permission.DoesNotExist:
        pass


@receiver(post_delete, sender=Department)
def department_deleted(sender, instance, **kwargs):
    # The department's group would otherwise keep admin access and its column permissions.
    if instance.group_id:
        Group.objects.filter(pk=instance.group_id).delete()
    sync_leaders_group()
