"""Reading attachments for the scanner: each reader yields ``(position, text)`` pieces, where
``position`` says where the text is inside the file (第 3 页, 名册!D7, 表格 1 第 2 行第 3 列).

A file that cannot be read (encrypted, corrupt, an old binary format, an image or a video) is
reported as a finding of its own, with the reason in Chinese: never passed over in silence.
"""

import io
import os
import re
import time
import zipfile
from html import unescape

from django.conf import settings

from .detectors import detect
from .findings import attachment_location, make_finding, unreadable
from .xlsx import xlsx_pieces

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: old Office, WPS, encrypted OOXML
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF"
# Limits per file (settings GOVPORTAL_SCAN_*): a crafted attachment (a compression bomb, a
# document of endless numbers) ends as a finding saying which limit it hit, not a stalled worker.
TIMEOUT_REASON = "检查超时"

TEXT_EXTENSIONS = {".txt", ".csv", ".tsv", ".md", ".json", ".xml", ".htm", ".html", ".log"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"}
MEDIA_EXTENSIONS = {".mp4", ".avi", ".mov", ".wmv", ".flv", ".mkv", ".webm", ".mp3", ".wav", ".wma", ".m4a"}
ARCHIVE_EXTENSIONS = {".zip", ".rar", ".7z", ".gz", ".tar", ".bz2"}
OLD_BINARY = {
    ".doc": "旧版 Word（.doc）",
    ".wps": "WPS 文字（.wps）",
    ".xls": "旧版 Excel（.xls）",
    ".et": "WPS 表格（.et）",
    ".ppt": "旧版 PowerPoint（.ppt）",
    ".dps": "WPS 演示（.dps）",
}
# WPS saves in its own binary format or, when chosen, in OOXML under its own extension.
OOXML_READER_FOR = {".docx": "docx", ".wps": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".et": "xlsx"}
OOXML_READER_FOR |= {".pptx": "pptx", ".dps": "pptx", ".ofd": "ofd"}


class Unreadable(Exception):
    """Raised by a reader: the file (or a part) cannot be checked; the message is the reason."""


def scan_file(file, filename, deadline=None):
    """Scan an attachment. ``file`` is a path or a binary file object; ``filename`` decides the
    type (with the content's signature checked) and names the file in the findings;
    ``deadline`` (time.monotonic()) may cut the per-file time limit shorter."""
    if isinstance(file, str | os.PathLike):
        try:
            with open(file, "rb") as handle:
                return scan_file(handle, filename, deadline)
        except OSError:
            return [unreadable(filename, "文件缺失或无法打开")]
    filename = os.path.basename(filename or getattr(file, "name", "") or "附件")
    try:
        stream = _seekable(file)
        head = stream.read(8)
        stream.seek(0)
    except OSError:
        return [unreadable(filename, "文件缺失或无法打开")]
    findings = []
    try:
        _scan_pieces(_pieces(stream, filename, head, findings), filename, findings, _deadline(deadline))
    except Unreadable as error:
        findings.append(unreadable(filename, str(error)))
    except Exception as error:  # noqa: BLE001 — a broken file must be reported, not crash the scan
        findings.append(unreadable(filename, f"文件已损坏或格式与扩展名不符（{type(error).__name__}）"))
    return findings


def _deadline(deadline=None):
    own = time.monotonic() + settings.GOVPORTAL_SCAN_SECONDS_PER_FILE
    return own if deadline is None else min(own, deadline)


def _scan_pieces(pieces, filename, findings, deadline):
    """Detect in each piece until the file is done or a limit is hit (then one finding says so)."""
    limit = settings.GOVPORTAL_SCAN_MAX_FINDINGS_PER_FILE
    count = 0
    for position, text in pieces:
        if time.monotonic() > deadline:
            findings.append(
                unreadable(
                    filename,
                    f"{TIMEOUT_REASON}（超过 {settings.GOVPORTAL_SCAN_SECONDS_PER_FILE} 秒，停在{position}），"
                    "请拆分文件后重新上传或人工核对",
                )
            )
            return
        location = attachment_location(filename, position)
        for kind, raw in detect(text):
            if count >= limit:
                findings.append(
                    unreadable(
                        filename,
                        f"发现的问题超过 {limit} 处，已停止检查（停在{position}），请处理后重新提交或人工核对全文",
                    )
                )
                return
            findings.append(make_finding(kind, raw, location, filename=filename, position=position))
            count += 1


def _seekable(file):
    if hasattr(file, "seekable") and file.seekable():
        file.seek(0)
        return file
    return io.BytesIO(file.read())


def _pieces(stream, filename, head, findings):
    """Dispatch on extension, checked against the content's signature."""
    extension = os.path.splitext(filename)[1].lower()
    if not head:
        raise Unreadable("文件为空")
    if head.startswith(CFB_MAGIC):
        if extension in (".docx", ".xlsx", ".xlsm", ".pptx"):
            raise Unreadable("文件已加密（设置了打开密码），请去除密码后重新上传")
        kind = OLD_BINARY.get(extension, "旧版 Office/WPS 二进制")
        raise Unreadable(f"{kind}格式无法自动读取，请另存为 .docx/.xlsx 后重新上传")
    if head.startswith(PDF_MAGIC) or extension == ".pdf":
        return _pdf_pieces(stream, findings, filename)
    if head.startswith(ZIP_MAGIC) and extension in OOXML_READER_FOR:
        _check_zip(stream)
        return READERS[OOXML_READER_FOR[extension]](stream)
    if extension in OLD_BINARY:
        raise Unreadable(f"{OLD_BINARY[extension]}格式无法自动读取，请另存为 .docx/.xlsx 后重新上传")
    if extension in OOXML_READER_FOR:
        raise Unreadable("文件已损坏或不是有效的 Office 文档")
    if extension in IMAGE_EXTENSIONS:
        raise Unreadable("图片中的文字无法自动识别，请人工核对")
    if extension in MEDIA_EXTENSIONS:
        raise Unreadable("音视频文件无法自动检查，请人工核对")
    if extension in ARCHIVE_EXTENSIONS or head.startswith(ZIP_MAGIC):
        raise Unreadable("压缩包无法自动检查，请解压后分别上传")
    if extension in TEXT_EXTENSIONS or _looks_like_text(stream):
        return _text_pieces(stream, html=extension in (".htm", ".html", ".xml"))
    raise Unreadable("不支持的文件类型，无法自动检查")


def _check_zip(stream):
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > settings.GOVPORTAL_SCAN_MAX_UNPACKED_BYTES:
                raise Unreadable(
                    f"文件解压后过大（{unpacked // 2**20} MB，上限 "
                    f"{settings.GOVPORTAL_SCAN_MAX_UNPACKED_BYTES // 2**20} MB），无法检查，请拆分后重新上传"
                )
    except zipfile.BadZipFile:
        raise Unreadable("文件已损坏或不是有效的 Office 文档") from None
    stream.seek(0)


def _looks_like_text(stream):
    sample = stream.read(8192)
    stream.seek(0)
    return b"\x00" not in sample and _decode(sample, strict=False) is not None


def _decode(data, strict=True):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            # A sample may end inside a multi-byte character.
            if not strict and error.start >= len(data) - 3:
                return data[: error.start].decode(encoding)
    return None


_TAG = re.compile(r"<[^>]+>")


def _text_pieces(stream, html=False):
    data = stream.read(settings.GOVPORTAL_SCAN_MAX_UNPACKED_BYTES + 1)
    if len(data) > settings.GOVPORTAL_SCAN_MAX_UNPACKED_BYTES:
        raise Unreadable("文本文件过大，无法检查，请拆分后重新上传")
    text = _decode(data)
    if text is None:
        raise Unreadable("文字编码无法识别（应为 UTF-8 或 GB18030/GBK）")
    for number, line in enumerate(text.splitlines(), start=1):
        if html:
            line = unescape(_TAG.sub(" ", line))
        yield f"第 {number} 行", line


# --- Word (.docx) --------------------------------------------------------------------------------


def _docx_pieces(stream):
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(stream)
    body = document.element.body
    paragraph_number = table_number = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_number += 1
            yield f"第 {paragraph_number} 段", Paragraph(child, document).text
        elif tag == "tbl":
            table_number += 1
            yield from _table_pieces(Table(child, document), f"表格 {table_number}")
    for number, section in enumerate(document.sections, start=1):
        for part, label in ((section.header, "页眉"), (section.footer, "页脚")):
            if part.is_linked_to_previous and number > 1:
                continue
            for paragraph in part.paragraphs:
                yield label, paragraph.text
            for index, table in enumerate(part.tables, start=1):
                yield from _table_pieces(table, f"{label}表格 {index}")


def _table_pieces(table, label):
    seen = set()
    for row_number, row in enumerate(table.rows, start=1):
        for column_number, cell in enumerate(row.cells, start=1):
            # A merged cell repeats across the grid. The set holds the elements themselves:
            # lxml returns the same proxy for a node only while a reference to it is alive.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            position = f"{label} 第 {row_number} 行第 {column_number} 列"
            yield position, cell.text
            for index, inner in enumerate(cell.tables, start=1):
                yield from _table_pieces(inner, f"{position} 内嵌表格 {index}")


# --- Excel (.xlsx) -------------------------------------------------------------------------------


def _xlsx_pieces(stream):
    return xlsx_pieces(stream, _openpyxl_sheet_pieces)


def _openpyxl_sheet_pieces(stream, title):
    """Every cell of one sheet through openpyxl (for sheets the fast reader does not handle)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()  # the stored dimension may be wrong; read every row
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            for column_number, value in enumerate(row, start=1):
                text = _cell_text(value)
                if text is not None:
                    yield f"{title}!{get_column_letter(column_number)}{row_number}", text
    finally:
        workbook.close()


def _cell_text(value):
    """A cell's value as text when it could hold something to find; None otherwise."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value >= 10**10 else None
    if isinstance(value, float):
        # Numbers of 11+ digits typed into a number cell (mobile numbers) keep their digits.
        return str(int(value)) if value >= 1e10 and value.is_integer() else None
    return None


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_pieces(stream, findings, filename):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 — e.g. a cipher pypdf cannot use
                opened = 0
            if not opened:
                raise Unreadable("PDF 已加密（设置了打开密码），请去除密码后重新上传")
        pages = reader.pages
        count = len(pages)
    except PdfReadError:
        raise Unreadable("PDF 文件已损坏，无法读取") from None
    if count == 0:
        raise Unreadable("PDF 文件没有页面")
    for number in range(1, count + 1):
        position = f"第 {number} 页"
        try:
            page = pages[number - 1]
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 — one broken page is reported, the others read
            findings.append(unreadable(filename, f"{position}无法读取", position=position))
            continue
        if not text.strip() and _has_content(page):
            findings.append(
                unreadable(
                    filename, f"{position}没有可提取的文字（可能为扫描图片），请人工核对", position=position
                )
            )
            continue
        yield position, text


def _has_content(page):
    """Whether a page without extractable text shows something (an image, a drawing)."""
    resources = page.get("/Resources") or {}
    if hasattr(resources, "get_object"):
        resources = resources.get_object()
    if resources.get("/XObject"):
        return True
    contents = page.get_contents()
    return contents is not None and len(contents.get_data().strip()) > 200


# --- other zipped XML: PowerPoint (.pptx), OFD ---------------------------------------------------

_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml$")
_OFD_PAGE = re.compile(r"Pages/Page_(\d+)/Content\.xml$")


def _xml_text(data, local_name):
    from lxml import etree

    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    return "\n".join(
        e.text or "" for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith(local_name)
    )


def _pptx_pieces(stream):
    with zipfile.ZipFile(stream) as archive:
        slides = sorted((int(m.group(1)), n) for n in archive.namelist() if (m := _SLIDE.search(n)))
        for number, name in slides:
            yield f"第 {number} 张幻灯片", _xml_text(archive.read(name), "}t")


def _ofd_pieces(stream):
    with zipfile.ZipFile(stream) as archive:
        pages = sorted((int(m.group(1)), n) for n in archive.namelist() if (m := _OFD_PAGE.search(n)))
        for number, name in pages:
            yield f"第 {number + 1} 页", _xml_text(archive.read(name), "}TextCode")


READERS = {"docx": _docx_pieces, "xlsx": _xlsx_pieces, "pptx": _pptx_pieces, "ofd": _ofd_pieces}
