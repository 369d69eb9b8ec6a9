"""The public catalogue: one row per live page with what listings and filters need, each
item's search text, their character-bigram index and the content version. The public part
(govportal.api.catalogue) keeps them in step with publishing and reads only these tables for
listings and search. The tables that lived in the content model keep their names (`pages_…`):
moving them changed no data."""

from django.db import models


class PublicDocument(models.Model):
    """A live page as the public API lists it (denormalised; rebuilt on publish)."""

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="public_document"
    )
    type = models.CharField(max_length=60)  # "pages.NewsPage"
    is_item = models.BooleanField(default=False)
    path = models.CharField(max_length=255, db_index=True)
    parent_id = models.IntegerField(null=True)
    column_id = models.IntegerField(null=True)
    department_id = models.IntegerField(null=True)
    topic = models.CharField(max_length=20, blank=True, db_index=True)
    validity = models.CharField(max_length=12, blank=True, db_index=True)
    # The bureau's government information (政府信息公开目录): not questions, links or reposts.
    in_catalogue = models.BooleanField(default=False)
    formed_on = models.DateField(null=True)
    first_published_at = models.DateTimeField(null=True, db_index=True)
    last_published_at = models.DateTimeField(null=True)
    published_on = models.DateField(null=True, db_index=True)  # local date of first publication
    title = models.CharField(max_length=255)
    html_path = models.CharField(max_length=512, db_index=True)
    listing = models.JSONField(default=dict)  # type-specific listing fields, pre-serialised
    # Images and documents the page shows ({"images": [...], "documents": [...]}).
    media = models.JSONField(default=dict)
    has_media = models.BooleanField(default=False, db_index=True)
    # The page's public detail fields, rendered at publication (govportal.api.serializers.
    # precompute_detail): {"fields": {...}, "links": [page ids], "replaced_by_id": id}. Rich text
    # keeps links to other pages as placeholders resolved per request against what is public
    # then. NULL for rows indexed before this column existed: the API then renders from the page.
    detail = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "pages_publicdocument"
        verbose_name = "公开信息目录"
        # Each listing reads one page of ids from one of these in its own order (the tie-break
        # included, so PostgreSQL needs no sort) and then fetches those rows by key: a deep
        # offset skips index entries, never wide rows. Their leading columns also serve the
        # plain filters, so those columns need no index of their own.
        indexes = [
            models.Index(fields=["is_item", "-first_published_at", "-page_id"], name="pubdoc_item_recent"),
            models.Index(
                fields=["column_id", "-first_published_at", "-page_id"], name="pubdoc_column_recent"
            ),
            models.Index(fields=["type", "-first_published_at", "-page_id"], name="pubdoc_type_recent"),
            models.Index(
                fields=["in_catalogue", "-first_published_at", "-page_id"], name="pubdoc_catalogue_recent"
            ),
            models.Index(
                fields=["department_id", "-first_published_at", "-page_id"], name="pubdoc_department_recent"
            ),
            # INCLUDE (PostgreSQL; SQLite indexes carry the row id anyway): index-only id pages.
            models.Index(fields=["parent_id", "path"], include=["page_id"], name="pubdoc_parent_path"),
        ]

    def __str__(self):
        return self.title


class SearchText(models.Model):
    """What search reads of a public item: its title and its text (the plain text of every
    searched field), with its first publication for ranking. Apart from the catalogue row
    (whose precomputed detail and listing make it ~4 KB): checking a word no index can answer
    exactly reads every item's text, and at 100,000 items this table is 70 MB, the catalogue
    400 MB. Only items have one (search lists only items)."""

    document = models.OneToOneField(
        PublicDocument, primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    published = models.DateTimeField(null=True)  # the document's first_published_at
    title = models.CharField(max_length=255)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "检索文本"
        # The ranking without title hits (newest first, then highest id): a search with many
        # hits takes one page of them walking this index.
        indexes = [models.Index(fields=["-published", "-document"], name="searchtext_recent")]

    def __str__(self):
        return self.title


class SearchBigram(models.Model):
    """A distinct character bigram (or a lone character) of a public item page's title and text
    (search lists only items, so index pages have none): a posting list per bigram. `is_item`,
    `in_title` and `published` copy the document's so that a one-bigram search (any
    two-character word) is counted and ranked (title hits first, then newest) from this index
    alone, without reading the documents."""

    # No database constraint: postings are derived data written in bulk by rebuild_index (12
    # million at 100,000 items, each one a pending check otherwise) and always deleted with
    # their row by govportal.api.catalogue.
    document = models.ForeignKey(
        PublicDocument, on_delete=models.CASCADE, related_name="bigrams", db_constraint=False
    )
    bigram = models.CharField(max_length=2)
    is_item = models.BooleanField(default=False)
    in_title = models.BooleanField(default=False)
    published = models.DateTimeField(null=True)  # the document's first_published_at

    class Meta:
        db_table = "pages_searchbigram"
        verbose_name = "检索二元组"
        indexes = [models.Index(fields=["bigram", "in_title", "published", "document"], name="bigram_rank")]

    def __str__(self):
        return self.bigram


class PublicIndexState(models.Model):
    """A single row: bumped whenever anything public changes; keys the API response cache, so
    every process sees a publish at once (no shared cache needed)."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "pages_publicindexstate"
        verbose_name = "公开内容版本"

    def __str__(self):
        return str(self.version)
