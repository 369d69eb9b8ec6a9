from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from .columns import sync_column_permissions
from .models import ColumnPage

# The departments, known to the content model only as what columns refer to (moderation's).
Department = ColumnPage._meta.get_field("departments").related_model


@receiver(m2m_changed, sender=ColumnPage.departments.through)
def column_departments_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        sync_column_permissions(instance)
    else:
        for department in Department.objects.filter(pk__in=pk_set or []):
            sync_column_permissions(department)


@receiver(post_save, sender="moderation.Department")
def department_saved(sender, instance, **kwargs):
    # Runs after moderation's receiver has given the department its group.
    sync_column_permissions(instance)
