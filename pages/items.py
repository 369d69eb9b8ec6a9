"""Whether a page is an item (信息), asked one way: each page type declares it (`is_item` on
pages.models.base.GovPage and BaseItemPage), so the question needs no import of the models and
no query for the specific page."""

from django.apps import apps
from wagtail.models import Page


def is_item(page):
    """Whether a page (specific or not) or a page type is an item."""
    model = page if isinstance(page, type) else (getattr(page, "specific_class", None) or type(page))
    return getattr(model, "is_item", False) is True


def item_models():
    """Every concrete item page type."""
    return [m for m in apps.get_models() if issubclass(m, Page) and is_item(m)]
