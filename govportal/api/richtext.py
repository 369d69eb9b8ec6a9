"""Rich text as clean public HTML, rendered in bulk: every field of a response goes through one
pass, so a listing with `fields=body` costs the same few queries for 1 or 100 items."""

import re
from urllib.parse import quote

from django.conf import settings
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from .scope import media_base, public_url

SEPARATOR = "<!--govportal-api-split-->"
_URL_ATTR = re.compile(r'\b(src|href)="(/[^"]*)"')
# A link to another page in stored (precomputed) HTML: resolved per request, because whether
# the target is public, and where, can change without this page being published again.
LINK_PLACEHOLDER = "<a data-govportal-page={}>"
_PLACEHOLDER = re.compile(r"<a data-govportal-page=(\d+)>")


def render_many(texts, scope):
    """Render database-format rich text strings to public HTML (same order). With scope None
    (precomputing at publication), page links become placeholders for resolve_links()."""
    if not any(texts):
        return ["" for _ in texts]
    joined = SEPARATOR.join(t or "" for t in texts)
    joined = _rewrite_page_links(joined, scope)
    joined = expand_db_html(joined)
    joined = _absolutise_media(joined)
    return joined.split(SEPARATOR)


def _rewrite_page_links(text, scope):
    """Page links point to public paths; links to pages that are not public become text."""
    matches = []
    for match in FIND_A_TAG.finditer(text):
        attrs = extract_attrs(match.group(1))
        if attrs.get("linktype") == "page":
            matches.append((match, attrs.get("id", "")))
    if not matches:
        return text
    ids = {int(i) for _, i in matches if i.isdigit()}
    if scope is not None:
        paths = dict(scope.documents().filter(pk__in=ids).values_list("pk", "html_path"))
    out, last = [], 0
    for match, page_id in matches:
        out.append(text[last : match.start()])
        if scope is None:
            out.append(LINK_PLACEHOLDER.format(int(page_id)) if page_id.isdigit() else "<a>")
            last = match.end()
            continue
        path = paths.get(int(page_id)) if page_id.isdigit() else None
        out.append(f'<a href="{public_url(quote(path))}">' if path else "<a>")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _absolutise_media(text):
    base = media_base()
    prefixes = (settings.MEDIA_URL, "/documents/")

    def fix(match):
        attr, url = match.groups()
        if url.startswith(prefixes):
            return f'{attr}="{base}{url}"'
        return match.group(0)

    return _URL_ATTR.sub(fix, text)


def placeholder_ids(texts):
    """Ids of the pages linked by placeholders in precomputed HTML strings."""
    return sorted({int(i) for text in texts for i in _PLACEHOLDER.findall(text)})


def resolve_links(value, paths):
    """Replace placeholders in a stored value (str, or lists/dicts of them) by links to the
    public paths in `paths` (page id -> html_path); links to pages not public become text."""
    if isinstance(value, str):
        if "data-govportal-page=" not in value:
            return value

        def link(match):
            path = paths.get(int(match.group(1)))
            return f'<a href="{public_url(quote(path))}">' if path else "<a>"

        return _PLACEHOLDER.sub(link, value)
    if isinstance(value, list):
        return [resolve_links(v, paths) for v in value]
    if isinstance(value, dict):
        return {k: resolve_links(v, paths) for k, v in value.items()}
    return value
