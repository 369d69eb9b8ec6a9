"""The confidentiality scanner on text and on documents generated in the test (.docx, .xlsx,
.pdf), with property tests for the number detectors."""

import datetime
import io
import random
import re
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from wagtail.documents import get_document_model

from moderation.scanning import FindingKind, scan_file, scan_page, scan_text
from moderation.scanning.detectors import is_resident_id, luhn_valid, resident_id_check_digit
from moderation.scanning.findings import mask_bank_card, mask_mobile, mask_resident_id
from pages.models import NewsPage

ID_BASE = "11010519491231002"
VALID_ID = ID_BASE + resident_id_check_digit(ID_BASE)  # 11010519491231002X
WRONG_ID = ID_BASE + ("0" if VALID_ID[-1] != "0" else "1")
CARD = "6222021234567890128"


def kinds(findings):
    return [(f.kind, f.value) for f in findings]


# --- text -------------------------------------------------------------------------------------


def test_valid_and_invalid_check_digits():
    assert VALID_ID == "11010519491231002X"
    assert kinds(scan_text(f"身份证号：{VALID_ID}")) == [(FindingKind.RESIDENT_ID, "11*************02X")]
    assert not [f for f in scan_text(f"身份证号：{WRONG_ID}") if f.kind == FindingKind.RESIDENT_ID]
    # A valid check digit on an impossible birth date is not an ID number either.
    base = "11010519491331002"
    assert not is_resident_id(base + resident_id_check_digit(base))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("联系电话 138 1234 5678", [(FindingKind.MOBILE, "138****5678")]),
        ("电话：138-1234-5678。", [(FindingKind.MOBILE, "138****5678")]),
        ("+86 13812345678", [(FindingKind.MOBILE, "138****5678")]),
        ("手机１３８１２３４５６７８", [(FindingKind.MOBILE, "138****5678")]),
        ("身份证 110105 19491231 002X", [(FindingKind.RESIDENT_ID, "11*************02X")]),
        ("卡号 6222 0212 3456 7890 128", [(FindingKind.BANK_CARD, "6222***********0128")]),
        (
            "13812345678 13987654321",
            [(FindingKind.MOBILE, "138****5678"), (FindingKind.MOBILE, "139****4321")],
        ),
        (
            f"1 {VALID_ID} 13812345678",
            [(FindingKind.RESIDENT_ID, "11*************02X"), (FindingKind.MOBILE, "138****5678")],
        ),
    ],
)
def test_split_and_neighbouring_numbers(text, expected):
    assert kinds(scan_text(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "张三 35*************123 138****1234 6222***********0128",
        "350102********1234",
        "活动时间：2026-10-01 2026-10-07，电话 0750-2212345",
        "索引号 11440783MB2C12345X/2026-00012，文号 开民〔2026〕12号",
        "发放金额 1,234,567.89 元",
    ],
)
def test_masked_and_ordinary_numbers_are_not_flagged(text):
    assert scan_text(text) == []


@pytest.mark.parametrize(
    "text, marking",
    [
        ("秘密★1年\n关于……的通知", "秘密★1年"),
        ("机密★", "机密★"),
        ("密级：绝密", "密级：绝密"),
        ("【机密】会议纪要", "【机密】"),
        ("此件为机密文件", "机密文件"),
        ("本件属秘密。", "属秘密"),
        ("秘密", "秘密"),
        ("内部资料 注意保存", "内部资料"),
        ("请注意保密", "注意保密"),
        ("内部文件，不得外传", "内部文件"),
    ],
)
def test_secrecy_markings(text, marking):
    findings = scan_text(text, location="正文")
    assert (FindingKind.SECRECY_MARKING, marking) in kinds(findings)
    assert findings[0].location == "正文"


@pytest.mark.parametrize(
    "text",
    [
        "涉及商业秘密、个人隐私的，不予公开",
        "组织学习《保守国家秘密法》，增强保守国家秘密意识",
        "请勿泄露手机密码",
        "有机密封材料",
        "杜绝密集聚集",
        "国家秘密事项范围",
    ],
)
def test_bare_words_in_running_text_are_not_markings(text):
    assert scan_text(text) == []


def test_finding_key_is_stable_and_hides_the_value():
    first = scan_text("13812345678", field="body")[0]
    again = scan_text("另一段 13812345678", field="body")[0]
    other_field = scan_text("13812345678", field="summary")[0]
    assert first.key == again.key != other_field.key
    assert "13812345678" not in first.key and "13812345678" not in str(first)


# --- property tests ---------------------------------------------------------------------------

REGIONS = ["110105", "350102", "440783", "510107", "650102"]
FILLER = st.text(alphabet="的一是在了人有我他这个们中来上大为和国地到以说时要就出也得里后自之", max_size=12)


@st.composite
def resident_ids(draw):
    region = draw(st.sampled_from(REGIONS))
    birth = draw(st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2026, 12, 31)))
    first17 = f"{region}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + resident_id_check_digit(first17)


@settings(max_examples=200, deadline=None)
@given(resident_ids(), FILLER, FILLER, st.sampled_from(["", " ", "-"]))
def test_property_resident_ids_are_found_and_masked(number, before, after, separator):
    text = before + (number[:6] + separator + number[6:14] + separator + number[14:]) + after
    assert (FindingKind.RESIDENT_ID, mask_resident_id(number)) in kinds(scan_text(text))
    assert mask_resident_id(number) == number[:2] + "*" * 13 + number[-3:]


@settings(max_examples=200, deadline=None)
@given(resident_ids(), st.integers(1, 10))
def test_property_a_wrong_check_digit_is_not_an_id(number, shift):
    check = "0123456789X"
    wrong = number[:17] + check[(check.index(number[17]) + shift) % 11]
    assert FindingKind.RESIDENT_ID not in [f.kind for f in scan_text(wrong)]


@settings(max_examples=200, deadline=None)
@given(st.integers(3, 9), st.integers(0, 10**9 - 1), FILLER, FILLER, st.sampled_from(["", " ", "-"]))
def test_property_mobiles_are_found_and_masked(second, rest, before, after, separator):
    number = f"1{second}{rest:09d}"
    text = before + number[:3] + separator + number[3:7] + separator + number[7:] + after
    assert kinds(scan_text(text)) == [(FindingKind.MOBILE, mask_mobile(number))]
    assert mask_mobile(number) == number[:3] + "****" + number[-4:]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2), st.integers(0, 9))
def test_property_numbers_not_starting_13_to_19_are_not_mobiles(second, first):
    number = f"1{second}{'123456789'}"
    assert scan_text(number) == []
    assert scan_text(f"{first if first != 1 else 2}3812345678") == []


@st.composite
def bank_cards(draw):
    length = draw(st.sampled_from([16, 17, 19]))
    body = "62" + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=length - 3, max_size=length - 3))
    )
    check = next(d for d in "0123456789" if luhn_valid(body + d))
    return body + check


@settings(max_examples=200, deadline=None)
@given(bank_cards(), FILLER, st.booleans())
def test_property_luhn_cards_are_found_and_masked(number, before, grouped):
    shown = " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if grouped else number
    if number.count(number[0]) == len(number):
        return
    found = kinds(scan_text(before + "卡号" + shown))
    assert found == [(FindingKind.BANK_CARD, mask_bank_card(number))]
    # One digit changed breaks the Luhn sum: not a card.
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert FindingKind.BANK_CARD not in [f.kind for f in scan_text(broken)]


@settings(max_examples=100, deadline=None)
@given(resident_ids(), st.integers(3, 9), st.integers(0, 10**9 - 1), bank_cards())
def test_property_masked_forms_are_never_flagged(number, second, rest, card):
    mobile = f"1{second}{rest:09d}"
    text = f"{mask_resident_id(number)} {mask_mobile(mobile)} {mask_bank_card(card)}"
    assert scan_text(text) == []


# --- files ------------------------------------------------------------------------------------


def _docx():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "秘密★1年"
    document.add_paragraph("关于发放2026年低保金的公示")
    document.add_paragraph("联系人：王芳，电话 138 1234 5678")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "姓名", "身份证号码", "银行卡号"
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = "李强", VALID_ID, CARD
    document.add_paragraph(f"复核：35*************123，{WRONG_ID}")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def test_docx_paragraphs_tables_and_header():
    findings = scan_file(_docx(), "公示.docx")
    assert [(f.kind, f.value, f.position) for f in findings] == [
        (FindingKind.MOBILE, "138****5678", "第 2 段"),
        (FindingKind.RESIDENT_ID, "11*************02X", "表格 1 第 2 行第 2 列"),
        (FindingKind.BANK_CARD, "6222***********0128", "表格 1 第 2 行第 3 列"),
        (FindingKind.SECRECY_MARKING, "秘密★1年", "页眉"),
    ]
    assert findings[1].location == "附件“公示.docx” 表格 1 第 2 行第 2 列"
    assert all(f.filename == "公示.docx" for f in findings)


def _xlsx(write_only=False):
    workbook = openpyxl.Workbook(write_only=write_only)
    if write_only:
        sheet = workbook.create_sheet("名册")
    else:
        sheet = workbook.active
        sheet.title = "名册"
    sheet.append(["序号", "姓名", "身份证号码", "手机号码", "备注"])
    for n in range(2, 7):
        sheet.append([n - 1, "张三", "35*************123", "138****1234", ""])
    sheet.append([6, "李四", "35*************123", "139 8765 4321", ""])  # row 7: D7
    sheet.append([7, "王五", VALID_ID, 13812345678, "内部资料"])  # row 8: number-typed mobile
    sheet.append([8, "赵六", WRONG_ID, "", "秘密"])  # row 9
    other = workbook.create_sheet("汇总")
    other.append(["银行卡号", CARD])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_xlsx_every_sheet_and_cell(write_only):
    findings = scan_file(_xlsx(write_only), "低保名册.xlsx")
    assert sorted((f.position, f.kind, f.value) for f in findings) == sorted(
        [
            ("名册!D7", FindingKind.MOBILE, "139****4321"),
            ("名册!C8", FindingKind.RESIDENT_ID, "11*************02X"),
            ("名册!D8", FindingKind.MOBILE, "138****5678"),
            ("名册!E8", FindingKind.SECRECY_MARKING, "内部资料"),
            ("名册!E9", FindingKind.SECRECY_MARKING, "秘密"),
            ("汇总!B1", FindingKind.BANK_CARD, "6222***********0128"),
        ]
    )
    assert "附件“低保名册.xlsx” 名册!D7" in [f.location for f in findings]


def test_xlsx_sheet_without_cell_references_is_read_through_openpyxl():
    source = zipfile.ZipFile(_xlsx())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb' r="[A-Z]+[0-9]+"', b"", data)
            target.writestr(item, data)
    buffer.seek(0)
    positions = {f.position for f in scan_file(buffer, "名册.xlsx")}
    assert {"名册!D7", "名册!C8", "汇总!B1"} <= positions


def _pdf(pages, encrypt=False):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for lines in pages:
        drawing.setFont("STSong-Light", 12)
        for index, line in enumerate(lines):
            drawing.drawString(72, 760 - 20 * index, line)
        drawing.showPage()
    drawing.save()
    if not encrypt:
        buffer.seek(0)
        return buffer
    buffer.seek(0)
    writer = PdfWriter(clone_from=buffer)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    encrypted.seek(0)
    return encrypted


def test_pdf_pages():
    pdf = _pdf([["2026年临时救助公示", "姓名 金额"], ["机密★", f"张三 {VALID_ID} 13812345678"]])
    findings = scan_file(pdf, "公示.pdf")
    assert sorted((f.position, f.kind, f.value) for f in findings) == sorted(
        [
            ("第 2 页", FindingKind.SECRECY_MARKING, "机密★"),
            ("第 2 页", FindingKind.RESIDENT_ID, "11*************02X"),
            ("第 2 页", FindingKind.MOBILE, "138****5678"),
        ]
    )
    assert findings[0].location.startswith("附件“公示.pdf” 第 2 页")


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("名册.xlsx", b"PK\x03\x04 this is not really a zip", "损坏"),
        ("名册.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "加密"),
        ("通知.docx", b"garbage that is no document", "损坏"),
        ("通知.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, ".doc"),
        ("名单.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "WPS"),
        ("公示.pdf", b"%PDF-1.4 truncated", "PDF"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "图片"),
        ("宣传片.mp4", b"\x00\x00\x00\x18ftypmp42", "音视频"),
        ("材料.zip", b"PK\x03\x04" + b"\x00" * 100, "压缩包"),
        ("空.txt", b"", "为空"),
    ],
)
def test_unreadable_files_are_reported_with_the_reason(name, content, reason):
    findings = scan_file(io.BytesIO(content), name)
    assert [f.kind for f in findings] == [FindingKind.UNREADABLE]
    assert reason in findings[0].reason
    assert findings[0].location == f"附件“{name}”"
    assert name in str(findings[0]) and "无法检查" in str(findings[0])


def test_encrypted_pdf_is_reported():
    findings = scan_file(_pdf([["13812345678"]], encrypt=True), "加密.pdf")
    assert [f.kind for f in findings] == [FindingKind.UNREADABLE]
    assert "加密" in findings[0].reason


def test_scanned_pdf_page_without_text_is_reported():
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(image, "PNG")
    image.seek(0)
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawImage(ImageReader(image), 72, 600, 200, 200)
    drawing.showPage()
    drawing.save()
    buffer.seek(0)
    findings = scan_file(buffer, "扫描件.pdf")
    assert [(f.kind, f.position) for f in findings] == [(FindingKind.UNREADABLE, "第 1 页")]
    assert "扫描图片" in findings[0].reason


def test_text_and_csv_in_gbk():
    data = "序号,姓名,电话\n1,张三,13812345678\n".encode("gbk")
    findings = scan_file(io.BytesIO(data), "名单.csv")
    assert [(f.kind, f.position) for f in findings] == [(FindingKind.MOBILE, "第 2 行")]


def test_wps_saved_as_ooxml_is_read():
    findings = scan_file(_xlsx(), "名册.et")
    assert "名册!D7" in {f.position for f in findings}


def test_scan_a_path(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text("联系电话 13812345678", encoding="utf-8")
    assert kinds(scan_file(path, "名单.txt")) == [(FindingKind.MOBILE, "138****5678")]
    assert scan_file(tmp_path / "missing.txt", "missing.txt")[0].kind == FindingKind.UNREADABLE


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scan_page_fields_and_attachments():
    Document = get_document_model()
    attached = Document(title="低保名册")
    attached.file.save("低保名册.xlsx", ContentFile(_xlsx().getvalue()), save=False)
    attached.save()
    linked = Document(title="说明")
    linked.file.save("说明.txt", ContentFile("内部资料".encode()), save=False)
    linked.save()
    page = NewsPage(
        title="关于2026年低保金发放的公示",
        summary="联系电话 139 8765 4321",
        body=f'<p>请核对。</p><p>详见<a linktype="document" id="{linked.pk}">说明</a></p>',
        source="",
    )
    page.attachments = [("attachment", {"document": attached, "title": "名册 13812345678"})]
    findings = scan_page(page)
    where = {(f.location, f.kind) for f in findings}
    assert ("内容概述", FindingKind.MOBILE) in where
    assert ("附件与视频·显示名称", FindingKind.MOBILE) in where
    assert ("附件“低保名册.xlsx” 名册!C8", FindingKind.RESIDENT_ID) in where
    assert ("附件“说明.txt” 第 1 行", FindingKind.SECRECY_MARKING) in where
    summary = next(f for f in findings if f.location == "内容概述")
    assert summary.field == "summary" and summary.value == "139****4321"


@pytest.mark.django_db
def test_scan_page_reports_a_missing_attachment_file():
    Document = get_document_model()
    document = Document(title="丢失")
    document.file.save("丢失.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    document.file.storage.delete(document.file.name)
    page = NewsPage(title="通知", body="")
    page.attachments = [("attachment", {"document": document, "title": ""})]
    findings = scan_page(page)
    assert [f.kind for f in findings] == [FindingKind.UNREADABLE]


def test_random_spreadsheet_positions_match_openpyxl():
    """The fast reader and openpyxl agree on where every finding is."""
    from moderation.scanning.detectors import detect
    from moderation.scanning.files import _openpyxl_sheet_pieces

    rng = random.Random(3)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "表1"
    for _ in range(40):
        row, column = rng.randint(1, 200), rng.randint(1, 30)
        sheet.cell(row=row, column=column, value=rng.choice([VALID_ID, "13812345678", CARD, "机密", "无"]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    fast = sorted(f.position for f in scan_file(buffer, "x.xlsx"))
    buffer.seek(0)
    slow = sorted(position for position, text in _openpyxl_sheet_pieces(buffer, "表1") for _ in detect(text))
    assert fast == slow
