"""What the content model tells the public part (govportal.api), which listens and reads: pages
never imports it. Each page type declares what the public sees of it (`public_fields`, made of
PublicField); Wagtail's own signals (page_published, post_save, post_page_move …) announce
every ordinary change, live_page_changed the rest; the preview hook lets the public part render
an item's admin preview."""

import copy

from django.dispatch import Signal

# A live page changed behind Wagtail's signals (a QuerySet.update(): the seed's backdating, a
# document marked abolished): `page_id` is to be public again exactly as it is now.
live_page_changed = Signal()

# The Wagtail hook that renders an item's admin preview as the public sees it: fn(page, request)
# returning the response (registered by govportal.api).
PREVIEW_HOOK = "serve_public_preview"


class PublicField:
    """One field of a page type as the public sees it, declared on the model in its
    `public_fields` (in the spirit of Wagtail's api_fields and search_fields). The public part
    derives from the declaration alone what the API serves (listings and detail, the `fields`
    parameter), what search indexes and what the OpenAPI document describes.

    kind: how the value is read and shaped —
      "text" (the attribute as it is: strings, numbers, booleans), "rich" (rich text: clean HTML
      in the API, plain text in search), "date", "datetime", "choice" ({"value", "label"}),
      "image" (an image object), "attachments", "flag" (kept in the catalogue only when true),
      "computed" (shaped by the API from other pages or the request: breadcrumbs, departments,
      a policy's replaced_by/replaces, a survey's is_open, a guide's elements).
    listing: also served in listings (kept in the catalogue row at publication).
    search: its text is searched (items only).
    source: the attribute (or method) to read, when it is not `name`.
    schema: the JSON Schema of the value, when the kind's own is not enough.
    description: a note for the OpenAPI document.
    served: False for a value kept in the catalogue for the site tree but not a field of its own.
    """

    KINDS = ("text", "rich", "date", "datetime", "choice", "image", "attachments", "flag", "computed")

    def __init__(
        self,
        name,
        kind="text",
        *,
        listing=False,
        search=False,
        source=None,
        schema=None,
        description="",
        served=True,
    ):
        if kind not in self.KINDS:
            raise ValueError(f"unknown public field kind {kind!r}")
        self.name, self.kind, self.listing, self.search = name, kind, listing, search
        self.source = source or name
        self.schema, self.description, self.served = schema, description, served

    def __repr__(self):
        return f"PublicField({self.name!r}, {self.kind!r})"


def declare(*groups):
    """A page type's public fields: the groups in order, a later field replacing an earlier one
    of the same name where that one stood."""
    fields = {}
    for group in groups:
        for field in group:
            fields[field.name] = field
    return list(fields.values())


def searching(fields, *names):
    """The fields, those named also searched (a page type that searches inherited fields)."""
    searched = []
    for field in fields:
        if field.name in names:
            field = copy.copy(field)
            field.search = True
        searched.append(field)
    return searched
