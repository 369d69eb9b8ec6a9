"""Only live, public pages and public fields, whatever the request carries."""

import json

import pytest
from wagtail.models import Page, PageViewRestriction

from govportal.api.catalogue import index_page
from govportal.api.models import PublicDocument
from govportal.api.scope import get_scope
from pages.models import ColumnPage, HomePage, NewsPage, QuestionPage

from .conftest import publish

LISTINGS = [
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/?limit=100&offset=100",
    "/api/v2/pages/?type=pages.QuestionPage&fields=*",
    "/api/v2/pages/?search=民政&limit=100&fields=*",
    "/api/v2/site/",
]


def all_text(client):
    return "".join(client.get(url).content.decode() for url in LISTINGS)


@pytest.fixture
def secrets_on_site(demo):
    """A draft, an in-review revision of a live page, an unpublished page, a restricted section."""
    column = demo.columns["gongzuo-dongtai"]
    department = demo.departments["社会救助股"]
    draft = NewsPage(title="草稿绝密标题甲", department=department, body="<p>草稿正文</p>", live=False)
    column.add_child(instance=draft)
    draft.save_revision()

    live = NewsPage.objects.live().filter(path__startswith=column.path).first()
    live.title = "审核中的修改标题乙"
    live.body = "<p>审核中的修改正文乙</p>"
    live.save_revision()

    gone = NewsPage.objects.live().filter(path__startswith=column.path).exclude(pk=live.pk).first()
    gone.unpublish()

    restricted_column = demo.columns["renshi-renmian"]
    PageViewRestriction.objects.create(page=restricted_column, restriction_type="login")
    restricted = Page.objects.live().child_of(restricted_column).first().specific
    question = QuestionPage.objects.live().first()
    QuestionPage.objects.filter(pk=question.pk).update(asker_name="王秘密", asker_contact="13800138000")
    return {
        "draft": draft,
        "live_with_draft": live,
        "unpublished": gone,
        "restricted": restricted,
        "question": question,
    }


def assert_nothing_leaks(client, secrets):
    text = all_text(client)
    for word in ["草稿绝密标题甲", "审核中的修改标题乙", "审核中的修改正文乙", "王秘密", "13800138000"]:
        assert word not in text
    for key in ("draft", "unpublished", "restricted"):
        page = secrets[key]
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
        assert f'"id":{page.pk},' not in text
        assert page.title not in text or key == "draft"
    detail = client.get(f"/api/v2/pages/{secrets['live_with_draft'].pk}/").json()
    assert detail["title"] != "审核中的修改标题乙"
    question = client.get(f"/api/v2/pages/{secrets['question'].pk}/").content.decode()
    assert "王秘密" not in question and "13800138000" not in question
    for forbidden in ("owner", "asker_name", "asker_contact", "latest_revision", "locked_by"):
        assert f'"{forbidden}"' not in text + question


def test_anonymous_sees_nothing_internal(client, secrets_on_site):
    assert_nothing_leaks(client, secrets_on_site)


def test_superuser_session_sees_nothing_more(client, login, demo, secrets_on_site):
    login("admin")
    assert client.get("/admin/").status_code == 200  # the session really is logged in
    assert_nothing_leaks(client, secrets_on_site)
    # Headers cannot switch anything on either.
    response = client.get("/api/v2/pages/?limit=100", HTTP_AUTHORIZATION="Bearer x", HTTP_X_PREVIEW="1")
    assert "草稿绝密标题甲" not in response.content.decode()


def test_unpublished_column_hides_its_items(client, demo):
    column = demo.columns["tongzhi-gonggao"]
    item = Page.objects.live().child_of(column).first()
    column.unpublish()
    assert client.get(f"/api/v2/pages/{item.pk}/").status_code == 404
    ids = [i["id"] for i in client.get("/api/v2/pages/?limit=100").json()["items"]]
    assert item.pk not in ids


def test_a_tree_beside_the_site_root_is_not_public(client, demo):
    """Live pages of another tree (a second site's home beside this site's root) are in the
    catalogue but not public here: not listed, found or served, whichever search path."""
    other_home = Page.get_first_root_node().add_child(instance=HomePage(title="另一站点", slug="other-site"))
    column = other_home.add_child(
        instance=ColumnPage(title="站外栏目", slug="zhanwai", kind=demo.columns["gongzuo-dongtai"].kind)
    )
    outside = column.add_child(
        instance=NewsPage(
            title="站外救助资金通知",
            department=demo.departments["办公室"],
            body="<p>站外预算公开。</p>",
        )
    )
    # Live as its own site's publishing would make it (no chain runs outside this site).
    Page.objects.filter(pk__in=[other_home.pk, column.pk, outside.pk]).update(live=True)
    for page in (other_home, column, outside):
        index_page(page.pk)
    assert PublicDocument.objects.filter(pk=outside.pk).exists()  # live, so catalogued
    assert get_scope().everything_public is False
    assert client.get(f"/api/v2/pages/{outside.pk}/").status_code == 404
    for query in ("/api/v2/pages/?limit=100", "/api/v2/pages/?search=预算&limit=100"):
        assert outside.pk not in [i["id"] for i in client.get(query).json()["items"]], query
    assert outside.pk not in [
        i["id"] for i in client.get("/api/v2/pages/?search=救助资金&limit=100").json()["items"]
    ]
    Page.objects.filter(pk__in=[other_home.pk, column.pk, outside.pk]).update(live=False)
    for page in (other_home, column, outside):
        index_page(page.pk)
    assert get_scope().everything_public is True  # nothing live beside the root any more


def test_rich_text_has_no_internal_markup(client, demo):
    target = NewsPage.objects.live().first()
    hidden = NewsPage(title="未发布的目标", department=demo.departments["办公室"], live=False)
    demo.columns["gongzuo-dongtai"].add_child(instance=hidden)
    page = NewsPage.objects.live().exclude(pk=target.pk).first()
    page.body = (
        f'<p><a linktype="page" id="{target.pk}">公开链接</a>和'
        f'<a linktype="page" id="{hidden.pk}">内部链接</a></p>'
    )
    publish(page)
    body = client.get(f"/api/v2/pages/{page.pk}/").json()["body"]
    assert "linktype" not in body and "embedtype" not in body
    assert f'<a href="{target.url}">公开链接</a>' in body  # the public path, percent-encoded
    assert "<a>内部链接</a>" in body


def test_only_public_media_are_listed(client, demo):
    images = client.get("/api/v2/images/").json()
    documents = client.get("/api/v2/documents/").json()
    assert images["meta"]["total_count"] >= 1 and documents["meta"]["total_count"] >= 1
    for doc in documents["items"]:
        assert doc["meta"]["download_url"].startswith("http")
    from wagtail.documents import get_document_model

    unused = get_document_model().objects.create(title="内部文件", file="documents/internal.pdf")
    assert client.get(f"/api/v2/documents/{unused.pk}/").status_code == 404
    assert "内部文件" not in json.dumps(client.get("/api/v2/documents/?limit=100").json(), ensure_ascii=False)
