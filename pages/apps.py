from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "网站栏目与信息"

    def ready(self):
        from . import signals  # noqa: F401
