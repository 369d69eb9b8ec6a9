from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govportal.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self):
        # The CMS tells the public front end to drop its cache on every publication change.
        import govportal.frontend_purge  # noqa: F401

        # Every login, failure, lockout and logout goes to the security audit trail.
        from . import (
            passwords,  # noqa: F401  (expiry warning at login)
            security_log,  # noqa: F401
        )
