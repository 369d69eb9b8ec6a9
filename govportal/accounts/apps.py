from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_tables(using="default", **kwargs):
    """Every migrate (make run, tests, deployments) creates the database cache's table."""
    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "govportal.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self):
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="govportal_cache_tables")
        from govportal import known_rows, upstream_fixes

        upstream_fixes.apply()
        known_rows.apply()

        # Every login, failure, lockout and logout goes to the security audit trail.
        from . import (
            passwords,  # noqa: F401  (expiry warning at login)
            security_log,  # noqa: F401
            users,  # noqa: F401  (the separation-of-duties rule on group changes)
        )
