"""An app config of its own module: apps.py may hold only the accounts app's config."""

from wagtail.users.apps import WagtailUsersAppConfig


class GovUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user screens with separation of duties (govportal.accounts.users)."""

    user_viewset = "govportal.accounts.users.UserViewSet"
