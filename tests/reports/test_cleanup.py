"""清理清单: entries with their actions, actions done from the list by the Office or the
administrator, audited, never destroying records; others refused on the server."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry

from moderation.desk import SubmissionRecord
from moderation.withdrawal import Withdrawal
from pages.models import DisclosurePage, NoticePage, PolicyPage, SurveyPage
from reports.cleanup import queue

pytestmark = pytest.mark.django_db


def entries(heading):
    return dict(queue())[heading]


@pytest.fixture
def expired_policy(demo):
    """A live, in-force policy of the demo whose 有效期至 passed yesterday."""
    policy = PolicyPage.objects.live().filter(validity=PolicyPage.Validity.IN_FORCE).first()
    PolicyPage.objects.filter(pk=policy.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    policy.refresh_from_db()
    return policy


def test_queue_lists_expired_policies_closed_surveys_with_their_actions(expired_policy, demo):
    policies = entries("过期和废止的文件")
    listed = {e.page.pk: e for e in policies}
    assert listed[expired_policy.pk].actions == ("expire", "abolish")
    assert "已过期仍标为现行有效" in listed[expired_policy.pk].problem
    abolished = [e for e in policies if e.page.validity == PolicyPage.Validity.ABOLISHED]
    assert abolished and all(e.actions == ("withdraw",) for e in abolished)
    closed = entries("已截止的调查征集")
    assert closed and all(e.page.closes_on < timezone.localdate() for e in closed)


def test_office_marks_abolished_with_its_replacement_and_it_is_audited(expired_policy, login):
    office = login("head_office", client=Client())
    replacement = PolicyPage.objects.live().exclude(pk=expired_policy.pk).first()
    response = office.post(
        f"/admin/reports/cleanup/{expired_policy.pk}/abolish/", {"replaced_by": str(replacement.pk)}
    )
    assert response.status_code == 302
    expired_policy.refresh_from_db()
    assert (
        expired_policy.validity == PolicyPage.Validity.ABOLISHED and expired_policy.replaced_by == replacement
    )
    assert expired_policy.live and expired_policy.live_revision.as_object().validity == "abolished"
    entry = PageLogEntry.objects.get(page=expired_policy, action="govportal.cleanup_abolish")
    assert entry.user.username == "head_office" and entry.data["replaced_by"] == replacement.title
    page = office.get("/admin/reports/cleanup/").content.decode()
    assert "清理：标记已废止" in page and "替代文件：" in page


def test_administrator_withdraws_a_closed_survey_with_a_reason_records_stay(demo, login):
    survey = SurveyPage.objects.live().filter(closes_on__lt=timezone.localdate()).first()
    admin = login("admin", client=Client())
    refused = admin.post(f"/admin/reports/cleanup/{survey.pk}/withdraw/", {"reason": "  "})
    assert refused.status_code == 302
    survey.refresh_from_db()
    assert survey.live  # no reason, nothing done
    admin.post(f"/admin/reports/cleanup/{survey.pk}/withdraw/", {"reason": "征集已结束"})
    survey.refresh_from_db()
    assert not survey.live and Page.objects.filter(pk=survey.pk).exists()
    record = SubmissionRecord.objects.get(page_id=survey.pk)
    assert record.state == SubmissionRecord.State.UNPUBLISHED and record.published_at is not None
    log = PageLogEntry.objects.get(page=survey, action="govportal.cleanup_withdraw")
    assert log.data == {"reason": "征集已结束"} and log.user.username == "admin"
    assert Withdrawal.objects.get(page=survey).reason == "征集已结束"
    assert survey.pk not in {e.page.pk for e in entries("已截止的调查征集")}


def test_the_office_withdraws_what_the_list_says_is_due_and_nothing_else(demo, login):
    survey = SurveyPage.objects.live().filter(closes_on__lt=timezone.localdate()).first()
    open_item = PolicyPage.objects.live().filter(validity=PolicyPage.Validity.IN_FORCE).first()
    office = login("operator", client=Client())
    listing = office.get("/admin/reports/cleanup/").content.decode()
    assert f"/admin/reports/cleanup/{survey.pk}/withdraw/" in listing and "撤回理由" in listing
    office.post(f"/admin/reports/cleanup/{open_item.pk}/withdraw/", {"reason": "试图撤回"})
    open_item.refresh_from_db()
    assert open_item.live and not Withdrawal.objects.filter(page=open_item).exists()
    office.post(f"/admin/reports/cleanup/{survey.pk}/withdraw/", {"reason": "征集已结束"})
    survey.refresh_from_db()
    assert not survey.live and Withdrawal.objects.get(page=survey).withdrawn_by.username == "operator"
    assert (
        PageLogEntry.objects.get(page=survey, action="govportal.cleanup_withdraw").user.username == "operator"
    )


def test_the_office_cannot_withdraw_outside_the_list_through_the_editor_route(demo, login):
    item = PolicyPage.objects.live().filter(validity=PolicyPage.Validity.IN_FORCE).first()
    login("operator", client=Client()).post(f"/admin/withdraw/{item.pk}/", {"reason": "试图撤回"})
    item.refresh_from_db()
    assert item.live and not Withdrawal.objects.filter(page=item).exists()


def test_expire_action(expired_policy, login):
    login("admin", client=Client()).post(f"/admin/reports/cleanup/{expired_policy.pk}/expire/")
    expired_policy.refresh_from_db()
    assert expired_policy.validity == PolicyPage.Validity.EXPIRED
    assert PageLogEntry.objects.filter(page=expired_policy, action="govportal.cleanup_expire").exists()


def test_any_document_with_validity_is_cleaned_up_not_only_policies(demo, login):
    """A notice is a document too: its 有效期至 passing puts it on the list, and the Office marks
    it 已废止 (no 替代文件: only policies carry one)."""
    notice = NoticePage.objects.live().first()
    NoticePage.objects.filter(pk=notice.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    listed = {e.page.pk: e for e in entries("过期和废止的文件")}
    assert listed[notice.pk].actions == ("expire", "abolish") and not listed[notice.pk].replaceable
    office = login("head_office", client=Client())
    assert f'id="rb-{notice.pk}"' not in office.get("/admin/reports/cleanup/").content.decode()
    office.post(f"/admin/reports/cleanup/{notice.pk}/abolish/")
    notice.refresh_from_db()
    assert notice.validity == NoticePage.Validity.ABOLISHED and notice.abolished_on == timezone.localdate()
    assert notice.live_revision.as_object().validity == "abolished"
    assert listed[notice.pk].page.pk in {
        e.page.pk for e in entries("过期和废止的文件") if e.actions == ("withdraw",)
    }


def test_departments_cannot_clean_up(expired_policy, login):
    head = login("head_jiuzhu", client=Client())
    assert head.get("/admin/reports/cleanup/").status_code == 403
    assert head.post(f"/admin/reports/cleanup/{expired_policy.pk}/expire/").status_code == 403
    expired_policy.refresh_from_db()
    assert expired_policy.validity == PolicyPage.Validity.IN_FORCE
    assert "清理清单" not in head.get("/admin/").content.decode()


def test_items_with_a_lost_attachment_are_listed(demo):
    document = get_document_model().objects.create(
        title="清理测试附件", file=ContentFile(b"x", name="cleanup.txt")
    )
    item = DisclosurePage(
        title="附件丢失的信息",
        department=demo.departments["社会事务股"],
        attachments=[("attachment", {"document": document, "title": ""})],
    )
    demo.columns["anquan-shengchan"].add_child(instance=item)
    Page.objects.filter(pk=item.pk).update(live=True, first_published_at=timezone.now())
    assert item.pk not in {e.page.pk for e in entries("附件损坏的信息")}
    document.file.storage.delete(document.file.name)
    (entry,) = [e for e in entries("附件损坏的信息") if e.page.pk == item.pk]
    assert "1 个附件已丢失或无法读取" in entry.problem and entry.actions == ()
