"""The confidentiality scanner (保密审查的自动检查): personal numbers and secrecy markings in an
item's fields and attachments (STANDARDS §4; RULES §5 严禁涉密信息公开).

Public API::

    scan_text(text, location="", field="") -> list[Finding]
    scan_file(file_or_path, filename) -> list[Finding]
    scan_document(document) -> list[Finding]      # a Wagtail document, cached by content hash
    scan_page(page) -> list[Finding]              # fields, attachment blocks, linked documents

What is detected, and what deliberately is not, is documented in ``detectors``; the readers
for each file type in ``files``.
"""

from .files import scan_file
from .findings import Finding, FindingKind
from .pages import scan_document, scan_page, scan_text

__all__ = ["Finding", "FindingKind", "scan_document", "scan_file", "scan_page", "scan_text"]
