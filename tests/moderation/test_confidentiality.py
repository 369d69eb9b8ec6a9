"""保密审查 at submission: the author's attestation, the scan of attachments, the head's dismissal."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.test import Client
from openpyxl import Workbook
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import streamfield

from moderation.confidentiality import ConfidentialityReview, FindingDismissal
from pages.models import NewsPage
from tests.helpers import create_item, current_task_state

pytestmark = pytest.mark.django_db

# 11010519491231002X is a valid resident ID (ISO 7064 MOD 11-2 check digit X).
VALID_ID = "11010519491231002X"


def _xlsx_with_id():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(["序号", "姓名", "身份证号"])
    sheet.append([1, "张某某", VALID_ID])
    buffer = io.BytesIO()
    workbook.save(buffer)
    document = get_document_model()(title="低保名册", file=ContentFile(buffer.getvalue(), name="mingce.xlsx"))
    document.save()
    return document


def _client(login, username):
    return login(username, client=Client())


def test_submission_requires_the_authors_attestation(login, demo):
    client = _client(login, "staff_jiuzhu")
    response = create_item(
        client,
        demo.columns["gongzuo-dongtai"],
        demo.departments["社会救助股"],
        title="未确认保密审查",
        review_verified="",
    )
    # The work is kept as a draft, not submitted, and the author is told both, with the reason.
    assert response.status_code == 302
    page = NewsPage.objects.get(title="未确认保密审查")
    assert not page.live and current_task_state(page) is None
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "草稿已保存，但未提交审批" in text and "内容已核实" in text


def test_submission_records_the_review(login, demo):
    client = _client(login, "staff_jiuzhu")
    response = create_item(
        client, demo.columns["gongzuo-dongtai"], demo.departments["社会救助股"], title="保密审查记录测试"
    )
    assert response.status_code == 302
    page = NewsPage.objects.get(title="保密审查记录测试")
    review = ConfidentialityReview.objects.get(page=page)
    assert review.reviewer.username == "staff_jiuzhu"
    assert review.verified and review.no_secrets and review.no_personal
    form = client.get(f"/admin/review/form/{page.pk}/").content.decode()
    assert "保密审查" in form and "未发现问题" in form


def test_finding_in_xlsx_blocks_submission_until_the_head_dismisses_it(login, demo):
    document = _xlsx_with_id()
    attachments = streamfield([("attachment", {"document": document.pk, "title": ""})])
    staff = _client(login, "staff_jiuzhu")
    column, department = demo.columns["shehui-jiuzhu"], demo.departments["社会救助股"]
    # 社会救助和社会福利 takes disclosure items: post the DisclosurePage form.
    from tests.helpers import news_form_data

    data = news_form_data(department, title="含身份证号的名册", attachments=attachments)
    data.pop("source"), data.pop("author_byline")
    data["validity"] = "in_force"  # a disclosure item is a document (有效性)
    response = staff.post(
        f"/admin/pages/add/pages/disclosurepage/{column.pk}/", {**data, "action-submit": "1"}, follow=True
    )
    text = response.content.decode()
    assert "草稿已保存，但未提交审批" in text
    assert "11*************02X" in text and "名册!C2" in text
    assert VALID_ID not in text
    # Saved as a draft (not submitted), the head sees the finding; staff cannot dismiss it.
    page = column.get_children().get(title="含身份证号的名册").specific
    assert current_task_state(page) is None
    scan_url = f"/admin/review/scan/{page.pk}/"
    assert "11*************02X" in staff.get(scan_url).content.decode()
    from moderation.confidentiality import open_findings

    key = open_findings(page.get_latest_revision_as_object())[0].key
    assert staff.post(scan_url, {"key": key, "reason": "误报"}).status_code == 403
    head = _client(login, "head_jiuzhu")
    assert head.post(scan_url, {"key": key, "reason": ""}).status_code == 400
    assert head.post(scan_url, {"key": key, "reason": "测试用虚构号码，非真实个人信息"}).status_code == 302
    dismissal = FindingDismissal.objects.get(page=page)
    assert dismissal.dismissed_by.username == "head_jiuzhu" and "虚构" in dismissal.reason
    # Now the submission goes through and the head finds it at step 1.
    response = staff.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-submit": "1"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert current_task_state(page).task.name == "保密审查及科室初审"
    review = ConfidentialityReview.objects.get(page=page)
    assert "1 处已由部门负责人排除" in review.scan_summary


def test_unreadable_attachment_is_not_waved_through(login, demo):
    document = get_document_model()(
        title="损坏的表格", file=ContentFile(b"PK\x03\x04broken", name="broken.xlsx")
    )
    document.save()
    attachments = streamfield([("attachment", {"document": document.pk, "title": ""})])
    staff = _client(login, "staff_jiuzhu")
    response = create_item(
        staff,
        demo.columns["gongzuo-dongtai"],
        demo.departments["社会救助股"],
        title="附件损坏测试",
        attachments=attachments,
    )
    assert response.status_code == 302
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "损坏的表格" in text and "无法检查" in text
    assert current_task_state(NewsPage.objects.get(title="附件损坏测试")) is None
