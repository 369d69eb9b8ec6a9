"""The public read-only endpoints (docs/API.md). Listings and search read only the public
catalogue; details add the specific page. Every parameter is validated: 400, never 500."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.http import HttpResponseRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from pages.models import DocumentItemPage, HomePage
from pages.models.catalogue import topic_labels

from . import fields
from .cache import memo
from .catalogue import query_terms
from .models import PublicDocument
from .responses import APIError, json_response, public_endpoint
from .search import ranked_page, ranked_postings, search_for, single_bigram, snippet
from .serializers import (
    IMAGE_RENDITION,
    ROW_COLUMNS,
    SLICE_MARK,
    TYPE_LABELS,
    PrecompiledRowQuery,
    catalogue_rows,
    detail_field_names,
    detail_prefetch,
    detail_row,
    document_object,
    image_object,
    iso,
    listing_field_names,
    serialise,
)
from .statutory import statutory_status

LIMIT_DEFAULT = 20
LIMIT_MAX = 100
OFFSET_MAX = 100_000
MAX_PARAM_LENGTH = 200

LISTING_PARAMS = {
    "type",
    "child_of",
    "descendant_of",
    "fields",
    "order",
    "search",
    "limit",
    "offset",
    "department",
    "column",
    "date_from",
    "date_to",
    "year",
    "topic",
    "validity",
    "items_only",
    "catalogue",
    "format",
}
FLAGS = {"1": True, "true": True, "0": False, "false": False}
ORDERS = {
    "id": "page_id",
    "title": "title",
    "first_published_at": "first_published_at",
    "last_published_at": "last_published_at",
    "formed_on": "formed_on",
    "path": "path",
}
VALIDITIES = dict(DocumentItemPage.Validity.choices)


# --- parameters --------------------------------------------------------------------------------


def read_params(request, allowed):
    params = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        if key not in allowed:
            raise APIError(f"不支持的参数：{key[:40]}。可用参数：{'、'.join(sorted(allowed))}。")
        if len(values) > 1:
            raise APIError(f"参数 {key} 只能出现一次。")
        value = values[0]
        if "\x00" in value or "\ufffd" in value or len(value) > MAX_PARAM_LENGTH:
            raise APIError(f"参数 {key} 的值无效（含非法字符或过长）。")
        params[key] = value.strip()
    if params.get("format", "json") != "json":
        raise APIError("参数 format 只能为 json。")
    return params


def int_param(params, name, minimum=0, maximum=2**31 - 1, default=None):
    if name not in params:
        return default
    value = params[name]
    if not value.isascii() or not value.isdigit() or not minimum <= int(value) <= maximum:
        raise APIError(f"参数 {name} 应为 {minimum} 到 {maximum} 之间的整数。")
    return int(value)


def flag_param(params, name):
    value = params.get(name, "0").lower()
    if value not in FLAGS:
        raise APIError(f"参数 {name} 应为 1 或 0（true 或 false）。")
    return FLAGS[value]


def date_param(params, name):
    if name not in params:
        return None
    try:
        return datetime.date.fromisoformat(params[name]) if len(params[name]) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name):
    raise APIError(f"参数 {name} 应为 YYYY-MM-DD 格式的日期。")


def parse_types(value):
    types = [t.strip() for t in value.split(",") if t.strip()]
    known = {t.lower(): t for t in TYPE_LABELS}
    result = []
    for t in types:
        if t.lower() == "wagtailcore.page":
            return []
        if t.lower() not in known:
            raise APIError(f"未知的页面类型：{t[:60]}。可用类型：{'、'.join(sorted(TYPE_LABELS))}。")
        result.append(known[t.lower()])
    return result


def parse_fields(value):
    """Wagtail v2 `fields`: `a,b` add, `-a` remove, `*` all, `_` none of the defaults."""
    adds, removes, star, clear = [], set(), False, False
    for token in [t.strip() for t in value.split(",") if t.strip()]:
        if token == "*":
            star = True
        elif token == "_":
            clear = True
        elif token.startswith("-") and token[1:] in fields.all_names():
            removes.add(token[1:])
        elif token in fields.all_names():
            adds.append(token)
        else:
            raise APIError(f"未知的字段：{token[:40]}。")
    return adds, removes, star, clear


def fields_chooser(params, default_for):
    if "fields" not in params:
        return default_for
    adds, removes, star, clear = parse_fields(params["fields"])

    def chooser(doc):
        base = [] if clear else default_for(doc)
        available = detail_field_names(doc)
        if star:
            base = available
        names = base + [f for f in adds if f in available and f not in base]
        return [n for n in names if n not in removes]

    return chooser


# --- pages ---------------------------------------------------------------------------------------


def _public_page_doc(scope, page_id, prefetched=None):
    if scope.everything_public:
        doc = prefetched() if prefetched else detail_row(page_id)
    else:
        doc = scope.documents().filter(pk=page_id).defer("media").first()
    if doc is None:
        raise APIError("页面不存在或未公开。", status=404)
    return doc


@public_endpoint
def pages_listing(request, scope):
    params = read_params(request, LISTING_PARAMS)
    kept = scope.extra.get("listings", {}).get(_listing_key(params))
    if kept is not None:  # asked before at this version: parameters valid, count known
        return _listing_response(params, scope, *kept)
    queryset = scope.documents().defer("media", "detail")
    items_only = flag_param(params, "items_only")

    types = parse_types(params["type"]) if "type" in params else []
    if "validity" in params:
        if params["validity"] not in VALIDITIES:
            raise APIError(f"参数 validity 应为：{'、'.join(VALIDITIES)}。")
        queryset, items_only = queryset.filter(validity=params["validity"]), True
    if flag_param(params, "catalogue"):
        queryset, items_only = queryset.filter(in_catalogue=True), True
    if types:
        queryset = queryset.filter(type__in=types)

    child_of = int_param(params, "child_of")
    if child_of is not None:
        _public_page_doc_or_400(scope, child_of, "child_of")
        queryset = queryset.filter(parent_id=child_of)
    descendant_of = int_param(params, "descendant_of")
    if descendant_of is not None:
        ancestor = _public_page_doc_or_400(scope, descendant_of, "descendant_of")
        queryset = queryset.filter(path__startswith=ancestor.path).exclude(pk=descendant_of)
    column = int_param(params, "column")
    if column is not None:
        if column not in scope.columns:
            raise APIError("参数 column 不是栏目编号。")
        queryset, items_only = queryset.filter(column_id=column), True
    department = int_param(params, "department")
    if department is not None:
        if department not in scope.departments:
            raise APIError("参数 department 不是部门编号。")
        queryset, items_only = queryset.filter(department_id=department), True
    if "topic" in params:
        topics = _topics(scope)
        if params["topic"] not in topics:
            raise APIError(f"参数 topic 应为：{'、'.join(topics)}。")
        queryset, items_only = queryset.filter(topic=params["topic"]), True
    year = int_param(params, "year", 1990, 2100)
    if year is not None:
        queryset = queryset.filter(published_on__year=year)
        items_only = True
    date_from, date_to = date_param(params, "date_from"), date_param(params, "date_to")
    if date_from:
        queryset, items_only = queryset.filter(published_on__gte=date_from), True
    if date_to:
        queryset, items_only = queryset.filter(published_on__lte=date_to), True
    if date_from and date_to and date_from > date_to:
        raise APIError("date_from 不能晚于 date_to。")

    limit = int_param(params, "limit", 1, LIMIT_MAX, LIMIT_DEFAULT)
    offset = int_param(params, "offset", 0, OFFSET_MAX, 0)

    terms = None
    search = params.get("search", "")
    bigram = single_bigram(search) if "search" in params else None
    if bigram and scope.everything_public and not FILTER_PARAMS & set(params):
        if "order" in params:
            _order(params["order"])  # still validated
        return _search_from_postings(params, scope, bigram, limit, offset)
    if "search" in params:
        terms = query_terms(search)
        if not terms:
            raise APIError("参数 search 不能为空，且应包含文字或数字。")
        items_only = True
        if "order" in params:
            _order(params["order"])  # still validated
    else:
        recent = items_only or bool(types)
        queryset = queryset.order_by(*_order(params.get("order"), default_recent=recent))
    if terms is None:
        if items_only:
            queryset = queryset.filter(is_item=True)
        kept = (_memo_count(scope, params, queryset), _page_statement(queryset))
        listings = scope.extra.setdefault("listings", {})
        if len(listings) >= LISTINGS_KEPT:
            listings.clear()
        listings[_listing_key(params)] = kept
        return _listing_response(params, scope, *kept)
    # Only items have a search text: the filters' rows need no is_item test, which would
    # make PostgreSQL read each row instead of only the filter's index.
    every_item = scope.everything_public and not FILTER_PARAMS & set(params)
    found = search_for(queryset, search, every_item=every_item)
    total, ranked = ranked_page(scope, _filter_key(params), found, offset, limit)
    return _search_response(params, scope, total, ranked, terms)


def _search_response(params, scope, total, ranked, terms):
    """The answer to a search: one page of hits [(id, title holds every term)], in that
    order, each with a snippet of its text."""
    page_ids = [pk for pk, _ in ranked]
    docs = _rows_in_order(scope.documents(), page_ids)
    items = serialise(docs, scope, fields_chooser(params, listing_field_names))
    title_match = dict(ranked)
    for doc, item in zip(docs, items, strict=True):
        item["search"] = {
            "snippet": snippet(doc.title, doc.text, terms),
            "title_match": title_match[doc.pk],
        }
    return json_response({"meta": {"total_count": total}, "items": items})


def _rows_in_order(queryset, ids):
    """The catalogue rows (with their search text) of `ids`, in that order."""
    rows = {row.pk: row for row in catalogue_rows(queryset.filter(pk__in=ids), search=True)}
    return [rows[pk] for pk in ids if pk in rows]


FILTER_PARAMS = LISTING_PARAMS - {"search", "fields", "order", "limit", "offset", "format", "items_only"}


def _search_from_postings(params, scope, bigram, limit, offset):
    """A search for one two-character word with no other filter, on a site where every
    catalogue row is public: count and page come from the postings index (title hits first,
    then newest), then one lookup of the page's rows; same answer as the general path."""
    postings = ranked_postings(bigram)
    total = _memo_count(scope, params, postings)
    ranked = list(postings.values_list("document_id", "in_title")[offset : offset + limit])
    return _search_response(params, scope, total, ranked, [bigram])


# Parameters that do not change which rows a listing has (only their order or shape).
NOT_FILTERS = {"limit", "offset", "fields", "order", "format"}


def _filter_key(params):
    return tuple(sorted((k, v) for k, v in params.items() if k not in NOT_FILTERS))


def _memo_count(scope, params, queryset):
    """The row count of a filtered listing, memoised per content version: paging through a
    column asks the same count again with every offset."""
    return memo(scope, "count", _filter_key(params), queryset.count, size=lambda value: 0)


def _page_statement(queryset):
    """One page of rows in one statement, paged by LIMIT and OFFSET parameters: the ids come
    from the ordering index alone (a deep offset skips index entries, not wide rows), then only
    those rows are read."""
    page_ids = queryset.values("page_id")[SLICE_MARK]
    rows = PublicDocument.objects.filter(page_id__in=page_ids).order_by(*queryset.query.order_by)
    return PrecompiledRowQuery(rows, ROW_COLUMNS)


def _listing_key(params):
    return (_filter_key(params), params.get("order"))


def _listing_response(params, scope, total, statement):
    limit = int_param(params, "limit", 1, LIMIT_MAX, LIMIT_DEFAULT)
    offset = int_param(params, "offset", 0, OFFSET_MAX, 0)
    chooser = fields_chooser(params, listing_field_names)
    docs = statement.rows(limit, offset)
    return json_response({"meta": {"total_count": total}, "items": serialise(docs, scope, chooser)})


# Listings (count and compiled statement) kept per content version by each process: paging
# through a column asks the same listing again with every offset. Then started afresh.
LISTINGS_KEPT = 256


def _topics(scope):
    """code -> name of the Office's topic list, memoised per content version."""
    if "topics" not in scope.extra:
        scope.extra["topics"] = topic_labels()
    return scope.extra["topics"]


def _public_page_doc_or_400(scope, page_id, name):
    path = _index_page_paths(scope).get(page_id)
    if path is not None:
        return PublicDocument(page_id=page_id, path=path)
    doc = scope.documents().filter(pk=page_id).only("page_id", "path").first()
    if doc is None:
        raise APIError(f"参数 {name} 指向的页面不存在或未公开。")
    return doc


def _index_page_paths(scope):
    """page id -> path of every public index page (home, categories, sections, columns): the
    usual parents in child_of/descendant_of, memoised per content version."""
    if "index_paths" not in scope.extra:
        scope.extra["index_paths"] = dict(
            scope.documents().filter(is_item=False).values_list("page_id", "path")
        )
    return scope.extra["index_paths"]


def _order(value, default_recent=True):
    if not value:
        return ["-first_published_at", "-page_id"] if default_recent else ["path"]
    descending = value.startswith("-")
    name = value[1:] if descending else value
    if name not in ORDERS:
        raise APIError(f"参数 order 应为：{'、'.join(ORDERS)}（可加 - 表示倒序）。")
    column = F(ORDERS[name])
    return [column.desc(nulls_last=True) if descending else column.asc(nulls_last=True), "page_id"]


@public_endpoint(prefetch=detail_prefetch)
def page_detail(request, scope, pk):
    params = read_params(request, {"fields", "format"})
    doc = _public_page_doc(scope, pk, request.prefetched)
    chooser = fields_chooser(params, detail_field_names)
    return json_response(serialise([doc], scope, chooser)[0])


@public_endpoint
def page_find(request, scope):
    params = read_params(request, {"html_path", "fields", "format"})
    path = params.get("html_path")
    if not path:
        raise APIError("请提供参数 html_path。")
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/"):
        path += "/"
    doc = scope.documents().filter(html_path=path).only("page_id").first() or _redirected(scope, path)
    if doc is None:
        raise APIError("页面不存在或未公开。", status=404)
    url = f"/api/v2/pages/{doc.pk}/"
    rest = _without(request, "html_path")
    return HttpResponseRedirect(f"{url}?{rest}" if rest else url)


def _redirected(scope, path):
    """The public page an old address (e.g. an item's former title-based one) now points to."""
    # Asked of the URL parser behind normalise_path itself: it drops tabs and line breaks and
    # reads "//x/" as a host (whose redirect would be that of "/"), and refuses "//[x" (a broken
    # IPv6 host). Either is no address of this site.
    try:
        if urlsplit(path).netloc:
            return None
        old_path = Redirect.normalise_path(path)
    except ValueError:
        return None
    target = (
        Redirect.objects.filter(old_path=old_path, redirect_page__isnull=False)
        .values_list("redirect_page_id", flat=True)
        .first()
    )
    return scope.documents().filter(pk=target).only("page_id").first() if target else None


def _without(request, name):
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


# --- site ------------------------------------------------------------------------------------


@public_endpoint
def site(request, scope):
    read_params(request, {"format"})
    if "site" not in scope.extra:
        scope.extra["site"] = _site_data(scope)
    return json_response(scope.extra["site"])


def _site_data(scope):
    identity = scope.identity
    docs = list(
        scope.documents()
        .filter(is_item=False)
        .order_by("path")
        .values("page_id", "type", "path", "title", "html_path", "listing")
    )
    nodes, roots, home = {}, [], None
    node_types = fields.site_tree_nodes()
    for row in docs:
        if row["type"] == HomePage._meta.label and row["path"] == scope.root_path:
            home = {
                "id": row["page_id"],
                "title": row["title"],
                "html_path": row["html_path"],
                "intro": row["listing"].get("description", ""),
            }
            continue
        if row["type"] not in node_types:
            continue
        listing = row["listing"]
        if listing.get("hidden"):
            continue  # a column the Office hid: its items stay public, the column leaves the tree
        node = {
            "id": row["page_id"],
            "title": row["title"],
            "slug": row["html_path"].rstrip("/").rsplit("/", 1)[-1],
            "html_path": row["html_path"],
            "node_type": node_types[row["type"]],
            "kind": listing.get("kind"),
            "kind_label": listing.get("kind_label"),
            "description": listing.get("description", ""),
            "keywords": listing.get("keywords", ""),
            "departments": scope.column_departments.get(row["page_id"], []),
            "children": [],
        }
        nodes[row["path"]] = node
        parent = nodes.get(row["path"][:-4])
        (parent["children"] if parent else roots).append(node)
    return {
        "name": identity.site_name or settings.WAGTAIL_SITE_NAME,
        "domain": identity.site_domain,
        "id_code": identity.site_id_code,
        "organiser": identity.organiser,
        "address": identity.address,
        "phone": identity.phone,
        "email": identity.email,
        "icp_number": identity.icp_number,
        "police_number": identity.police_number,
        "home": home,
        "columns": roots,
        "departments": list(scope.departments.values()),
        "topics": [{"value": v, "label": label} for v, label in _topics(scope).items()],
    }


@public_endpoint
def statutory(request, scope):
    """法定主动公开内容: each kind the bureau must disclose, where it is published, when last."""
    read_params(request, {"format"})
    if "statutory" not in scope.extra:
        scope.extra["statutory"] = {
            "items": [_statutory_item(row) for row in statutory_status(scope.documents())]
        }
    return json_response(scope.extra["statutory"])


def _statutory_item(row):
    return {
        "name": row.kind.name,
        "legal_basis": row.kind.legal_basis,
        "required": row.kind.required,
        "columns": [{"id": c["id"], "title": c["title"], "html_path": c["html_path"]} for c in row.columns],
        "item_count": row.item_count,
        "last_updated": iso(row.last_updated),
        "missing": row.missing,
    }


# --- images and documents ---------------------------------------------------------------------


def _used_media(scope, kind):
    key = f"media:{kind}"
    if key not in scope.extra:
        ids = set()
        for media in scope.documents().filter(has_media=True).values_list("media", flat=True):
            ids.update(media.get(kind, []))
        scope.extra[key] = ids
    return scope.extra[key]


def _media_listing(request, scope, kind, model, to_json):
    params = read_params(request, {"limit", "offset", "format", "order"})
    limit = int_param(params, "limit", 1, LIMIT_MAX, LIMIT_DEFAULT)
    offset = int_param(params, "offset", 0, OFFSET_MAX, 0)
    order = params.get("order", "id")
    if order not in ("id", "-id", "title", "-title"):
        raise APIError("参数 order 应为 id 或 title（可加 - 表示倒序）。")
    queryset = model.objects.filter(pk__in=_used_media(scope, kind)).order_by(order, "pk")
    if kind == "images":
        queryset = queryset.prefetch_renditions(IMAGE_RENDITION)
    total = queryset.count()
    return json_response(
        {"meta": {"total_count": total}, "items": [to_json(o) for o in queryset[offset : offset + limit]]}
    )


def _image_json(image):
    data = image_object(image)
    return {
        "id": image.pk,
        "meta": {"type": "wagtailimages.Image", "detail_url": f"/api/v2/images/{image.pk}/"},
        "title": image.title,
        "width": image.width,
        "height": image.height,
        "rendition": data["rendition"],
    }


def _document_json(document):
    data = document_object(document)
    return {
        "id": document.pk,
        "meta": {
            "type": "wagtaildocs.Document",
            "detail_url": f"/api/v2/documents/{document.pk}/",
            "download_url": data["url"],
        },
        "title": document.title,
        "file_type": data["file_type"],
        "size": data["size"],
    }


@public_endpoint
def images_listing(request, scope):
    return _media_listing(request, scope, "images", get_image_model(), _image_json)


@public_endpoint
def documents_listing(request, scope):
    return _media_listing(request, scope, "documents", get_document_model(), _document_json)


@public_endpoint
def image_detail(request, scope, pk):
    read_params(request, {"format"})
    if pk not in _used_media(scope, "images"):
        raise APIError("图片不存在或未公开。", status=404)
    return json_response(_image_json(get_image_model().objects.get(pk=pk)))


@public_endpoint
def document_detail(request, scope, pk):
    read_params(request, {"format"})
    if pk not in _used_media(scope, "documents"):
        raise APIError("文件不存在或未公开。", status=404)
    return json_response(_document_json(get_document_model().objects.get(pk=pk)))


@public_endpoint
def api_root(request, scope):
    read_params(request, {"format"})
    return json_response(
        {
            "endpoints": {
                "site": "/api/v2/site/",
                "statutory": "/api/v2/statutory/",
                "pages": "/api/v2/pages/",
                "images": "/api/v2/images/",
                "documents": "/api/v2/documents/",
                "questions": "/api/v2/questions/",
                "schema": "/api/v2/schema/",
            }
        }
    )
