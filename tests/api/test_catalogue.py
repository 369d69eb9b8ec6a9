"""The disclosure catalogue over the API (政府信息公开目录): only the bureau's government
information, with its catalogue metadata, filtered by topic and validity; the statutory list."""

import pytest

from govportal.api.models import PublicDocument
from pages.models import ColumnPage, NewsPage, QuestionPage, StatutoryDisclosureKind

from .conftest import publish

pytestmark = pytest.mark.django_db
DOCUMENT_FIELDS = ("document_number", "issuing_authority", "written_on", "validity")


def _all(client, query):
    data = client.get(f"/api/v2/pages/?{query}&limit=100").json()
    assert data["meta"]["total_count"] <= 100
    return data["items"]


def test_catalogue_lists_only_the_bureaus_government_information(client, demo):
    items = _all(client, "catalogue=1")
    types = {i["meta"]["type"] for i in items}
    assert "pages.NoticePage" in types and "pages.PolicyPage" in types and "pages.NewsPage" in types
    assert not types & {"pages.QuestionPage", "pages.QAEntryPage", "pages.LinkPage"}
    assert all(i["index_number"] for i in items)
    titles = {i["title"] for i in items}
    assert "民政部：进一步做好困难群众冬春生活救助工作" not in titles  # a repost
    assert "我局召开2026年第四季度民政重点工作推进会" in titles  # the bureau's own news
    every_item = client.get("/api/v2/pages/?items_only=1").json()["meta"]["total_count"]
    assert len(items) < every_item


def test_documents_carry_the_catalogue_metadata_in_listings(client, demo):
    notices = _all(client, "catalogue=1&type=pages.NoticePage")
    assert notices
    for notice in notices:
        assert all(name in notice for name in DOCUMENT_FIELDS)
        assert notice["document_number"] and notice["issuing_authority"] == "开平市民政局"
        assert notice["written_on"] and notice["validity"]["label"] == "现行有效"
        assert notice["summary"]


def test_catalogue_filters_by_topic_and_validity(client, demo):
    assistance = _all(client, "catalogue=1&topic=assistance")
    elderly = _all(client, "catalogue=1&topic=elderly")
    assert assistance and elderly
    assert all(i["topic"] == {"value": "assistance", "label": "社会救助"} for i in assistance)
    assert not {i["id"] for i in assistance} & {i["id"] for i in elderly}
    topics = {i["topic"]["value"] for i in _all(client, "catalogue=1")}
    assert len(topics) >= 8  # the demo's items are spread over the classification
    abolished = _all(client, "catalogue=1&validity=amended")
    assert abolished and all(i["validity"]["value"] == "amended" for i in abolished)
    response = client.get("/api/v2/pages/?catalogue=1&topic=weather")
    assert response.status_code == 400 and "参数 topic 应为" in response.json()["message"]


def test_a_topic_the_office_adds_is_offered_and_filterable(client, demo):
    from pages.models import DisclosureTopic

    DisclosureTopic.objects.create(code="veterans", name="优抚安置", national_category="民政、扶贫、救灾")
    topics = {t["value"]: t["label"] for t in client.get("/api/v2/site/").json()["topics"]}
    assert topics["veterans"] == "优抚安置"
    assert client.get("/api/v2/pages/?topic=veterans").json()["meta"]["total_count"] == 0


def test_repost_is_public_with_its_source_but_outside_the_catalogue(client, demo):
    repost = NewsPage(
        title="转载：国务院常务会议部署民生保障工作",
        department=demo.departments["办公室"],
        is_repost=True,
        source="中国政府网",
        source_url="https://www.gov.cn/yaowen/liebiao/202611/content_7000001.htm",
    )
    demo.columns["shizheng-yaowen"].add_child(instance=repost)
    publish(repost)
    assert repost.index_number == ""
    detail = client.get(f"/api/v2/pages/{repost.pk}/").json()
    assert detail["is_repost"] is True and detail["source"] == "中国政府网"
    assert detail["source_url"].startswith("https://www.gov.cn/")
    assert repost.pk not in {i["id"] for i in _all(client, "catalogue=1&type=pages.NewsPage")}
    assert not PublicDocument.objects.get(pk=repost.pk).in_catalogue


def test_question_is_public_but_not_in_the_catalogue(client, demo):
    question = QuestionPage.objects.live().first()
    assert client.get(f"/api/v2/pages/{question.pk}/").json()["index_number"] == ""
    assert question.pk not in {i["id"] for i in _all(client, "catalogue=1&items_only=1")}


def test_statutory_list_says_where_each_kind_is_published(client, demo):
    items = client.get("/api/v2/statutory/").json()["items"]
    budgets = next(i for i in items if i["name"] == "财政预算、决算信息")
    assert [c["title"] for c in budgets["columns"]] == ["财政预决算和三公经费"]
    assert budgets["item_count"] >= 3 and budgets["last_updated"] and not budgets["missing"]
    assert not any(i["missing"] for i in items)


def test_statutory_list_warns_on_an_empty_required_kind(client, demo):
    empty = ColumnPage(title="重大建设项目", slug="zhongda-xiangmu", kind="disclosure")
    demo.columns["zhixing-gongkai"].get_parent().add_child(instance=empty)
    empty.save_revision().publish()
    kind = StatutoryDisclosureKind.objects.create(
        name="重大建设项目批准和实施情况", legal_basis="第二十条第（十）项"
    )
    kind.columns.set([empty])
    row = next(i for i in client.get("/api/v2/statutory/").json()["items"] if i["name"] == kind.name)
    assert row["missing"] is True and row["item_count"] == 0 and row["last_updated"] is None
    assert row["columns"][0]["html_path"].endswith("/zhongda-xiangmu/")
    kind.required = False
    kind.save()
    row = next(i for i in client.get("/api/v2/statutory/").json()["items"] if i["name"] == kind.name)
    assert row["missing"] is False
