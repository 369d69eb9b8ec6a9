from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "组织机构与审核"

    def ready(self):
        from . import calendar_signals, guards, notifications, signals  # noqa: F401
