"""What the public sees of each page type, derived from the types' own declarations
(`public_fields`, pages.public.PublicField): the API's listing and detail field names, the
values kept in the catalogue at publication and the search text. Nothing here names a page
type or one of its fields; the serializer and the OpenAPI schema read these tables."""

import functools
import html

from django.apps import apps
from django.utils.html import strip_tags
from wagtail.models import Page

from pages.items import is_item

# Fields of every item that are not the page's own: the envelope of a listing row.
ITEM_ENVELOPE = ["title", "column", "department"]
INDEX_ENVELOPE = ["title"]


@functools.cache
def public_models():
    """type label ("pages.NewsPage") -> model, for every concrete page type that declares what
    the public sees."""
    return {
        m._meta.label: m
        for m in apps.get_models()
        if issubclass(m, Page) and not m._meta.abstract and hasattr(m, "public_fields")
    }


@functools.cache
def site_tree_nodes():
    """type label -> node type ("category", "section", "column") of the page types the site
    tree shows, as each declares (site_tree_node)."""
    return {
        label: model.site_tree_node
        for label, model in public_models().items()
        if getattr(model, "site_tree_node", None)
    }


@functools.cache
def declared(type_label):
    """{name: PublicField} of a page type, in declaration order (empty for an unknown type)."""
    model = public_models().get(type_label)
    return {f.name: f for f in model.public_fields} if model else {}


def field(type_label, name):
    return declared(type_label).get(name)


@functools.cache
def listing_names(type_label):
    """The fields a listing row of this type shows by default, in order."""
    model = public_models().get(type_label)
    envelope = ITEM_ENVELOPE if model is not None and is_item(model) else INDEX_ENVELOPE
    return tuple(envelope) + tuple(f.name for f in declared(type_label).values() if f.listing and f.served)


@functools.cache
def detail_names(type_label):
    """Every field of this type (the detail's, in order): the listing's, then the rest."""
    rest = tuple(f.name for f in declared(type_label).values() if not f.listing and f.served)
    return listing_names(type_label) + rest


@functools.cache
def all_names():
    """Every field name a page of some type has (what `fields` accepts)."""
    names = set(ITEM_ENVELOPE) | set(INDEX_ENVELOPE)
    for type_label in public_models():
        names |= set(detail_names(type_label))
    return frozenset(names)


def reset():
    """Forget the derived tables (after a declaration changed: tests; a deployment restarts)."""
    for function in (public_models, site_tree_nodes, declared, listing_names, detail_names, all_names):
        function.cache_clear()


# --- values kept at publication --------------------------------------------------------------


def read(page, field):
    value = getattr(page, field.source, None)
    return value() if callable(value) else value


def stored_value(page, field):
    """A listing field's value as the catalogue keeps it (JSON)."""
    value = read(page, field)
    if field.kind in ("date", "datetime"):
        return value.isoformat() if value else None
    if field.kind == "choice":
        return {"value": value, "label": getattr(page, f"get_{field.source}_display")()} if value else None
    return value


def listing_values(page):
    """The listing fields of a page (no rich text), serialised once at publication."""
    data = {}
    for f in declared(page._meta.label).values():
        if not f.listing or f.kind == "computed":
            continue
        if f.kind == "flag":
            if read(page, f):
                data[f.name] = True
            continue
        data[f.name] = stored_value(page, f)
    return data


def plain(rich_text):
    return html.unescape(strip_tags(rich_text or "")).strip()


def search_text(page):
    """The text search looks in besides the title: every searched field, rich text as plain."""
    parts = []
    for f in declared(page._meta.label).values():
        if f.search:
            value = read(page, f)
            parts.append(plain(value) if f.kind == "rich" else (value or ""))
    return "\n".join(p for p in parts if p)
