"""How long the confidentiality scanner takes on a ~10 MB spreadsheet (issue 4: "scanning a
10 MB spreadsheet does not block the admin for more than a few seconds").

    .venv/bin/python benchmarks/scan_benchmark.py [--megabytes 10] [--keep PATH]

Generates a benefit-recipient list (序号, 姓名, 身份证号码, 手机号码, 银行卡号, 住址, 金额) with
masked numbers in most rows and full numbers in one row in 5,000, then times scan_file on it.
openpyxl's write-only mode stores every string inline as character references: the largest
sheet XML per megabyte of .xlsx (about 100 MB for 10 MB), so this is the slow case.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402

from moderation.scanning import FindingKind, scan_file  # noqa: E402
from moderation.scanning.detectors import luhn_valid, resident_id_check_digit  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
TOWNS = ["长沙街道", "三埠街道", "月山镇", "水口镇", "沙塘镇", "苍城镇", "龙胜镇", "大沙镇"]


def resident_id(rng):
    first17 = f"440783{rng.randint(1930, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first17 + resident_id_check_digit(first17)


def bank_card(rng):
    while True:
        number = "6222" + "".join(rng.choice("0123456789") for _ in range(15))
        if luhn_valid(number):
            return number


def generate(target_bytes, leaks_every=5000, seed=7):
    """An .xlsx of about ``target_bytes``; one row in ``leaks_every`` has unmasked numbers.
    Returns ``(data, rows, leaking rows)``."""
    rng = random.Random(seed)
    sample = _write(list(_rows(rng, 20000, leaks_every)))
    count = int(20000 * target_bytes / len(sample))
    rows = list(_rows(random.Random(seed), count, leaks_every))
    return _write(rows), count, count // leaks_every


def _rows(rng, count, leaks_every):
    for n in range(1, count + 1):
        id_number, mobile, card = resident_id(rng), f"13{rng.randint(0, 999999999):09d}", bank_card(rng)
        if n % leaks_every:
            id_number = id_number[:2] + "*" * 13 + id_number[-3:]
            mobile = mobile[:3] + "****" + mobile[-4:]
            card = card[:4] + "*" * 11 + card[-4:]
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        town = rng.choice(TOWNS)
        yield (n, name, id_number, mobile, card, f"开平市{town}{rng.randint(1, 300)}号", 680.0)


def _write(rows):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(["序号", "姓名", "身份证号码", "手机号码", "银行卡号", "住址", "发放金额（元）"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=10)
    parser.add_argument("--keep", help="also write the generated file here")
    args = parser.parse_args()
    started = time.perf_counter()
    data, rows, leaks = generate(int(args.megabytes * 1024 * 1024))
    print(
        f"generated {len(data) / 1024 / 1024:.1f} MB, {rows} rows, {rows * 7} cells "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if args.keep:
        Path(args.keep).write_bytes(data)
    started = time.perf_counter()
    findings = scan_file(io.BytesIO(data), "低保名册.xlsx")
    elapsed = time.perf_counter() - started
    kinds = {kind: sum(1 for f in findings if f.kind == kind) for kind in FindingKind}
    print(
        f"scan_file: {elapsed:.2f} s, {len(findings)} findings {dict((k.value, v) for k, v in kinds.items() if v)}"
    )
    expected = leaks * 3
    print(
        f"expected {expected} (3 per leaking row x {leaks} rows): {'OK' if len(findings) == expected else 'MISMATCH'}"
    )
    if findings:
        print("first:", findings[0])


if __name__ == "__main__":
    main()
