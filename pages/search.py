"""Chinese-aware search and the public catalogue (pages.models.search), kept in step with
publishing.

Why character bigrams: Chinese has no spaces, and a word of two characters is the common case
(预算, 救助, 低保). Indexing every pair of adjacent characters finds any word of two or more
characters wherever it stands (recall 100%: a word's bigrams are always in a text containing
it), needs no dictionary to maintain, and works with plain indexed lookups on SQLite and
PostgreSQL alike. Precision comes from a substring check on the few candidate rows. A
dictionary segmenter (jieba) misses words it splits differently from the query ("社会救助" vs
"救助"), which is exactly the failure sites are criticised for. Large sites can switch to
OpenSearch/Elasticsearch with a Chinese analyzer (docs/API.md, "Search at scale").
"""

import datetime
import html
import logging
import re
import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

from pages.models.search import PublicChange, PublicDocument, PublicIndexState, SearchBigram

# Fields whose change does not alter what the public sees of a live page (draft bookkeeping).
DRAFT_ONLY_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
    "live_revision",
}

logger = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")
SNIPPET_RADIUS = 40
MAX_QUERY_TERMS = 8
EXTERNAL_SEARCH_MAX = 1000


# --- text and bigrams -------------------------------------------------------------------


def normalise(text):
    return (text or "").lower()


def bigrams_of(text):
    """Distinct bigrams of every word-character run; single-character runs index alone."""
    grams = set()
    for run in _WORD.findall(normalise(text)):
        if len(run) == 1:
            grams.add(run)
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def query_terms(query):
    """The search terms of a query: runs of word characters, at most MAX_QUERY_TERMS."""
    return _WORD.findall(normalise(query))[:MAX_QUERY_TERMS]


def plain(rich_text):
    return html.unescape(strip_tags(rich_text or "")).strip()


# --- what a page contributes ----------------------------------------------------------------

# Extra text fields searched per item type (besides title, summary and body), rich text marked.
SEARCH_TEXT_FIELDS = {
    "NewsPage": [("source", False)],
    "AppointmentPage": [("document_number", False)],
    "PolicyPage": [("document_number", False), ("issuing_authority", False)],
    "QuestionPage": [("question", False), ("reply", True)],
    "QAEntryPage": [("question", False), ("answer", True)],
    "SurveyPage": [("feedback_channel", False)],
    "LeaderProfilePage": [("position", False), ("resume", True), ("responsibilities", False)],
    "ServiceGuidePage": [
        ("legal_basis", True),
        ("conditions", True),
        ("materials", True),
        ("location", False),
        ("agency", False),
        ("fees", False),
        ("hours", False),
        ("process", True),
    ],
    "LinkPage": [("link_description", False)],
}


_EMBED_IMAGE = re.compile(r'<embed\b[^>]*embedtype="image"[^>]*/>')
_DOC_LINK = re.compile(r'<a\b[^>]*linktype="document"[^>]*>')
_ID = re.compile(r'\bid="(\d+)"')


def rich_text_fields(page):
    names = ["body"] + [f for f, rich in SEARCH_TEXT_FIELDS.get(type(page).__name__, []) if rich]
    return [getattr(page, n, "") or "" for n in names]


def media_of(page):
    """Ids of the images and documents a page shows: rich text, attachments, photo."""
    images, documents = set(), set()
    for text in rich_text_fields(page):
        images.update(int(m) for tag in _EMBED_IMAGE.findall(text) for m in _ID.findall(tag))
        documents.update(int(m) for tag in _DOC_LINK.findall(text) for m in _ID.findall(tag))
    for block in getattr(page, "attachments", None) or []:
        if block.value and block.value.get("document"):
            documents.add(block.value["document"].pk)
    if getattr(page, "photo_id", None):
        images.add(page.photo_id)
    media = {}
    if images:
        media["images"] = sorted(images)
    if documents:
        media["documents"] = sorted(documents)
    return media


def _date(value):
    return value.isoformat() if value else None


def _choice(page, field):
    value = getattr(page, field)
    return {"value": value, "label": getattr(page, f"get_{field}_display")()} if value else None


def listing_fields(page):
    """Fields shown in listings (cheap, no rich text), serialised once at publication."""
    from pages.models import BaseItemPage, DocumentItemPage

    data = {}
    if isinstance(page, BaseItemPage):
        data = {
            "formed_on": _date(page.formed_on),
            "index_number": page.index_number if page.in_disclosure_catalogue() else "",
            "topic": {"value": page.topic, "label": page.topic_label} if page.topic else None,
            "disclosure_method": _choice(page, "disclosure_method"),
            "summary": page.summary,
        }
    if isinstance(page, DocumentItemPage):
        # The catalogue metadata of a document (Art. 12), on every type the bureau issues.
        data |= {
            "document_number": page.document_number,
            "issuing_authority": page.issuing_authority,
            "written_on": _date(page.written_on),
            "validity": _choice(page, "validity"),
        }
    return data | _type_listing_fields(page)


def _type_listing_fields(page):
    name = type(page).__name__
    if name == "NoticePage":
        return {"notice_kind": _choice(page, "notice_kind"), "event_date": _date(page.event_date)}
    if name == "SurveyPage":
        return {"opens_on": _date(page.opens_on), "closes_on": _date(page.closes_on)}
    if name == "AnnualReportPage":
        return {"year": page.year}
    if name == "BudgetPage":
        return {"year": page.year, "budget_kind": _choice(page, "budget_kind")}
    if name == "NewsPage":
        return {"source": page.source, "is_repost": page.is_repost, "source_url": page.source_url}
    if name == "LinkPage":
        return {"url": page.url}
    if name == "LeaderProfilePage":
        return {"position": page.position, "photo_id": page.photo_id}
    if name == "QuestionPage":
        return {"replied_on": _date(page.replied_on)}
    if name in ("ColumnPage", "CategoryPage", "SectionPage", "HomePage"):
        data = {"description": getattr(page, "description", "") or getattr(page, "intro", "")}
        if name == "ColumnPage":
            data.update(kind=page.kind, kind_label=page.get_kind_display(), keywords=page.keywords)
            if page.hidden:
                data["hidden"] = True
        return data
    return {}


def search_text(page):
    parts = [getattr(page, "summary", ""), plain(getattr(page, "body", ""))]
    for field, rich in SEARCH_TEXT_FIELDS.get(type(page).__name__, []):
        value = getattr(page, field, "")
        parts.append(plain(value) if rich else (value or ""))
    return "\n".join(p for p in parts if p)


_UNSET = object()


def document_for(page, parent_id=_UNSET):
    """The catalogue row of a live page (specific instance, as stored in the database), with
    its precomputed detail."""
    doc = catalogue_row(page, parent_id)
    doc.detail = precompute_detail(page, doc)
    return doc


def catalogue_row(page, parent_id=_UNSET):
    """The catalogue row of a live page without its precomputed detail."""
    from pages.models import BaseItemPage

    is_item = isinstance(page, BaseItemPage)
    first = page.first_published_at
    media = media_of(page)
    if parent_id is _UNSET:
        parent_id = _parent_id(page)
    return PublicDocument(
        page_id=page.pk,
        type=f"{page._meta.app_label}.{type(page).__name__}",
        is_item=is_item,
        path=page.path,
        parent_id=parent_id,
        column_id=parent_id if is_item else None,
        department_id=page.department_id if is_item else None,
        topic=page.topic if is_item else "",
        in_catalogue=is_item and page.in_disclosure_catalogue(),
        validity=getattr(page, "validity", "") or "",
        formed_on=page.formed_on if is_item else None,
        first_published_at=first,
        last_published_at=page.last_published_at,
        published_on=timezone.localtime(first).date() if first else None,
        title=page.title,
        html_path=html_path(page.url_path),
        search_text=search_text(page) if is_item else "",
        listing=listing_fields(page),
        media=media,
        has_media=bool(media),
    )


def precompute_detail(page, doc):
    """The detail JSON of the page, rendered now so that a detail request is one lookup. A
    failure (e.g. an image file missing for its rendition) must not block publishing: the row
    then has no precomputed detail and the API renders it from the page per request."""
    from govportal.api.serializers import precompute_detail as build

    try:
        with transaction.atomic():
            return build(page, doc)
    except Exception:
        logger.exception("precomputing the public detail of page %s failed", page.pk)
        return None


def precompute_batch(pairs):
    """Set the precomputed detail of many (page, row) pairs in one pass; if the batch fails,
    page by page, so that one broken page only loses its own detail."""
    from govportal.api.serializers import precompute_details

    try:
        with transaction.atomic():
            details = precompute_details(pairs)
    except Exception:
        details = {doc.pk: precompute_detail(page, doc) for page, doc in pairs}
    for _, doc in pairs:
        doc.detail = details.get(doc.pk)


def _parent_id(page):
    from wagtail.models import Page

    if page.depth <= 1:
        return None
    parent_path = page.path[: -Page.steplen]
    return Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()


def html_path(url_path):
    """The public path of a page: its url_path without the site root's segment."""
    parts = url_path.strip("/").split("/")
    rest = parts[1:]
    return "/" + "".join(f"{p}/" for p in rest)


# --- keeping the catalogue in step ----------------------------------------------------------


_BUMP_SQL = (
    f"UPDATE {PublicIndexState._meta.db_table} SET version = version + 1, changed_at = %s "
    "WHERE id = 1 RETURNING version"
)
# Change-log rows kept: a memo older than this many versions is recomputed, not patched.
CHANGES_KEPT = 500


def bump_version(page_id=None):
    """Invalidate every cached API response, in this and every other process, and log what
    changed: one page's catalogue row, or (None) anything public."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL, [connection.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    if row is None:
        state, _ = PublicIndexState.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})
        version, now = state.version, state.changed_at
    else:
        version = row[0]
    PublicChange.objects.create(version=version, changed_at=now, page_id=page_id)
    if version % CHANGES_KEPT == 0:
        old = PublicChange.objects.filter(version__lte=version - CHANGES_KEPT)
        old._raw_delete(old.db)


_STATE_SQL = f"SELECT version, changed_at FROM {PublicIndexState._meta.db_table} WHERE id = 1"


def current_state():
    """(version, changed_at) of the public content. Read on every API request, so one plain
    SQL statement rather than a compiled ORM query (a tenth of the cost)."""
    with connection.cursor() as cursor:
        cursor.execute(_STATE_SQL)
        row = cursor.fetchone()
    if row is None:
        return (0, None)
    version, changed_at = row
    if isinstance(changed_at, str):  # SQLite hands back the stored text
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    return (version, changed_at)


def index_page(page_id):
    """(Re)build the catalogue row and bigrams of one page from what is live in the database.
    Writes only what changed (an UPDATE of the row, the bigrams added or removed), with plain
    deletes: no ORM collector, no per-row delete signals."""
    from wagtail.models import Page

    base = Page.objects.filter(pk=page_id).first()
    if base is None or not base.live or base.depth <= 1:
        remove_page(page_id)
        return
    page = base.specific
    doc = document_for(page)
    fields = {
        f.attname: getattr(doc, f.attname) for f in PublicDocument._meta.concrete_fields if not f.primary_key
    }
    with transaction.atomic():
        if not PublicDocument.objects.filter(pk=page_id).update(**fields):
            doc.save(force_insert=True)
        _write_postings(doc, postings_of(doc))
        bump_version(page_id)
    _state.last_indexed = (page_id, page.live_revision_id, page.last_published_at)


def postings_of(doc):
    """bigram -> in_title, for a catalogue row."""
    if not doc.is_item:
        return {}  # search lists only items
    in_title = bigrams_of(doc.title)
    return {g: g in in_title for g in in_title | bigrams_of(doc.search_text)}


def _posting(doc, bigram, in_title):
    return SearchBigram(
        document_id=doc.pk,
        bigram=bigram,
        in_title=in_title,
        is_item=doc.is_item,
        published=doc.first_published_at,
    )


def _write_postings(doc, wanted):
    """Make the document's postings equal `wanted`, touching only the rows that differ."""
    rows = SearchBigram.objects.filter(document_id=doc.pk)
    existing = {}
    stale_meta = False
    for bigram, in_title, is_item, published in rows.values_list(
        "bigram", "in_title", "is_item", "published"
    ):
        existing[bigram] = in_title
        stale_meta = stale_meta or is_item != doc.is_item or published != doc.first_published_at
    gone = [g for g, t in existing.items() if wanted.get(g) != t]
    if gone:
        stale = rows.filter(bigram__in=gone)
        stale._raw_delete(stale.db)
    if stale_meta:
        rows.update(is_item=doc.is_item, published=doc.first_published_at)
    SearchBigram.objects.bulk_create(
        [_posting(doc, g, t) for g, t in wanted.items() if existing.get(g) != t], batch_size=500
    )


def remove_page(page_id):
    with transaction.atomic():
        for queryset in (
            SearchBigram.objects.filter(document_id=page_id),
            PublicDocument.objects.filter(pk=page_id),
        ):
            queryset._raw_delete(queryset.db)
        bump_version(page_id)


def rebuild_index(stdout=None, on_progress=None, batch_size=500):
    """Rebuild the whole catalogue (after a bulk import, a settings change such as
    GOVPORTAL_API_MEDIA_BASE_URL, or on an existing database): in one transaction, in batches
    (one query per page type per batch to load pages, bulk inserts), one version bump at the
    end. `on_progress(done, total)` is called after each batch."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    rows = list(
        Page.objects.filter(live=True, depth__gt=1).order_by("path").values_list("pk", "content_type_id")
    )
    total = len(rows)
    drop_rank_index, create_rank_index = _rank_index_sql()
    with transaction.atomic():
        # Postings go in without their ranking index, which is built once at the end from all
        # of them: several times faster than keeping it up to date over millions of inserts.
        # (On PostgreSQL dropping the index locks the postings until the rebuild commits, so
        # the millions of old ones are truncated rather than deleted row by row; searches
        # wait for the rebuild, listings and details go on from the old rows.)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {connection.ops.quote_name(SearchBigram._meta.db_table)}")
            else:
                postings = SearchBigram.objects.all()
                postings._raw_delete(postings.db)
            documents = PublicDocument.objects.all()
            documents._raw_delete(documents.db)
            cursor.execute(drop_rank_index)
        for start in range(0, total, batch_size):
            batch = rows[start : start + batch_size]
            by_type = {}
            for pk, content_type_id in batch:
                by_type.setdefault(content_type_id, []).append(pk)
            pages = {}
            for content_type_id, pks in by_type.items():
                model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
                pages.update(model.objects.in_bulk(pks))
            parents = _parent_ids(pages.values())
            pairs = [
                (pages[pk], catalogue_row(pages[pk], parent_id=parents.get(pk)))
                for pk, _ in batch
                if pk in pages
            ]
            precompute_batch(pairs)
            docs = [doc for _, doc in pairs]
            PublicDocument.objects.bulk_create(docs, batch_size=batch_size)
            _insert_postings(docs)
            if on_progress:
                on_progress(min(start + batch_size, total), total)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Sort the ~12 million postings of 100,000 items in memory, not in temp files.
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(create_rank_index)
            if connection.vendor == "postgresql":
                # Fresh statistics for millions of new rows, or the planner may pick a plan
                # for the empty table the rebuild started from (minutes instead of ms).
                for model in (SearchBigram, PublicDocument):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        bump_version()
    if stdout:
        stdout.write(f"indexed {total} pages\n")
    return total


def _rank_index_sql():
    """DROP and CREATE statements of the postings' ranking index, as its migration made it."""
    index = next(i for i in SearchBigram._meta.indexes if i.name == "bigram_rank")
    editor = connection.schema_editor()  # only to write the SQL: never entered, runs nothing
    drop = f"DROP INDEX {connection.ops.quote_name(index.name)}"
    return drop, str(index.create_sql(SearchBigram, editor))


_POSTING_COLUMNS = ("document_id", "bigram", "in_title", "is_item", "published")


def _insert_postings(docs):
    """The postings of freshly inserted rows, written as plain rows (COPY on PostgreSQL): a
    100,000-item site has about 12 million, too many to build as model instances."""
    table = connection.ops.quote_name(SearchBigram._meta.db_table)
    columns = ", ".join(_POSTING_COLUMNS)
    rows = []
    for doc in docs:
        published = connection.ops.adapt_datetimefield_value(doc.first_published_at)
        rows.extend((doc.pk, g, t, doc.is_item, published) for g, t in postings_of(doc).items())
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)", rows)


def _parent_ids(pages):
    from wagtail.models import Page

    parent_paths = {p.path[: -Page.steplen]: None for p in pages if p.depth > 1}
    by_path = dict(Page.objects.filter(path__in=list(parent_paths)).values_list("path", "pk"))
    return {p.pk: by_path.get(p.path[: -Page.steplen]) for p in pages if p.depth > 1}


def rebuild_from_migration(apps, schema_editor):
    """RunPython of the catalogue migrations: rebuild with the current code, but only when the
    catalogue tables already have every column the current models expect (a later migration
    adding one calls this again) and there are live pages to index."""
    if not apps.get_model("wagtailcore", "Page").objects.filter(depth__gt=1, live=True).exists():
        return
    introspection = schema_editor.connection.introspection
    with schema_editor.connection.cursor() as cursor:
        for model in (PublicDocument, SearchBigram, PublicIndexState):
            table = model._meta.db_table
            if table not in introspection.table_names(cursor):
                return
            present = {c.name for c in introspection.get_table_description(cursor, table)}
            if not {f.column for f in model._meta.concrete_fields} <= present:
                return
    rebuild_index()


# Signals fire per save; the same page saved twice in one request is indexed twice, which is
# cheap. Per thread: the page last indexed, so page_published does not index it again.
_state = threading.local()


def on_page_saved(instance, update_fields):
    if update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return  # a draft was saved: the live content did not change
    index_page(instance.pk)


def on_page_published(instance):
    """page_published follows the post_save of the same publish: index once, not twice."""
    key = (instance.pk, instance.live_revision_id, instance.last_published_at)
    if getattr(_state, "last_indexed", None) == key:
        _state.last_indexed = None
        return
    index_page(instance.pk)


def on_page_unpublished(instance):
    remove_page(instance.pk)


def on_media_changed(kind, media_id):
    """An image or document was edited or deleted: re-render the pages that show it."""
    affected = [
        page_id
        for page_id, media in PublicDocument.objects.filter(has_media=True).values_list("pk", "media")
        if media_id in (media or {}).get(kind, [])
    ]
    for page_id in affected:
        index_page(page_id)
    return affected


def on_page_moved(instance):
    from wagtail.models import Page

    for page_id in Page.objects.filter(path__startswith=instance.path, live=True).values_list(
        "pk", flat=True
    ):
        index_page(page_id)


# --- searching --------------------------------------------------------------------------------


def search_queryset(queryset, query):
    """Filter a PublicDocument queryset to rows containing every term of the query, annotated
    with `title_match` (1 when every term is in the title) for ranking. Returns (qs, terms)."""
    terms = query_terms(query)
    if not terms:
        return queryset.none(), terms
    if getattr(settings, "GOVPORTAL_PUBLIC_SEARCH_BACKEND", ""):
        return _external_search(queryset, query, terms)
    grams = set()
    for term in terms:
        grams |= bigrams_of(term) if len(term) > 1 else set()
    driver = rarest_bigram(grams)
    if driver:
        # Candidates: the documents of one index range (the rarest bigram); every other term
        # is checked on the text. Cheaper than intersecting every bigram's postings, which
        # groups all of them (three times slower for a four-character word at 100,000 items).
        queryset = queryset.filter(pk__in=SearchBigram.objects.filter(bigram=driver).values("document_id"))
    in_title = Q()
    for term in terms:
        # A two-character term is in a text exactly when its bigram is (both are word
        # characters, so they stand in one run): the index alone decides the driver's term.
        # Other terms are checked on the text (a longer word's bigrams may stand apart; one
        # character is not indexed as a bigram).
        if term != driver:
            queryset = queryset.filter(Q(title__icontains=term) | Q(search_text__icontains=term))
        in_title &= Q(title__icontains=term)
    queryset = queryset.annotate(
        title_match=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    )
    return queryset, terms


RAREST_COUNT_CAP = 5000


def rarest_bigram(grams):
    """The bigram with the fewest postings, or None. Counts are capped (an index-only count
    that stops at RAREST_COUNT_CAP entries): past that, which bigram drives matters little."""
    if len(grams) <= 1:
        return next(iter(grams), None)
    counts = {g: SearchBigram.objects.filter(bigram=g)[:RAREST_COUNT_CAP].count() for g in sorted(grams)}
    return min(sorted(grams), key=counts.__getitem__)


def single_bigram(query):
    """The bigram of a query whose every term is the same two-character word (the common
    case: 预算, 低保, 救助), else None. Such a search is answered from the postings alone."""
    terms = query_terms(query)
    if terms and len(set(terms)) == 1 and len(terms[0]) == 2 and not _external_backend():
        return terms[0]
    return None


def ranked_postings(bigram):
    """Postings of public items containing `bigram`, title hits first, then newest: the same
    order as search_queryset's ranking, read from one index range."""
    return SearchBigram.objects.filter(bigram=bigram).order_by("-in_title", "-published", "-document_id")


def _external_backend():
    return getattr(settings, "GOVPORTAL_PUBLIC_SEARCH_BACKEND", "")


def _external_search(queryset, query, terms):
    """Search with a Wagtail backend (OpenSearch/Elasticsearch with a Chinese analyzer); the
    catalogue still decides what is public; ranked like the built-in search (title hits
    first, then newest)."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend(settings.GOVPORTAL_PUBLIC_SEARCH_BACKEND)
    ids = [p.pk for p in backend.search(query, Page.objects.live())[:EXTERNAL_SEARCH_MAX]]
    in_title = Q()
    for term in terms:
        in_title &= Q(title__icontains=term)
    queryset = queryset.filter(pk__in=ids).annotate(
        title_match=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    )
    return queryset, terms


def highlight(text, terms):
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(title, text, terms):
    """A short passage around the first hit in the text, with every hit in <mark>."""
    lowered = normalise(text)
    positions = [lowered.find(t) for t in terms if lowered.find(t) >= 0]
    if not positions:
        passage = text[: SNIPPET_RADIUS * 2]
        prefix, suffix = "", "…" if len(text) > len(passage) else ""
    else:
        start = max(0, min(positions) - SNIPPET_RADIUS)
        end = min(len(text), min(positions) + SNIPPET_RADIUS * 2)
        passage = text[start:end]
        prefix, suffix = ("…" if start else ""), ("…" if end < len(text) else "")
    passage = " ".join(passage.split())
    return prefix + highlight(passage, terms) + suffix
