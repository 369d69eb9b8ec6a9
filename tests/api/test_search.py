"""Chinese search: words found mid-sentence (recall 100%), title hits first, snippets."""

import pytest

from govportal.api.models import PublicDocument, SearchText
from pages.models import NewsPage

from .conftest import publish

# (word, sentence containing it mid-sentence); every word 2+ characters.
CASES = [
    ("预算", "我局认真编制年度部门预算并按时公开"),
    ("低保", "水口镇严格规范城乡低保审核确认工作"),
    ("救助", "持续做好困难群众临时救助兜底保障"),
    ("殡葬", "深化殡葬改革推进移风易俗"),
    ("养老机构", "开展养老机构消防安全专项检查"),
    ("地名", "推进区划地名标准化建设"),
    ("婚俗", "开展婚俗改革试点工作"),
    ("特困人员", "落实特困人员救助供养政策"),
]


@pytest.fixture
def corpus(demo):
    column = demo.columns["gongzuo-dongtai"]
    department = demo.departments["社会救助股"]
    pages = []
    for i, (_, sentence) in enumerate(CASES):
        page = NewsPage(
            title=f"检索测试第{i}篇",
            department=department,
            body=f"<p>据悉，{sentence}，取得明显成效。</p>",
            live=False,
        )
        column.add_child(instance=page)
        publish(page)
        pages.append(page)
    return pages


def search_ids(client, query, limit=100):
    data = client.get("/api/v2/pages/", {"search": query, "limit": limit}).json()
    return [i["id"] for i in data["items"]], data


def test_recall_mid_sentence(client, corpus):
    for (word, _), page in zip(CASES, corpus, strict=True):
        ids, data = search_ids(client, word)
        assert page.pk in ids or data["meta"]["total_count"] > 100, word
        # Recall against the ground truth: every public page containing the word is found.
        truth = {
            d.pk
            for d in SearchText.objects.filter(document__is_item=True)
            if word in d.title or word in d.text
        }
        found = set()
        offset = 0
        while True:
            batch = client.get("/api/v2/pages/", {"search": word, "limit": 100, "offset": offset}).json()[
                "items"
            ]
            found |= {i["id"] for i in batch}
            if len(batch) < 100:
                break
            offset += 100
        assert found == truth, word


def test_no_false_hits_for_bigrams_apart(client, corpus):
    # 预 and 算 both occur in the corpus, but "算预" does not.
    assert search_ids(client, "算预")[0] == []


def test_title_hits_first_and_snippet(client, demo, corpus):
    column = demo.columns["gongzuo-dongtai"]
    titled = NewsPage(title="关于殡葬改革的通报", department=demo.departments["办公室"], body="<p>正文</p>")
    column.add_child(instance=titled)
    publish(titled)
    ids, data = search_ids(client, "殡葬")
    assert ids[0] == titled.pk
    first, body_hit = data["items"][0], next(i for i in data["items"] if i["id"] == corpus[3].pk)
    assert first["search"]["title_match"] is True
    assert "<mark>殡葬</mark>" in body_hit["search"]["snippet"]
    assert body_hit["search"]["title_match"] is False


def test_search_combines_with_filters_and_terms(client, demo, corpus):
    department = demo.departments["社会救助股"]
    ids, _ = search_ids(client, f"特困 供养&department={department.pk}")
    data = client.get("/api/v2/pages/", {"search": "特困 供养", "department": department.pk}).json()
    assert corpus[7].pk in [i["id"] for i in data["items"]]
    assert all(i["department"]["id"] == department.pk for i in data["items"])


def test_unpublished_pages_leave_the_index(client, corpus):
    page = corpus[0]
    assert page.pk in search_ids(client, "预算")[0]
    page.unpublish()
    assert page.pk not in search_ids(client, "预算")[0]


def test_saving_a_draft_does_not_change_what_is_found(client, corpus):
    page = corpus[1]
    page.body = "<p>草稿里写了独一无二的词语</p>"
    page.save_revision()
    assert search_ids(client, "独一无二")[0] == []
    assert page.pk in search_ids(client, "低保")[0]


@pytest.mark.parametrize("word", ["预算", "民政", "救助"])
def test_two_character_search_from_postings_equals_general_path(
    client, demo, word, django_assert_max_num_queries
):
    """One two-character word and no filter: answered from the postings index alone (the
    bigram decides containment); the same items, order, snippets and count as the general path
    (forced here by a filter that keeps everything)."""
    fast_url = f"/api/v2/pages/?search={word}&limit=100"
    client.get("/api/v2/site/")
    with django_assert_max_num_queries(4):
        fast = client.get(fast_url).json()
    general = client.get(f"/api/v2/pages/?search={word}&limit=100&date_from=1900-01-01").json()
    assert fast["meta"]["total_count"] > 0
    assert fast == general
    page = client.get(f"/api/v2/pages/?search={word}&limit=3&offset=2").json()
    assert page["items"] == general["items"][2:5]


def test_postings_follow_edits_exactly(demo):
    """index_page writes only the postings that changed; the result equals a fresh build."""
    from govportal.api.catalogue import postings_of
    from govportal.api.models import SearchBigram

    page = NewsPage.objects.live().first()
    page.title = "预算执行情况的公告"
    publish(page)
    doc = PublicDocument.objects.get(pk=page.pk)
    text = SearchText.objects.get(pk=page.pk)
    rows = SearchBigram.objects.filter(document_id=page.pk)
    assert dict(rows.values_list("bigram", "in_title")) == postings_of(text)
    assert rows.count() == len(postings_of(text)) and rows.filter(in_title=True).count() == 8
    assert set(rows.values_list("published", flat=True)) == {doc.first_published_at}
    assert not SearchBigram.objects.filter(document__is_item=False).exists()


def test_letters_are_found_whatever_their_case_and_chinese_as_written(client, demo):
    column = demo.columns["gongzuo-dongtai"]
    page = NewsPage(
        title="办事指南PDF下载",
        department=demo.departments["社会救助股"],
        body="<p>附件为Word版申请表，可下载。</p>",
        live=False,
    )
    column.add_child(instance=page)
    publish(page)
    for query in ("pdf", "PDF", "Pdf", "word", "WORD 申请表", "办事指南"):
        assert page.pk in search_ids(client, query)[0], query


def test_an_external_engine_that_finds_nothing_answers_an_empty_list(client, corpus, settings):
    # Wagtail's own database backend stands in for OpenSearch (GOVPORTAL_PUBLIC_SEARCH_BACKEND).
    settings.GOVPORTAL_PUBLIC_SEARCH_BACKEND = "default"
    response = client.get("/api/v2/pages/", {"search": "绝无此词", "limit": 20})
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 0 and response.json()["items"] == []
