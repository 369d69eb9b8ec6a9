from django.apps import AppConfig
from wagtail import hooks

from pages.public import PREVIEW_HOOK


class PublicApiConfig(AppConfig):
    """The public part: catalogue, search index, API, draft preview and front-end purge. It
    listens to the content model (Wagtail's signals and pages.public); nothing below it
    imports it."""

    name = "govportal.api"
    label = "public_api"
    verbose_name = "公开接口"

    def ready(self):
        from . import catalogue, preview, purge

        catalogue.connect_receivers()
        # The CMS tells the public front ends to drop their cache on every publication change.
        purge.connect_receivers()
        hooks.register(PREVIEW_HOOK, preview.preview_response)
