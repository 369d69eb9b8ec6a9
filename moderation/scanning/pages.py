"""Scanning an item page: every text field a reader sees, and every attached document."""

import os
import re
import time
from html import unescape

from django.conf import settings
from django.core.cache import cache
from django.db import models

from .detectors import detect
from .files import TIMEOUT_REASON, scan_file
from .findings import make_finding, unreadable

# Bump when detection changes, so that cached results of attachments are not reused.
SCANNER_VERSION = 1
CACHE_SECONDS = 7 * 24 * 3600

# Wagtail's own fields that readers see; its other fields are structure, not content.
PAGE_TEXT_FIELDS = ("title", "seo_title", "search_description")
# Fields that never leave the CMS (the asker's name and contact of 互动交流); a page type can
# add its own with a ``scan_exclude_fields`` attribute.
PRIVATE_FIELDS = {"asker_name", "asker_contact"}
# Generated identifiers, not content.
SYSTEM_FIELDS = {"index_number", "query_code"}

_BLOCK_END = re.compile(r"<(?:/p|br|/li|/h[1-6]|/td|/th|/tr|/div|/blockquote|hr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_DOCUMENT_LINK = re.compile(r"""<a\b[^>]*\blinktype=["']document["'][^>]*>""", re.I)
_ID_ATTRIBUTE = re.compile(r"""\bid=["'](\d+)["']""")


def scan_text(text, location="", field=""):
    """Findings in a piece of text; ``location`` names where it is (e.g. 正文)."""
    return [make_finding(kind, raw, location, field=field) for kind, raw in detect(text or "")]


def scan_page(page):
    """Findings in an item page (a BaseItemPage, live or a revision's ``as_object()``): title,
    summary, body and every other text field readers see, the texts of its attachment
    blocks, and every document attached or linked from rich text."""
    page = getattr(page, "specific", page)
    # All attachments together stay inside the web server's timeout.
    deadline = time.monotonic() + settings.GOVPORTAL_SCAN_SECONDS_PER_ITEM
    findings = []
    documents = {}
    for field in _text_fields(page):
        value = field.value_from_object(page) or ""
        if _is_rich_text(field):
            _collect_document_links(value, documents)
            value = rich_text_to_plain(value)
        findings += scan_text(value, location=str(field.verbose_name), field=field.name)
    for field in _stream_fields(page):
        for block in field.value_from_object(page) or []:
            findings += _scan_block(field, block, documents)
    if documents:
        from wagtail.documents import get_document_model

        linked = [pk for pk, document in documents.items() if document is None]
        for document in get_document_model().objects.filter(pk__in=linked):
            documents[document.pk] = document
        for pk, document in documents.items():
            if document is None:
                findings.append(unreadable(f"文档 {pk}", "正文链接的文档已被删除，无法检查"))
            else:
                findings += scan_document(document, deadline)
    return findings


def scan_document(document, deadline=None):
    """Findings in a Wagtail document, cached by the file's content hash when it has one (not
    when the scan ran out of time: that depends on the load, the next try may finish)."""
    filename = display_name(document)
    key = f"govportal:scan:{SCANNER_VERSION}:{document.file_hash}:{filename}" if document.file_hash else None
    if key:
        cached = cache.get(key)
        if cached is not None:
            return cached
    try:
        handle = document.file.open("rb")
    except (OSError, ValueError):
        return [unreadable(filename, "文件缺失或无法打开")]
    try:
        findings = scan_file(handle, filename, deadline)
    finally:
        handle.close()
    if key and not any(f.reason.startswith(TIMEOUT_REASON) for f in findings):
        cache.set(key, findings, CACHE_SECONDS)
    return findings


def display_name(document):
    """The name people know the file by: its title with the stored file's extension (the
    stored name may carry a suffix the storage added to keep it unique)."""
    extension = os.path.splitext(document.filename)[1]
    title = (document.title or "").strip()
    if not title:
        return document.filename
    return title if title.lower().endswith(extension.lower()) else title + extension


def rich_text_to_plain(html):
    """Rich text as the reader sees it: block ends become line breaks, tags go."""
    return unescape(_TAG.sub("", _BLOCK_END.sub("\n", html)))


def _text_fields(page):
    excluded = PRIVATE_FIELDS | SYSTEM_FIELDS | set(getattr(page, "scan_exclude_fields", ()))
    page_fields = {f.name for f in _wagtail_page_fields()}
    for field in page._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        if field.name in excluded or (field.name in page_fields and field.name not in PAGE_TEXT_FIELDS):
            continue
        yield field


def _wagtail_page_fields():
    from wagtail.models import Page

    return Page._meta.concrete_fields


def _is_rich_text(field):
    from wagtail.fields import RichTextField

    return isinstance(field, RichTextField)


def _stream_fields(page):
    from wagtail.fields import StreamField

    return [f for f in page._meta.concrete_fields if isinstance(f, StreamField)]


def _collect_document_links(html, documents):
    for tag in _DOCUMENT_LINK.findall(html):
        match = _ID_ATTRIBUTE.search(tag)
        if match:
            documents.setdefault(int(match.group(1)), None)


def _scan_block(field, block, documents):
    """The texts of a block (e.g. an attachment's display name) and its documents."""
    from wagtail.documents.models import AbstractDocument

    findings = []
    values = block.value.items() if hasattr(block.value, "items") else [("", block.value)]
    for name, value in values:
        if isinstance(value, AbstractDocument):
            documents[value.pk] = value
        elif isinstance(value, str) and value:
            child = (
                block.block.child_blocks.get(name) if name and hasattr(block.block, "child_blocks") else None
            )
            label = f"{field.verbose_name}·{child.label if child else block.block.label}"
            findings += scan_text(value, location=label, field=field.name)
    return findings
