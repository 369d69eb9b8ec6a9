"""Template helpers for the stock pages: the same queries the front end's pages show."""

from django import template
from django.core.paginator import Paginator

from pages.models import ColumnPage, HomePage, SiteIdentity

register = template.Library()


@register.simple_tag
def site_identity():
    return SiteIdentity.load()


@register.simple_tag
def top_columns():
    return HomePage.objects.get().get_children().live().public().specific()


@register.simple_tag
def latest(column, limit):
    return column.get_children().live().public().specific().order_by("-first_published_at")[:limit]


@register.simple_tag
def columns_of_kind(*kinds):
    return ColumnPage.objects.live().filter(kind__in=kinds).order_by("path")


@register.simple_tag(takes_context=True)
def column_page(context, column):
    items = column.get_children().live().public().specific().order_by("-first_published_at")
    return Paginator(items, 20).get_page(context["request"].GET.get("page"))
