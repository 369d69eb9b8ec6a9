"""JSON shapes of docs/API.md, built from the public catalogue (listings) and from specific
pages (detail fields), in bulk and with a fixed number of queries."""

import functools
import os
import zoneinfo
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from pages.models import PolicyPage
from pages.models.services import SERVICE_GUIDE_ELEMENTS

from . import fields
from .models import PublicDocument
from .richtext import placeholder_ids, render_many, resolve_links
from .scope import media_base, public_url
from .statements import ARGUMENT, Statement

# Every public page type ("pages.NewsPage") and its name.
TYPE_LABELS = {label: str(model._meta.verbose_name) for label, model in fields.public_models().items()}
IMAGE_RENDITION = "width-800"


# What listings read of a catalogue row; "detail" is fetched only when a `fields` asks for it.
ROW_COLUMNS = (
    "page_id",
    "type",
    "is_item",
    "path",
    "parent_id",
    "column_id",
    "department_id",
    "first_published_at",
    "last_published_at",
    "title",
    "html_path",
    "listing",
)


class CatalogueRow:
    """A catalogue row as plain attributes: listings read 20 rows per request, and building
    model instances for them cost more than the rest of the request together."""

    __slots__ = (*ROW_COLUMNS, "text", "detail")

    def __init__(self, values, names):
        for name, value in zip(names, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self):
        return self.page_id

    def get_deferred_fields(self):
        return set() if hasattr(self, "detail") else {"detail"}


def catalogue_rows(queryset, search=False):
    """The rows of a catalogue queryset; `search`: with their search text (a search's snippets)."""
    if search:
        names = (*ROW_COLUMNS, "text")
        queryset = queryset.annotate(
            text=Coalesce(F("search_text__text"), Value(""), output_field=TextField())
        )
    else:
        names = ROW_COLUMNS
    return [CatalogueRow(values, names) for values in queryset.values_list(*names)]


class PrecompiledRowQuery:
    """A fixed query on the catalogue, compiled to SQL once per process and run with new
    values (govportal.api.statements): a detail request is then a plain statement (compiling
    the ORM query cost as much as running it). Filter on ARGUMENT where `rows()` gives the
    value; a query sliced with SLICE_MARK takes its LIMIT and OFFSET there too."""

    def __init__(self, queryset, names):
        self.names = names
        self.compiler = queryset.values_list(*names).query.get_compiler(queryset.db)
        sql, params = self.compiler.as_sql()
        params = list(params)
        if SLICE_SQL in sql:
            assert sql.count(SLICE_SQL) == 1
            before = sql[: sql.index(SLICE_SQL)]
            at = before.count("%s") - before.count("%%s")
            params[at:at] = [ARGUMENT, ARGUMENT]
            sql = sql.replace(SLICE_SQL, "LIMIT %s OFFSET %s")
        self.statement = Statement(sql, params, queryset.db)
        self.converters = self.compiler.get_converters([column for column, _, _ in self.compiler.select])

    def rows(self, *arguments):
        rows = self.statement.fetchall(*arguments)
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [CatalogueRow(values, self.names) for values in rows]

    def row(self, values):
        """The row of one tuple of values read by a joined statement, or None."""
        if values is None:
            return None
        if self.converters:
            values = next(iter(self.compiler.apply_converters([values], self.converters)))
        return CatalogueRow(values, self.names)


# Slice a queryset with these to compile it once and page it with any LIMIT and OFFSET.
SLICE_MARK = slice(7_654_321, 7_654_321 + 3_456_789)
SLICE_SQL = "LIMIT 3456789 OFFSET 7654321"


_detail_query = None


def _detail_statement():
    global _detail_query
    if _detail_query is None:
        _detail_query = PrecompiledRowQuery(
            PublicDocument.objects.filter(pk=ARGUMENT), (*ROW_COLUMNS, "detail")
        )
    return _detail_query


def detail_row(page_id):
    """The catalogue row of one page with its precomputed detail (no scope check: callers use
    it only when every catalogue row is public), or None."""
    rows = _detail_statement().rows(page_id)
    return rows[0] if rows else None


def detail_prefetch(pk):
    """detail_row(pk) as the companion of the content version's statement (responses.py)."""
    query = _detail_statement()
    return query.statement, (pk,), query.row


def iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return value.astimezone(_local_zone()).isoformat()
    return value.isoformat()


@functools.cache
def _local_zone():
    # The site's zone (settings.TIME_ZONE): the API never activates another one, and asking
    # Django for the current zone per timestamp cost a tenth of a listing.
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def meta_of(doc):
    return {
        "type": doc.type,
        "type_label": TYPE_LABELS.get(doc.type, ""),
        "detail_url": f"/api/v2/pages/{doc.pk}/",
        "html_path": doc.html_path,
        "html_url": public_url(quote(doc.html_path)),
        "slug": doc.html_path.rstrip("/").rsplit("/", 1)[-1],
        "first_published_at": iso(doc.first_published_at),
        "last_published_at": iso(doc.last_published_at),
        "parent_id": doc.parent_id,
    }


def listing_item(doc, scope):
    """Every listing field of one catalogue row (callers drop the ones not asked for)."""
    data = {"id": doc.pk, "meta": meta_of(doc), "title": doc.title}
    listing = dict(doc.listing)
    if doc.is_item:
        column = scope.columns.get(doc.column_id)
        data["column"] = column
        data["department"] = scope.departments.get(doc.department_id)
        if fields.field(doc.type, "is_open"):
            today = timezone.localdate().isoformat()
            listing["is_open"] = bool(listing.get("opens_on")) and listing["opens_on"] <= today <= (
                listing.get("closes_on") or ""
            )
    data.update(listing)
    return data


def listing_field_names(doc):
    return list(fields.listing_names(doc.type))


def detail_field_names(doc):
    return list(fields.detail_names(doc.type))


# Detail fields that depend on other pages or on the scope: computed per request, never stored.
REQUEST_TIME_FIELDS = {"breadcrumbs", "departments", "replaced_by", "replaces", "is_open"}


def stored_field_names(doc):
    """The detail fields precomputed into the catalogue row at publication."""
    listed = set(listing_field_names(doc))
    return [n for n in detail_field_names(doc) if n not in listed and n not in REQUEST_TIME_FIELDS]


def precompute_detail(page, doc):
    """The public detail fields of a live page, rendered once at publication (the catalogue
    stores them in PublicDocument.detail). Only fields of docs/API.md, nothing internal."""
    return precompute_details([(page, doc)])[doc.pk]


def precompute_details(pairs):
    """precompute_detail of many (page, catalogue row) pairs at once: one rendering pass and
    one query per kind of media for all of them (rebuilding the catalogue)."""
    by_type, built = {}, {}
    for page, doc in pairs:
        names = stored_field_names(doc)
        item = {"id": doc.pk, "meta": {}}
        built[doc.pk] = (page, item, names)
        if names:
            by_type.setdefault(doc.type, []).append((doc, item, names))
    if by_type:
        _fill_detail_fields(by_type, None, pages={page.pk: page for page, _ in pairs})
    return {pk: _detail(page, item, names) for pk, (page, item, names) in built.items()}


def _detail(page, item, names):
    fields = {n: item[n] for n in names if n in item}
    return {
        "fields": fields,
        "links": placeholder_ids(list(_strings(fields))),
        "replaced_by_id": getattr(page, "replaced_by_id", None),
    }


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def serialise(docs, scope, wanted_for):
    """Serialise catalogue rows; `wanted_for(doc)` gives the ordered field names of each row.
    Detail-only fields come from the row's precomputed detail (one query for all rows when it
    was deferred) plus a few per-request lookups; rows without it load the specific pages (one
    query per page type present)."""
    rows = []
    for doc in docs:
        names = wanted_for(doc)
        full = listing_item(doc, scope)
        item = {"id": full["id"], "meta": full["meta"]}
        pending = []
        for name in names:
            if name in full:
                item[name] = full[name]
            else:
                pending.append(name)
        rows.append((doc, item, names, pending))
    needing = [row for row in rows if row[3]]
    if not needing:
        return [row[1] for row in rows]

    details = _stored_details([row[0] for row in needing])
    need_specific, dynamic, linked = {}, [], []
    for doc, item, _names, pending in needing:
        detail = details.get(doc.pk)
        stored = detail.get("fields") if isinstance(detail, dict) else None
        if stored is None or any(n not in stored and n not in REQUEST_TIME_FIELDS for n in pending):
            need_specific.setdefault(doc.type, []).append((doc, item, pending))
            continue
        for name in pending:
            if name in stored:
                item[name] = stored[name]
        request_time = [n for n in pending if n in REQUEST_TIME_FIELDS]
        if request_time:
            dynamic.append((doc, item, request_time, detail))
        if detail.get("links"):
            linked.append((item, pending, detail["links"]))
    if linked:
        ids = {i for _, _, links in linked for i in links}
        paths = dict(scope.documents().filter(pk__in=ids).values_list("pk", "html_path"))
        for item, pending, _ in linked:
            for name in pending:
                if name in item:
                    item[name] = resolve_links(item[name], paths)
    if dynamic:
        _fill_request_time_fields(dynamic, scope)
    if need_specific:
        _fill_detail_fields(need_specific, scope)
    for _, item, names, _pending in needing:
        _reorder(item, names)
    return [row[1] for row in rows]


def _stored_details(docs):
    """page id -> precomputed detail (None where there is none), without a query per row."""
    deferred = [d.pk for d in docs if "detail" in d.get_deferred_fields()]
    details = {d.pk: d.detail for d in docs if d.pk not in set(deferred)}
    if deferred:
        details.update(PublicDocument.objects.filter(pk__in=deferred).values_list("pk", "detail"))
    return details


def _fill_request_time_fields(entries, scope):
    breadcrumbs = _breadcrumbs_for(entries, scope)
    policies = _policy_links_from_details(entries, scope)
    for doc, item, names, _ in entries:
        for name in names:
            if name == "breadcrumbs":
                item[name] = breadcrumbs.get(doc.pk, [])
            elif name in ("replaced_by", "replaces"):
                item[name] = policies.get((doc.pk, name))
            elif name == "departments":
                item[name] = scope.column_departments.get(doc.pk, [])
            elif name == "is_open":
                item[name] = listing_item(doc, scope).get("is_open")


def _policy_links_from_details(entries, scope):
    """replaced_by / replaces of policies, restricted to what is public now (a per-version
    memo of the public replacement links: no query per request)."""
    wanted = {
        doc.pk: detail.get("replaced_by_id")
        for doc, _, names, detail in entries
        if "replaced_by" in names or "replaces" in names
    }
    if not wanted:
        return {}
    links, replaces = _policy_graph(scope)
    result = {}
    for page_id, target in wanted.items():
        result[(page_id, "replaced_by")] = links.get(target) if target else None
        result[(page_id, "replaces")] = replaces.get(page_id, [])
    return result


def _policy_graph(scope):
    """(public policy id -> link, policy id -> links of the public policies it replaces, in
    tree order) over every replacement between policies, once per content version."""
    if "policy_graph" not in scope.extra:
        replaced = PolicyPage.objects.filter(replaced_by__isnull=False)
        rows = (
            scope.documents()
            .filter(Q(pk__in=replaced.values("pk")) | Q(pk__in=replaced.values("replaced_by_id")))
            .values("page_id", "title", "html_path", "page__policypage__replaced_by_id")
            .order_by("path")
        )
        links, replaces = {}, {}
        for row in rows:
            link = {"id": row["page_id"], "title": row["title"], "html_path": row["html_path"]}
            links[row["page_id"]] = link
            target = row["page__policypage__replaced_by_id"]
            if target:
                replaces.setdefault(target, []).append(link)
        scope.extra["policy_graph"] = (links, replaces)
    return scope.extra["policy_graph"]


def _reorder(item, names):
    """Keep the documented field order: id, meta, then the fields asked for."""
    ordered = {"id": item.pop("id"), "meta": item.pop("meta")}
    for name in names_in_order(item, names):
        ordered[name] = item.pop(name)
    ordered.update(item)
    item.clear()
    item.update(ordered)


def _fill_detail_fields(need_specific, scope, pages=None):
    """Detail fields from the specific pages, as their types declare them. scope None:
    precomputing at publication (page links become placeholders; request-time fields are not
    asked for)."""
    if pages is None:
        pages = {}
        for type_label, entries in need_specific.items():
            model = fields.public_models().get(type_label) or apps.get_model(type_label)
            pages.update(model.objects.in_bulk([doc.pk for doc, _, _ in entries]))
    entries = [entry for group in need_specific.values() for entry in group]

    # Rich text of every entry in one rendering pass.
    rich_slots, rich_texts = [], []
    for doc, _, names in entries:
        page = pages.get(doc.pk)
        if page is None:
            continue
        declared = fields.declared(doc.type)
        rich = {n for n in names if n in declared and declared[n].kind == "rich"}
        if "elements" in names:
            rich |= {
                key for key, _ in SERVICE_GUIDE_ELEMENTS if key in declared and declared[key].kind == "rich"
            }
        for name in sorted(rich):
            rich_slots.append((doc.pk, name))
            rich_texts.append(fields.read(page, declared[name]) or "")
    rendered = dict(zip(rich_slots, render_many(rich_texts, scope), strict=True))

    documents = _documents_for(entries, pages)
    images = _images_for(entries, pages)
    breadcrumbs = _breadcrumbs_for(entries, scope) if scope is not None else {}
    policies = _policy_links_for(entries, pages, scope) if scope is not None else {}

    for doc, item, names in entries:
        page = pages.get(doc.pk)
        declared = fields.declared(doc.type)
        for name in names:
            field = declared.get(name)
            if page is None:
                item[name] = None
            elif field is None:  # the envelope (title)
                item[name] = getattr(page, name, None)
            elif field.kind == "rich":
                item[name] = rendered.get((doc.pk, name), "")
            elif field.kind == "attachments":
                blocks = _attachment_blocks(page, field)
                item[name] = [a for a in (_attachment(b, documents) for b in blocks) if a]
            elif field.kind == "image":
                item[name] = images.get(getattr(page, f"{field.source}_id", None))
            elif name == "breadcrumbs":
                item[name] = breadcrumbs.get(doc.pk, [])
            elif name in ("replaced_by", "replaces"):
                item[name] = policies.get((doc.pk, name))
            elif name == "departments":
                item[name] = scope.column_departments.get(doc.pk, []) if scope is not None else []
            elif name == "elements":
                item[name] = _service_elements(page, doc.pk, rendered, declared)
            elif name == "is_open":
                item[name] = page.is_open_on(timezone.localdate())
            elif field.kind == "choice":
                value = fields.read(page, field)
                item[name] = {"value": value, "label": getattr(page, f"get_{field.source}_display")()}
            elif field.kind in ("date", "datetime"):
                item[name] = iso(fields.read(page, field))
            else:
                item[name] = fields.read(page, field)
        _reorder(item, names)


def names_in_order(item, names):
    return [n for n in item if n not in names] + [n for n in names if n in item]


def _service_elements(page, page_id, rendered, declared):
    elements = []
    for key, label in SERVICE_GUIDE_ELEMENTS:
        if key == "title":
            elements.append({"key": key, "label": label, "value": page.title, "html": False})
        elif declared[key].kind == "rich":
            elements.append({"key": key, "label": label, "value": rendered[(page_id, key)], "html": True})
        else:
            elements.append({"key": key, "label": label, "value": getattr(page, key), "html": False})
    return elements


def _attachment_blocks(page, field):
    """The raw blocks of an attachments field (a StreamField) as the page type declares it."""
    stream = fields.read(page, field)
    return (stream.raw_data or []) if stream else []


def _documents_for(entries, pages):
    """The documents every attachments field asked for refers to, in one query."""
    ids = set()
    for doc, _, names in entries:
        page, declared = pages.get(doc.pk), fields.declared(doc.type)
        if page is None:
            continue
        for name in names:
            field = declared.get(name)
            if field is not None and field.kind == "attachments":
                for block in _attachment_blocks(page, field):
                    value = block.get("value") or {}
                    if isinstance(value.get("document"), int):
                        ids.add(value["document"])
    if not ids:
        return {}
    return get_document_model().objects.in_bulk(ids)


def _attachment(raw_block, documents):
    value = raw_block.get("value") or {}
    document = documents.get(value.get("document"))
    if document is None:
        return None
    return document_object(
        document, kind=raw_block.get("type"), title=value.get("title"), caption=value.get("caption")
    )


def document_object(document, kind="attachment", title=None, caption=None):
    try:
        size = document.get_file_size()
    except OSError:
        size = None
    data = {
        "kind": kind,
        "title": title or document.title,
        "file_type": (document.file_extension or os.path.splitext(document.file.name)[1][1:]).lower(),
        "size": size,
        "url": media_base() + document.url,
    }
    if kind == "video":
        data["caption"] = caption or ""
    return data


def image_object(image):
    rendition = image.get_rendition(IMAGE_RENDITION)
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.default_alt_text if hasattr(image, "default_alt_text") else image.title,
        "width": image.width,
        "height": image.height,
        "url": media_base() + rendition.url,
        "rendition": {
            "url": media_base() + rendition.url,
            "width": rendition.width,
            "height": rendition.height,
        },
    }


def _images_for(entries, pages):
    ids = set()
    for doc, _, names in entries:
        page = pages.get(doc.pk)
        declared = fields.declared(doc.type)
        if page is not None:
            ids |= {
                getattr(page, f"{declared[n].source}_id", None)
                for n in names
                if n in declared and declared[n].kind == "image"
            }
    ids.discard(None)
    if not ids:
        return {}
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(IMAGE_RENDITION)
    return {image.pk: image_object(image) for image in images}


def _breadcrumbs_for(entries, scope):
    """Ancestors from the home page down to the parent. Index pages come from a per-version
    memo of the scope (no query); any other ancestor costs one query for all entries."""
    wanted = [entry[0] for entry in entries if "breadcrumbs" in entry[2]]
    if not wanted:
        return {}
    steplen = Page.steplen
    crumbs = _index_crumbs(scope)
    missing = set()
    for doc in wanted:
        for end in range(len(scope.root_path), len(doc.path), steplen):
            if doc.path[:end] not in crumbs:
                missing.add(doc.path[:end])
    if missing:
        crumbs = dict(crumbs)
        crumbs.update(
            (row["path"], {"id": row["page_id"], "title": row["title"], "html_path": row["html_path"]})
            for row in PublicDocument.objects.filter(path__in=missing).values(
                "path", "page_id", "title", "html_path"
            )
        )
    result = {}
    for doc in wanted:
        result[doc.pk] = [
            crumbs[doc.path[:end]]
            for end in range(len(scope.root_path), len(doc.path), steplen)
            if doc.path[:end] in crumbs
        ]
    return result


def _index_crumbs(scope):
    if "crumbs" not in scope.extra:
        scope.extra["crumbs"] = {
            row["path"]: {"id": row["page_id"], "title": row["title"], "html_path": row["html_path"]}
            for row in PublicDocument.objects.filter(is_item=False).values(
                "path", "page_id", "title", "html_path"
            )
        }
    return scope.extra["crumbs"]


def _policy_links_for(entries, pages, scope):
    wanted = [doc for doc, _, names in entries if "replaced_by" in names or "replaces" in names]
    if not wanted:
        return {}
    ids = [doc.pk for doc in wanted]
    target_ids = {pages[i].replaced_by_id for i in ids if pages.get(i) and pages[i].replaced_by_id}
    replaces = list(PolicyPage.objects.filter(replaced_by_id__in=ids).values_list("pk", "replaced_by_id"))
    visible = {
        row["page_id"]: {"id": row["page_id"], "title": row["title"], "html_path": row["html_path"]}
        for row in scope.documents()
        .filter(pk__in=target_ids | {pk for pk, _ in replaces})
        .values("page_id", "title", "html_path")
    }
    result = {}
    for page_id in ids:
        page = pages.get(page_id)
        result[(page_id, "replaced_by")] = visible.get(page.replaced_by_id) if page else None
        result[(page_id, "replaces")] = [
            visible[pk] for pk, target in replaces if target == page_id and pk in visible
        ]
    return result
