"""Demo images and attachments, drawn and written locally (nothing is downloaded)."""

import io
import math
import zlib

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model


def _png(width, height, colour, accent):
    image = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 40):
        draw.line([(i, height), (i + height // 2, 0)], fill=accent, width=6)
    draw.rectangle(
        [width // 10, height // 3, width - width // 10, height - height // 4], outline="white", width=8
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _portrait(colour):
    image = PILImage.new("RGB", (300, 400), "#dfe6ee")
    draw = ImageDraw.Draw(image)
    draw.ellipse([95, 60, 205, 170], fill=colour)
    draw.rectangle([60, 190, 240, 400], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _emblem():
    """A red disc with a gold ring and a five-pointed star: a stand-in for the bureau's emblem."""
    size = 288
    image = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([4, 4, size - 4, size - 4], fill="#f4c542")
    draw.ellipse([20, 20, size - 20, size - 20], fill="#b71c1c")
    centre, outer, inner = size / 2, size * 0.3, size * 0.12
    points = [
        (
            centre + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            centre - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(points, fill="#f4c542")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def site_emblem():
    return get_or_create_image("网站站徽", _emblem)


def get_or_create_image(title, data_factory):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        name = f"demo-{zlib.crc32(title.encode())}.png"
        image = Image(title=title, file=ImageFile(io.BytesIO(data_factory()), name=name))
        image.save()
    return image


def news_image(title):
    return get_or_create_image(title, lambda: _png(960, 540, "#9b1c1c", "#b8322a"))


def leader_photo(name):
    return get_or_create_image(f"{name}照片", lambda: _portrait("#34495e"))


def _pdf_bytes(title, lines):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("STSong-Light", 16)
    pdf.drawString(60, 780, title)
    pdf.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        pdf.drawString(60, 740 - i * 20, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _xlsx_bytes(title, header, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def get_or_create_document(title, extension, data_factory):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        name = f"demo-{zlib.crc32(title.encode())}.{extension}"
        document = Document(title=title, file=ContentFile(data_factory(), name=name))
        document.save()
    return document


def attachment_for(item_title, kind):
    if kind == "pdf":
        return get_or_create_document(
            f"{item_title}（附件）",
            "pdf",
            lambda: _pdf_bytes(item_title, ["开平市民政局", "本文件为公开信息。", "联系电话：0750-2211001"]),
        )
    towns = ["长沙街道", "三埠街道", "水口镇", "赤坎镇", "月山镇", "塘口镇", "百合镇", "蚬冈镇"]
    rows = [
        [
            i + 1,
            f"{'李黄陈张周吴梁谭'[i % 8]}某某",
            towns[i % len(towns)],
            f"44078{i % 10}*********{i % 10}2{i % 7}",
            1070 - i * 7,
        ]
        for i in range(24)
    ]
    return get_or_create_document(
        f"{item_title}（名册）",
        "xlsx",
        lambda: _xlsx_bytes(
            item_title, ["序号", "姓名", "镇（街道）", "身份证号（脱敏）", "金额（元）"], rows
        ),
    )
