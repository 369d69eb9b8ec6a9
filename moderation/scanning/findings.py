"""What the scanner reports: a finding, its kind, and the masking inspectors expect."""

import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings


class FindingKind(StrEnum):
    RESIDENT_ID = "resident_id"
    MOBILE = "mobile"
    BANK_CARD = "bank_card"
    SECRECY_MARKING = "secrecy_marking"
    UNREADABLE = "unreadable"

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    FindingKind.RESIDENT_ID: "身份证号码",
    FindingKind.MOBILE: "手机号码",
    FindingKind.BANK_CARD: "银行卡号",
    FindingKind.SECRECY_MARKING: "密级标志或保密字样",
    FindingKind.UNREADABLE: "无法检查",
}


@dataclass(frozen=True)
class Finding:
    """One thing that must not be published unchecked, and where it is.

    ``value`` is masked as inspectors write it (``35*************123``, ``138****1234``,
    ``6222***********0123``), the marking itself for a secrecy marking, and empty for a file
    that could not be checked (``reason`` says why, in Chinese). ``location`` is for people
    (正文 / 附件“名册.xlsx” 名册!D7); ``field``, ``filename`` and ``position`` are its parts.
    ``key`` identifies the finding across scans of later revisions (same kind, same value,
    same field or file) without storing the unmasked value: record dismissals by it.
    """

    kind: FindingKind
    value: str
    location: str
    field: str = ""
    filename: str = ""
    position: str = ""
    reason: str = ""
    key: str = ""

    @property
    def label(self):
        return self.kind.label

    def __str__(self):
        if self.kind == FindingKind.UNREADABLE:
            return f"{self.location}：{self.label}（{self.reason}）"
        return f"{self.location}：{self.label} {self.value}"


def mask_resident_id(number):
    """First 2 and last 3 of 18: ``35*************123``."""
    return number[:2] + "*" * (len(number) - 5) + number[-3:]


def mask_mobile(number):
    """``138****1234``."""
    return number[:3] + "****" + number[-4:]


def mask_bank_card(number):
    """First 4 and last 4: ``6222***********0123``."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


MASKS = {
    FindingKind.RESIDENT_ID: mask_resident_id,
    FindingKind.MOBILE: mask_mobile,
    FindingKind.BANK_CARD: mask_bank_card,
}


def finding_key(kind, raw, field="", filename=""):
    """A keyed hash (not reversible without SECRET_KEY) identifying a finding across scans."""
    message = "\x1f".join((str(kind), raw, field, filename)).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]


def make_finding(kind, raw, location, field="", filename="", position=""):
    masked = MASKS[kind](raw) if kind in MASKS else raw
    return Finding(
        kind=kind,
        value=masked,
        location=location,
        field=field,
        filename=filename,
        position=position,
        key=finding_key(kind, raw, field, filename),
    )


def unreadable(filename, reason, location="", field="", position=""):
    """A file (or part of one) that could not be checked, with the reason in Chinese."""
    return Finding(
        kind=FindingKind.UNREADABLE,
        value="",
        location=location or attachment_location(filename, position),
        field=field,
        filename=filename,
        position=position,
        reason=reason,
        key=finding_key(FindingKind.UNREADABLE, reason, field, filename),
    )


def attachment_location(filename, position=""):
    return f"附件“{filename}”" + (f" {position}" if position else "")
