"""The public catalogue (govportal.api.models) and its Chinese-aware search index, kept in step
with publishing: the receivers of Wagtail's and the content model's signals are connected by
the public app's config (govportal.api.apps).

Why character bigrams: Chinese has no spaces, and a word of two characters is the common case
(预算, 救助, 低保). Indexing every pair of adjacent characters finds any word of two or more
characters wherever it stands (recall 100%: a word's bigrams are always in a text containing
it), needs no dictionary to maintain, and works with plain indexed lookups on SQLite and
PostgreSQL alike. Precision comes from a substring check on the few candidate rows. A
dictionary segmenter (jieba) misses words it splits differently from the query ("社会救助" vs
"救助"), which is exactly the failure sites are criticised for. Large sites can switch to
OpenSearch/Elasticsearch with a Chinese analyzer (docs/API.md, "Search at scale").
"""

import logging
import re
import threading

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from pages.items import is_item
from pages.public import live_page_changed

from . import fields
from .models import PublicDocument, PublicIndexState, SearchBigram, SearchText
from .serializers import precompute_detail as render_detail
from .serializers import precompute_details as render_details
from .version import bump_version

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
MAX_QUERY_TERMS = 8


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


# --- what a page contributes ----------------------------------------------------------------

_EMBED_IMAGE = re.compile(r'<embed\b[^>]*embedtype="image"[^>]*/>')
_DOC_LINK = re.compile(r'<a\b[^>]*linktype="document"[^>]*>')
_ID = re.compile(r'\bid="(\d+)"')


def media_of(page):
    """Ids of the images and documents a page shows, from the fields its type declares public:
    rich text (embedded images, document links), attachments and images."""
    images, documents = set(), set()
    for field in fields.declared(page._meta.label).values():
        if not field.served:
            continue  # kept for the site tree, never shown
        if field.kind == "rich":
            text = fields.read(page, field) or ""
            images.update(int(m) for tag in _EMBED_IMAGE.findall(text) for m in _ID.findall(tag))
            documents.update(int(m) for tag in _DOC_LINK.findall(text) for m in _ID.findall(tag))
        elif field.kind == "attachments":
            for block in fields.read(page, field) or []:
                if block.value and block.value.get("document"):
                    documents.add(block.value["document"].pk)
        elif field.kind == "image" and getattr(page, f"{field.source}_id", None):
            images.add(getattr(page, f"{field.source}_id"))
    media = {}
    if images:
        media["images"] = sorted(images)
    if documents:
        media["documents"] = sorted(documents)
    return media


_UNSET = object()


def document_for(page, parent_id=_UNSET):
    """The catalogue row of a live page (specific instance, as stored in the database), with
    its precomputed detail."""
    doc = catalogue_row(page, parent_id)
    doc.detail = precompute_detail(page, doc)
    return doc


def catalogue_row(page, parent_id=_UNSET):
    """The catalogue row of a live page without its precomputed detail."""
    item = is_item(page)
    first = page.first_published_at
    media = media_of(page)
    if parent_id is _UNSET:
        parent_id = _parent_id(page)
    return PublicDocument(
        page_id=page.pk,
        type=f"{page._meta.app_label}.{type(page).__name__}",
        is_item=item,
        path=page.path,
        parent_id=parent_id,
        column_id=parent_id if item else None,
        department_id=page.department_id if item else None,
        topic=page.topic if item else "",
        in_catalogue=item and page.in_disclosure_catalogue(),
        validity=getattr(page, "validity", "") or "",
        formed_on=page.formed_on if item else None,
        first_published_at=first,
        last_published_at=page.last_published_at,
        published_on=timezone.localtime(first).date() if first else None,
        title=page.title,
        html_path=html_path(page.url_path),
        listing=fields.listing_values(page),
        media=media,
        has_media=bool(media),
    )


def search_text_row(page, doc):
    """What search reads of a catalogue row's page (None for an index page: search lists
    only items)."""
    if not doc.is_item:
        return None
    return SearchText(
        document=doc, published=doc.first_published_at, title=doc.title, text=fields.search_text(page)
    )


def precompute_detail(page, doc):
    """The detail JSON of the page, rendered now so that a detail request is one lookup. A
    failure (e.g. an image file missing for its rendition) must not block publishing: the row
    then has no precomputed detail and the API renders it from the page per request."""
    try:
        with transaction.atomic():
            return render_detail(page, doc)
    except Exception:
        logger.exception("precomputing the public detail of page %s failed", page.pk)
        return None


def precompute_batch(pairs):
    """Set the precomputed detail of many (page, row) pairs in one pass; if the batch fails,
    page by page, so that one broken page only loses its own detail."""
    try:
        with transaction.atomic():
            details = render_details(pairs)
    except Exception:
        details = {doc.pk: precompute_detail(page, doc) for page, doc in pairs}
    for _, doc in pairs:
        doc.detail = details.get(doc.pk)


def _parent_id(page):
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


def index_page(page_id, saved=None):
    """(Re)build the catalogue row and bigrams of one page from what is live in the database
    (or from `saved`, the specific page a full save has just written: the same values).
    Writes only what changed (an UPDATE of the row, the bigrams added or removed), with plain
    deletes: no ORM collector, no per-row delete signals."""
    base = saved if saved is not None else Page.objects.filter(pk=page_id).first()
    if base is None or not base.live or base.depth <= 1:
        remove_page(page_id)
        return
    page = base if saved is not None else base.specific
    doc = document_for(page)
    text = search_text_row(page, doc)
    with transaction.atomic():
        _write_row(doc)
        if text is None:
            stale = SearchText.objects.filter(pk=page_id)
            stale._raw_delete(stale.db)
        else:
            _write_row(text)
        _write_postings(doc, postings_of(text))
        bump_version()
    _state.last_indexed = (page_id, page.live_revision_id, page.last_published_at)


def _write_row(row):
    """UPDATE the row in place, or INSERT it when it is new."""
    model = type(row)
    values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    if not model.objects.filter(pk=row.pk).update(**values):
        row.save(force_insert=True)


def postings_of(text):
    """bigram -> in_title, for a page's search text (None: an index page, no postings)."""
    if text is None:
        return {}
    in_title = bigrams_of(text.title)
    return {g: g in in_title for g in in_title | bigrams_of(text.text)}


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
    for bigram, in_title, item, published in rows.values_list("bigram", "in_title", "is_item", "published"):
        existing[bigram] = in_title
        stale_meta = stale_meta or item != doc.is_item or published != doc.first_published_at
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
            SearchText.objects.filter(pk=page_id),
            PublicDocument.objects.filter(pk=page_id),
        ):
            queryset._raw_delete(queryset.db)
        bump_version()


def rebuild_index(stdout=None, on_progress=None, batch_size=500):
    """Rebuild the whole catalogue (after a bulk import, a settings change such as
    GOVPORTAL_API_MEDIA_BASE_URL, or on an existing database): in one transaction, in batches
    (one query per page type per batch to load pages, bulk inserts), one version bump at the
    end. `on_progress(done, total)` is called after each batch."""
    rows = list(
        Page.objects.filter(live=True, depth__gt=1).order_by("path").values_list("pk", "content_type_id")
    )
    total = len(rows)
    drop_rank_index, create_rank_index = _rank_index_sql()
    with transaction.atomic():
        # Postings go in without their ranking index, which is built once at the end from all
        # of them: several times faster than keeping it up to date over millions of inserts.
        # (On PostgreSQL dropping the index locks the postings until the rebuild commits, so
        # the millions of old ones are truncated rather than deleted row by row, and so are
        # the search texts: a search reads every one of them, and deleted rows would double
        # the table it scans. Searches wait for the rebuild, listings and details go on from
        # the old rows.)
        with connection.cursor() as cursor:
            search_tables = (SearchBigram.objects.all(), SearchText.objects.all())
            if connection.vendor == "postgresql":
                names = ", ".join(connection.ops.quote_name(t.model._meta.db_table) for t in search_tables)
                cursor.execute(f"TRUNCATE {names}")
            else:
                for table in search_tables:
                    table._raw_delete(table.db)
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
            texts = [text for page, doc in pairs if (text := search_text_row(page, doc))]
            PublicDocument.objects.bulk_create(docs, batch_size=batch_size)
            SearchText.objects.bulk_create(texts, batch_size=batch_size)
            _insert_postings(docs, texts)
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
                for model in (SearchBigram, SearchText, PublicDocument):
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


def _insert_postings(docs, texts):
    """The postings of freshly inserted rows (`texts`: their search texts), written as plain
    rows (COPY on PostgreSQL): a 100,000-item site has about 12 million, too many to build as
    model instances."""
    table = connection.ops.quote_name(SearchBigram._meta.db_table)
    columns = ", ".join(_POSTING_COLUMNS)
    by_pk = {doc.pk: doc for doc in docs}
    rows = []
    for text in texts:
        doc = by_pk[text.pk]
        published = connection.ops.adapt_datetimefield_value(doc.first_published_at)
        rows.extend((doc.pk, g, t, doc.is_item, published) for g, t in postings_of(text).items())
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
        for model in (PublicDocument, SearchText, SearchBigram, PublicIndexState):
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
    # A full save of the specific page wrote every field as the instance holds it: index that
    # (publishing's save). A partial save may leave other fields unsaved: read the database.
    written = update_fields is None and type(instance) is instance.specific_class
    index_page(instance.pk, saved=instance if written else None)


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
    for page_id in Page.objects.filter(path__startswith=instance.path, live=True).values_list(
        "pk", flat=True
    ):
        index_page(page_id)


# --- receivers (connected by govportal.api.apps) --------------------------------------------


def _page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and isinstance(instance, Page):
        on_page_saved(instance, update_fields)


def _page_deleted(sender, instance, **kwargs):
    bump_version()


def _published(sender, instance, **kwargs):
    on_page_published(instance)


def _unpublished(sender, instance, **kwargs):
    on_page_unpublished(instance)


def _moved(sender, instance, **kwargs):
    on_page_moved(instance)


def _changed_behind_signals(sender, page_id, **kwargs):
    index_page(page_id)


def _public_metadata_changed(sender, **kwargs):
    if not kwargs.get("raw"):
        bump_version()


def connect_receivers():
    media_kinds = {get_image_model_string(): "images", get_document_model_string(): "documents"}

    def media_changed(sender, instance, raw=False, **kwargs):
        if not raw:
            on_media_changed(media_kinds[sender._meta.label], instance.pk)

    for label in media_kinds:
        post_save.connect(media_changed, sender=label, weak=False, dispatch_uid=f"catalogue.saved.{label}")
        post_delete.connect(
            media_changed, sender=label, weak=False, dispatch_uid=f"catalogue.deleted.{label}"
        )
    post_save.connect(_page_saved, dispatch_uid="catalogue.page_saved")
    # Deleting any page deletes its base Page row too, so sender=Page sees every page (and
    # other models' deletes stay on Django's fast path).
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="catalogue.page_deleted")
    page_published.connect(_published, dispatch_uid="catalogue.published")
    page_unpublished.connect(_unpublished, dispatch_uid="catalogue.unpublished")
    post_page_move.connect(_moved, dispatch_uid="catalogue.moved")
    live_page_changed.connect(_changed_behind_signals, dispatch_uid="catalogue.changed")
    public_lists = ("pages.DisclosureTopic", "pages.StatutoryDisclosureKind")
    for model in ("moderation.Department", "pages.SiteIdentity", *public_lists):
        post_save.connect(_public_metadata_changed, sender=model, dispatch_uid=f"catalogue.saved.{model}")
        post_delete.connect(_public_metadata_changed, sender=model, dispatch_uid=f"catalogue.deleted.{model}")
    post_save.connect(
        _public_metadata_changed, sender=PageViewRestriction, dispatch_uid="catalogue.restricted"
    )
    post_delete.connect(
        _public_metadata_changed, sender=PageViewRestriction, dispatch_uid="catalogue.unrestricted"
    )
    for through in ("pages.ColumnPage_departments", "pages.StatutoryDisclosureKind_columns"):
        m2m_changed.connect(_public_metadata_changed, sender=through, dispatch_uid=f"catalogue.m2m.{through}")
