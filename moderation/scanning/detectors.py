"""Detectors over plain text: personal numbers and secrecy markings (STANDARDS §4).

Numbers
    Digits may be split by spaces or hyphens (``138 1234 5678``, ``110105 19491231 002X``) into
    groups of at least three digits, or of four with a shorter last group (so dates such as ``2026-10-01 2026-10-07`` do not join
    into a card number); full-width digits count. A run of digit groups is tried whole and in
    parts at group boundaries, so ``13812345678 13912345678`` is two numbers. Masked forms
    (``35*************123``, ``138****1234``) are never reported: a star breaks the run.

    * resident ID (18): valid birth date and ISO 7064 MOD 11-2 check digit. The 15-digit IDs
      of the first generation are not detected: they carry no check digit (anything dated
      would match) and have not been valid since 2013.
    * mobile (11): ``1[3-9]`` and nine more digits (optionally after ``+86``).
    * bank card (16–19): passes Luhn, does not start with 0, not all one digit. An 18-digit
      run that is a valid resident ID is reported as an ID only.

Secrecy markings
    Reported: a classification level written as a marking — ``秘密★1年``, ``机密★``,
    ``密级：绝密``, ``【机密】``, ``绝密文件``/``机密级``, ``本件属秘密`` — or standing alone on a
    line or in a table cell; and handling instructions — 内部资料, 内部文件, 注意保密, 不得外传,
    严禁外传, 请勿外传, 禁止外传, 仅供内部, 内部传阅, 内部参考.
    Not reported: the bare words inside running text, where they are ordinary vocabulary
    rather than a marking — 商业秘密 and 个人隐私 in every disclosure reply, 保守国家秘密 in a
    news item about secrecy training, 手机密码, 有机密封, 杜绝密集 (GB/T 9704 puts the marking
    of a classified document in its own place, top left, with ★ and the period). The choice
    is deliberate: bare-word matching flags most disclosure texts and teaches people to
    dismiss findings unread; the head's review at step 1 covers what a pattern cannot.
"""

import re

from .findings import FindingKind

_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－", "0123456789XX-")

_SEP = r"[ \t\u00a0\u3000\-\u2010\u2011\u2013\u2014]"
# Digit groups joined by at most two separator characters, optionally ending in an X (IDs).
_RUN = re.compile(rf"(?<![0-9])[0-9](?:{_SEP}{{0,2}}[0-9])*+(?:{_SEP}?[Xx])?")
_SPLIT = re.compile(rf"{_SEP}+")
_QUICK = re.compile(r"[0-9０-９]{2}|密|内部|外传")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PRIORITY = {FindingKind.RESIDENT_ID: 0, FindingKind.BANK_CARD: 1, FindingKind.MOBILE: 2}
_MAX_DIGITS = 19


def resident_id_check_digit(first17):
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_resident_id(number):
    if len(number) != 18 or not number[:17].isdigit() or number[0] not in "12345678":
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        return False
    return resident_id_check_digit(number[:17]) == number[17].upper()


def _days_in_month(year, month):
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def is_mobile(number):
    return len(number) == 11 and number[0] == "1" and number[1] in "3456789" and number.isdigit()


def luhn_valid(number):
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = ord(char) - 48
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def is_bank_card(number):
    return (
        16 <= len(number) <= 19
        and number.isdigit()
        and number[0] != "0"
        and number.count(number[0]) != len(number)
        and luhn_valid(number)
    )


def classify_number(number):
    """The kind of personal number ``number`` (digits, maybe a final X) is, or None."""
    if is_resident_id(number):
        return FindingKind.RESIDENT_ID
    if is_bank_card(number):
        return FindingKind.BANK_CARD
    if is_mobile(number):
        return FindingKind.MOBILE
    return None


def find_numbers(text):
    """``[(kind, number)]`` for every personal number in ``text``, in order."""
    found = []
    for match in _RUN.finditer(text):
        run = match.group()
        if len(run) < 11:
            continue
        groups = [g for g in _SPLIT.split(run) if g]
        if groups[-1] in ("X", "x") and len(groups) > 1:
            groups[-2:] = [groups[-2] + "X"]
        if (
            match.start()
            and text[match.start() - 1] == "+"
            and groups[0].startswith("86")
            and len(groups[0]) > 2
        ):
            groups[:1] = ["86", groups[0][2:]]
        found.extend(_numbers_in_groups(groups))
    return found


def _numbers_in_groups(groups):
    candidates = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last]
            if len(digits) > _MAX_DIGITS or "X" in digits[:-1] or "x" in digits[:-1]:
                break
            # A number is split into groups of three digits or more (the last group of one
            # split into fours may be shorter); other short groups are dates (2026-10-01),
            # times or serial numbers, not parts of one number.
            if len(digits) < 11 or (last > first and not _plausible_split(groups[first : last + 1])):
                continue
            kind = classify_number(digits)
            if kind is not None:
                candidates.append((_PRIORITY[kind], -len(digits), first, last, kind, digits.upper()))
    if not candidates:
        return []
    # The most reliable kind first, then the longest: a split number is taken whole, and a
    # stray digit in front of an ID number does not make a card out of it.
    taken = []
    used = set()
    for _, _, first, last, kind, digits in sorted(candidates):
        span = set(range(first, last + 1))
        if span & used:
            continue
        used |= span
        taken.append((first, kind, digits))
    return [(kind, digits) for _, kind, digits in sorted(taken)]


def _plausible_split(groups):
    if all(len(group) >= 3 for group in groups):
        return True
    return all(len(group) >= 4 for group in groups[:-1])


_LEVEL = r"(?:绝密|机密|秘密)"
_GENERIC_BEFORE = r"(?<!国家)(?<!商业)(?<!工作)(?<!个人)"
_MARKINGS = re.compile(
    "|".join(
        [
            # 秘密★1年, 机密★长期, 绝密 ★
            rf"{_LEVEL}[ \u3000]*[★☆＊*](?:[ \u3000]*(?:\d+[ \u3000]*年|长期))?",
            # 密级：秘密
            rf"密[ \u3000]*级[ \u3000]*[:：]?[ \u3000]*{_LEVEL}",
            # 【机密】 （秘密） [绝密]
            rf"[【\[（(〔][ \u3000]*{_LEVEL}[ \u3000]*[】\]）)〕]",
            # 绝密文件, 机密级, 秘密资料 — but not 国家秘密事项, 商业秘密
            rf"{_GENERIC_BEFORE}{_LEVEL}(?:文件|资料|材料|件|级)",
            # 本件属秘密, 定为机密级
            rf"(?:属于|属|列为|定为|定密为|标注为|为){_LEVEL}级?(?=[\s，。、；;,.：:)）】]|$)",
            # the level alone on a line (or in a cell)
            rf"(?m:^[ \t\u3000]*{_LEVEL}[ \t\u3000]*$)",
            # handling instructions
            r"内部资料|内部文件|注意保密|不得外传|严禁外传|请勿外传|禁止外传|仅供内部|内部传阅|内部参考",
        ]
    )
)


def find_markings(text):
    """The secrecy markings in ``text``, as written (whitespace trimmed), in order."""
    return [m.group().strip() for m in _MARKINGS.finditer(text)]


def detect(text):
    """``[(kind, raw value)]`` for everything in ``text``: numbers, then markings."""
    if not text or not _QUICK.search(text):
        return []
    text = text.translate(_FULL_WIDTH)
    found = find_numbers(text)
    if "密" in text or "内部" in text or "外传" in text:
        found.extend((FindingKind.SECRECY_MARKING, marking) for marking in find_markings(text))
    return found
