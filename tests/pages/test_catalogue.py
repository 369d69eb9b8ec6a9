"""Catalogue metadata on the items the bureau issues: 主题分类 from the Office's list, 文号 unique,
发布机构 and 成文日期 defaulted to the bureau and the day the information was formed."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from pages.models import DisclosureTopic, NoticePage, PolicyPage
from tests.pages.test_permissions import form_data

pytestmark = pytest.mark.django_db


def _notice(demo, **fields):
    values = dict(
        title="关于开展殡葬领域突出问题专项整治的通知",
        department=demo.departments["社会事务股"],
        formed_on=datetime.date(2026, 11, 20),
        notice_kind="preview",
        event_date=datetime.date(2026, 12, 20),
        topic="funeral",
    )
    values.update(fields)
    return NoticePage(**values)


def test_a_document_defaults_to_the_bureau_and_its_formation_day(demo):
    notice = _notice(demo)
    demo.columns["tongzhi-gonggao"].add_child(instance=notice)
    notice.refresh_from_db()
    assert notice.issuing_authority == "开平市民政局"
    assert notice.written_on == datetime.date(2026, 11, 20)
    assert notice.validity == "in_force"


def test_a_topic_not_in_the_list_is_refused_in_chinese(demo):
    notice = NoticePage.objects.live().first()
    notice.topic = "weather"
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert "主题分类“weather”不在主题分类表中" in str(error.value)


def test_a_retired_topic_stays_valid_on_items_that_carry_it(demo):
    policy = PolicyPage.objects.filter(topic="assistance").first()
    DisclosureTopic.objects.filter(code="assistance").update(active=False)
    policy.full_clean()  # no error: the item already carries it
    other = NoticePage.objects.exclude(topic="assistance").first()
    other.topic = "assistance"
    with pytest.raises(ValidationError):
        other.full_clean()


def test_a_colliding_document_number_is_refused_across_types(demo):
    taken = PolicyPage.objects.exclude(document_number="").first()
    notice = _notice(demo, document_number=f" {taken.document_number} ")
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert f"文号“{taken.document_number}”已被《{taken.title}》使用" in str(error.value)


def test_editor_offers_the_topic_list_and_shows_a_collision_on_the_form(login, demo):
    client = login("staff_shiwu")
    page = NoticePage.objects.filter(department=demo.departments["社会事务股"]).first()
    url = f"/admin/pages/{page.pk}/edit/"
    response = client.get(url)
    html = response.content.decode()
    assert '<optgroup label="民政、扶贫、救灾">' in html and ">殡葬管理</option>" in html
    taken = PolicyPage.objects.exclude(document_number="").first()
    data = form_data(response, "page-edit-form")
    data.update({"attachments-count": "0", "document_number": taken.document_number})
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"文号“{taken.document_number}”已被" in response.content.decode()
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().document_number != taken.document_number
    data.update({"document_number": "", "topic": "no-such-topic"})
    response = client.post(url, data)
    assert response.status_code == 200 and "no-such-topic" not in page.get_latest_revision_as_object().topic


def test_topic_list_is_the_offices(login, demo):
    client = login("operator")
    response = client.get("/admin/disclosure_topics/")
    assert response.status_code == 200 and "社会救助" in response.content.decode()
    response = client.post(
        "/admin/disclosure_topics/new/",
        {
            "name": "优抚安置",
            "code": "veterans",
            "national_category": "民政、扶贫、救灾",
            "sort_order": "200",
            "active": "on",
        },
    )
    assert response.status_code == 302
    topic = DisclosureTopic.objects.get(code="veterans", name="优抚安置")
    # Retired with 启用 off, never deleted — not even by the superuser: items keep their codes.
    for username in ("operator", "admin"):
        deleting = login(username).post(f"/admin/disclosure_topics/delete/{topic.pk}/")
        assert deleting.status_code in (302, 403) and DisclosureTopic.objects.filter(pk=topic.pk).exists()
    staff = login("staff_shiwu")
    assert staff.get("/admin/disclosure_topics/").status_code in (302, 403)
    staff.post(f"/admin/disclosure_topics/edit/{topic.pk}/", {"name": "改名", "code": "veterans"})
    assert DisclosureTopic.objects.get(pk=topic.pk).name == "优抚安置"
