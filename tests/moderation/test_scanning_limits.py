"""The scanner under crafted uploads: a compression bomb, a small .docx holding megabytes of
numbers, a file that would take too long. Each ends quickly as a finding saying which limit it
hit (so the item cannot be submitted unchecked), never a stalled worker."""

import io
import time
import tracemalloc
import zipfile

import docx
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from moderation.scanning import FindingKind, scan_file
from moderation.scanning.pages import scan_document


def _docx_with_body(paragraph_xml, repeat):
    """A real .docx whose body is `paragraph_xml` repeated: tiny zipped, large unpacked."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    document = source.read("word/document.xml").decode()
    head, tail = document.split("<w:body>", 1)
    document = head + "<w:body>" + paragraph_xml * repeat + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = document.encode() if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


MOBILE_PARAGRAPH = "<w:p><w:r><w:t>联系电话 13912345678 13812345678 13712345678</w:t></w:r></w:p>"


def _unreadable(findings):
    return [f for f in findings if f.kind == FindingKind.UNREADABLE]


def test_a_compression_bomb_is_refused_without_unpacking(settings):
    settings.GOVPORTAL_SCAN_MAX_UNPACKED_BYTES = 5 * 2**20
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 2**20))
    assert len(bomb.getvalue()) < 100_000
    started = time.monotonic()
    findings = scan_file(io.BytesIO(bomb.getvalue()), "名册.docx")
    assert time.monotonic() - started < 2
    (finding,) = findings
    assert (
        finding.kind == FindingKind.UNREADABLE
        and "解压后过大" in finding.reason
        and "上限 5 MB" in finding.reason
    )


def test_a_small_docx_full_of_numbers_stops_at_the_findings_limit():
    data = _docx_with_body(MOBILE_PARAGRAPH, 120_000)  # ~10 MB of XML, 360,000 numbers
    assert len(data) < 200_000
    tracemalloc.start()
    started = time.monotonic()
    findings = scan_file(io.BytesIO(data), "通讯录.docx")
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(findings) == 501
    (limit,) = _unreadable(findings)
    assert "超过 500 处" in limit.reason and "第 167 段" in limit.reason
    assert elapsed < 15 and peak < 400 * 2**20


def test_a_scan_that_runs_out_of_time_says_so(settings):
    settings.GOVPORTAL_SCAN_SECONDS_PER_FILE = 0.2
    data = _docx_with_body("<w:p><w:r><w:t>普通文字，没有号码。</w:t></w:r></w:p>", 200_000)
    started = time.monotonic()
    findings = scan_file(io.BytesIO(data), "长文档.docx")
    assert time.monotonic() - started < 10
    (finding,) = findings
    assert "检查超时" in finding.reason and "超过 0.2 秒" in finding.reason


@pytest.mark.django_db
def test_a_timed_out_scan_is_not_cached(settings):
    cache.clear()
    document = get_document_model().objects.create(
        title="长文档", file=ContentFile(_docx_with_body(MOBILE_PARAGRAPH, 3), name="long.docx")
    )
    expired = time.monotonic() - 1  # the item's budget is already used up
    assert "检查超时" in scan_document(document, deadline=expired)[0].reason
    findings = scan_document(document)
    assert {f.kind for f in findings} == {FindingKind.MOBILE}
