"""Signal receivers of the working-day calendar (imported by apps.ready): every deployment gets
the official schedule on ``migrate``, and the in-memory calendar forgets edits' old state."""

from django.db import connections, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .calendar import SpecialDay, WorkdayCalendarYear, clear_cache, load_builtin_calendar


@receiver(post_migrate)
def load_official_calendar(sender, app_config=None, using="default", **kwargs):
    # post_migrate fires once per app; this app's tables are all that is needed. They may be
    # missing when migrating backwards, which is no reason to fail.
    if getattr(sender, "name", None) != "moderation":
        return
    tables = set(connections[using].introspection.table_names())
    if not {SpecialDay._meta.db_table, WorkdayCalendarYear._meta.db_table} <= tables:
        return
    load_builtin_calendar()


@receiver(post_save, sender=SpecialDay)
@receiver(post_delete, sender=SpecialDay)
@receiver(post_save, sender=WorkdayCalendarYear)
@receiver(post_delete, sender=WorkdayCalendarYear)
def calendar_changed(sender, **kwargs):
    clear_cache()
    transaction.on_commit(clear_cache)
