"""A fast reader for .xlsx: one C-level regular-expression pass over the raw XML finds the few
cells that could hold a finding, and only those are decoded.

openpyxl (read-only) parses every cell through Python callbacks — with defusedxml installed,
as here, about a minute for a 10 MB list of benefit recipients — which would block the admin.
Reading the parts directly is safe too: no DTD or entity is ever expanded. A sheet this reader
does not understand (cells without a reference) is read with openpyxl instead.
"""

import re
import zipfile
from html import unescape
from posixpath import dirname, join, normpath

from lxml import etree

# Separators that may split a number, beyond the ASCII space, tab and hyphen; and full-width
# digits. Each is replaced by as many ASCII zeros before the search (positions are kept).
_EXOTIC = re.compile(rb"\xef\xbc[\x8d\x90-\x99]|\xc2\xa0|\xe3\x80\x80|\xe2\x80[\x90\x91\x93\x94]")
_FOLD = bytes(48 if chr(b) in "0123456789 \t-" else b for b in range(256))
_ELEVEN = b"0" * 11
# Words every secrecy marking contains (detectors), as UTF-8 and as XML character references.
_WORDS = ("密", "内部", "外传")


def _word_forms(data):
    forms = [word.encode() for word in _WORDS]
    if b"&#" in data:
        forms += ["".join(f"&#{ord(c)};" for c in word).encode() for word in _WORDS]
        if re.search(rb"&#[xX]", data):
            for word in _WORDS:
                forms.append("".join(f"&#x{ord(c):x};" for c in word).encode())
                forms.append("".join(f"&#x{ord(c):X};" for c in word).encode())
    return forms


def candidate_positions(data):
    """Sorted offsets in raw XML where a finding could start: a run of eleven or more digits
    and separators, or a word of a secrecy marking. Byte-level searches only (no regular
    expression tried at every digit): a 100 MB sheet takes about a second."""
    positions = set()
    for form in _word_forms(data):
        at = data.find(form)
        while at >= 0:
            positions.add(at)
            at = data.find(form, at + len(form))
    folded = data.translate(_FOLD)
    exotic = list(_EXOTIC.finditer(data))
    if exotic:
        folded = bytearray(folded)
        for match in exotic:
            folded[match.start() : match.end()] = b"0" * (match.end() - match.start())
        folded = bytes(folded)
    at = folded.find(_ELEVEN)
    while at >= 0:
        end = at + 11
        while end < len(folded) and folded[end] == 48:
            end += 1
        positions.add(at)
        at = folded.find(_ELEVEN, end)
    return sorted(positions)


_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_ATTRIBUTE = re.compile(rb'\b([a-zA-Z:]+)="([^"]*)"')
_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>")
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_HEADER_FOOTER = re.compile(rb"<(?:\w+:)?(odd|even|first)(Header|Footer)>([^<]*)<")
_NUMBER = re.compile(r"\d+(?:\.0+)?")


class NeedsOpenpyxl(Exception):
    """The sheet is not laid out the way this reader expects."""


def workbook_sheets(archive):
    """``[(title, part name or None for a chart sheet)]`` in workbook order, and the shared
    strings part name (or None)."""
    workbook_path = _office_document(archive)
    rels = _relationships(archive, workbook_path)
    root = etree.fromstring(archive.read(workbook_path), parser=_SAFE_XML)
    sheets = []
    for sheet in root.iter("{*}sheet"):
        target, kind = rels.get(sheet.get(f"{{{_NS_REL}}}id"), (None, ""))
        sheets.append((sheet.get("name"), target if kind.endswith("/worksheet") else None))
    shared = next((t for t, kind in rels.values() if kind.endswith("/sharedStrings")), None)
    return sheets, shared


def _office_document(archive):
    try:
        root = etree.fromstring(archive.read("_rels/.rels"), parser=_SAFE_XML)
    except KeyError:
        return "xl/workbook.xml"
    for rel in root.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target").lstrip("/")
    return "xl/workbook.xml"


def _relationships(archive, part):
    path = join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels")
    root = etree.fromstring(archive.read(path), parser=_SAFE_XML)
    rels = {}
    for rel in root.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else normpath(join(dirname(part), target))
        rels[rel.get("Id")] = (target, rel.get("Type", ""))
    return rels


def _text_of(fragment):
    """The text of a string item (shared string or inline string), phonetic runs left out."""
    fragment = _PHONETIC.sub(b"", fragment)
    return unescape("".join(t.decode("utf-8", "replace") for t in _TEXT.findall(fragment)))


_ITEM_OPEN = re.compile(rb"<(?:\w+:)?si[\s>/]")
_RICH_RUN = re.compile(rb"<(?:\w+:)?r>")
_TAG_END = (b" ", b">", b"/", b"\t", b"\n", b"\r")


def _last_open(data, name, position):
    """Where the last start tag ``<name`` or ``<prefix:name`` before ``position`` begins."""
    at = position
    while True:
        at = data.rfind(name, 0, at)
        if at < 1:
            return -1
        if data[at + len(name) : at + len(name) + 1] not in _TAG_END:
            continue
        before = data[at - 1 : at]
        if before == b"<":
            return at - 1
        if before == b":":
            open_at = data.rfind(b"<", 0, at)
            if open_at >= 0 and re.fullmatch(rb"<\w+", data[open_at : at - 1]):
                return open_at


def candidate_shared_strings(archive, part):
    """``{index: text}`` of the shared strings that could hold a finding."""
    if part is None:
        return {}
    try:
        data = archive.read(part)
    except KeyError:
        return {}
    # Rich-text runs can split a number between tags: those items are all decoded.
    positions = sorted(set(candidate_positions(data)) | {m.start() for m in _RICH_RUN.finditer(data)})
    found = {}
    index = -1
    counted_to = 0
    for position in positions:
        index += len(_ITEM_OPEN.findall(data, counted_to, position))
        counted_to = position
        if index in found or index < 0:
            continue
        start = _last_open(data, b"si", position)
        end = data.find(b"si>", position)
        found[index] = _text_of(data[start : end if end > 0 else len(data)])
    return found


def sheet_pieces(data, title, shared):
    """``(position, text)`` for each cell of a worksheet part that could hold a finding."""
    seen = set()
    for position in candidate_positions(data):
        piece = _cell_at(data, position, title, seen)
        if piece:
            yield piece
    if shared:
        # Cells that refer to a shared string worth checking.
        for match in _SHARED_CELL.finditer(data):
            text = shared.get(int(match.group(2)))
            if text is not None:
                yield f"{title}!{_reference(_attributes(match.group(1)), title)}", text
    # Headers and footers come last in the sheet (rfind stops early).
    tail = data.rfind(b"headerFooter")
    if tail >= 0:
        for match in _HEADER_FOOTER.finditer(data, data.rfind(b"<", 0, tail)):
            label = "页眉" if match.group(2) == b"Header" else "页脚"
            yield f"{title} {label}", unescape(match.group(3).decode("utf-8", "replace"))


def _reference(attributes, title):
    reference = attributes.get(b"r")
    if not reference:  # cells without references: positions need counting, openpyxl does that
        raise NeedsOpenpyxl(title)
    return reference.decode()


_SHARED_CELL = re.compile(rb'<(?:\w+:)?c(\s[^>]*\bt="s"[^>]*)>\s*<(?:\w+:)?v>(\d+)<')


def _attributes(tag):
    return dict(_ATTRIBUTE.findall(tag))


def _cell_at(data, position, title, seen):
    """The ``(position, text)`` of the cell around a candidate match, once per cell."""
    start = _last_open(data, b"c", position)
    if start < 0 or start in seen:
        return None
    tag_end = data.find(b">", start)
    if data[tag_end - 1 : tag_end] == b"/":  # an empty cell <c r="A1"/> before the match
        return None
    close = data.find(b"c>", tag_end)  # </c> or </x:c>
    if close < position:  # not inside a cell (sheet properties, data validation, …)
        return None
    seen.add(start)
    attributes = _attributes(data[start:tag_end])
    reference = _reference(attributes, title)
    kind = attributes.get(b"t", b"n")
    body = data[tag_end + 1 : close]
    if kind == b"inlineStr":
        text = _text_of(body)
    elif kind in (b"str", b"n"):
        value = _VALUE.search(body)
        text = unescape(value.group(1).decode("utf-8", "replace")) if value else ""
        if kind == b"n" and _NUMBER.fullmatch(text):
            text = text.split(".")[0]
    else:
        return None
    return f"{title}!{reference}", text


def xlsx_pieces(stream, openpyxl_sheet_pieces):
    """``(position, text)`` pieces of a workbook: sheet names, candidate cells, headers."""
    with zipfile.ZipFile(stream) as archive:
        sheets, shared_part = workbook_sheets(archive)
        shared = candidate_shared_strings(archive, shared_part)
        for title, part in sheets:
            yield f"工作表名“{title}”", title
            if part is None:
                continue
            data = archive.read(part)
            try:
                pieces = list(sheet_pieces(data, title, shared))
            except NeedsOpenpyxl:
                stream.seek(0)
                pieces = list(openpyxl_sheet_pieces(stream, title))
            yield from pieces
