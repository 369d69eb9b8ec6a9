"""The detail endpoint serves the detail JSON precomputed at publication (PublicDocument.detail):
the same answer as rendering from the page, a constant two queries, and never stale when what
it depends on (links, ancestors, replacing policies, visibility) changes."""

from urllib.parse import quote

import pytest
from django.core.management import call_command
from wagtail.models import Page

from govportal.api import scope as api_scope
from govportal.api.cache import response_cache
from govportal.api.models import PublicDocument
from pages.models import ColumnPage, NewsPage, PolicyPage

from .conftest import publish


def fresh(client, url):
    response_cache.clear()
    api_scope._current = None
    return client.get(url)


def test_every_live_page_has_precomputed_detail(demo):
    assert not PublicDocument.objects.filter(detail__isnull=True).exists()


def test_precomputed_detail_equals_rendering_from_the_page(client, demo):
    """Rows without precomputed detail (indexed before it existed) render from the page; both
    paths give the same answer for every public page, with every field (compared as JSON:
    PostgreSQL's jsonb does not keep the key order of the stored detail)."""
    ids = list(PublicDocument.objects.order_by("path").values_list("pk", flat=True))
    for suffix in ("", "?fields=*"):
        stored = {pk: fresh(client, f"/api/v2/pages/{pk}/{suffix}").json() for pk in ids}
        saved = dict(PublicDocument.objects.values_list("pk", "detail"))
        PublicDocument.objects.update(detail=None)
        try:
            for pk in ids:
                assert fresh(client, f"/api/v2/pages/{pk}/{suffix}").json() == stored[pk], pk
        finally:
            for pk, detail in saved.items():
                PublicDocument.objects.filter(pk=pk).update(detail=detail)


@pytest.mark.parametrize("fields", ["", "?fields=*"])
def test_detail_is_one_statement(client, demo, django_assert_num_queries, fields):
    """The version and the catalogue row in one statement; the first policy of a content
    version adds one for the replacement links (replaced_by/replaces)."""
    api_scope._current = None
    warm = NewsPage.objects.live().last()
    client.get(f"/api/v2/pages/{warm.pk}/")  # the scope of this version is built once per process
    for model in (NewsPage, ColumnPage):
        page = model.objects.live().first()
        with django_assert_num_queries(1):
            assert client.get(f"/api/v2/pages/{page.pk}/{fields}").status_code == 200
    first, second = PolicyPage.objects.live()[:2]
    with django_assert_num_queries(2):  # the replacement links, once per content version
        assert client.get(f"/api/v2/pages/{first.pk}/{fields}").status_code == 200
    with django_assert_num_queries(1):
        assert client.get(f"/api/v2/pages/{second.pk}/{fields}").status_code == 200


def test_listing_with_detail_fields_is_constant(client, demo, django_assert_max_num_queries):
    client.get("/api/v2/site/")
    client.get("/api/v2/pages/?type=pages.NewsPage&limit=1")  # its statement prepared once per connection
    with django_assert_max_num_queries(5):
        items = client.get("/api/v2/pages/?type=pages.NewsPage&fields=body,attachments&limit=50").json()
    assert items["items"] and all("body" in i for i in items["items"])


def test_link_to_a_page_follows_its_visibility(client, demo):
    """A link in stored HTML is resolved per request: unpublishing the target turns the link
    into text at once, without publishing the page that links to it again."""
    target = NewsPage.objects.live().first()
    page = NewsPage.objects.live().exclude(pk=target.pk).first()
    page.body = f'<p>参见<a linktype="page" id="{target.pk}">另一条新闻</a>。</p>'
    publish(page)
    target_path = quote(PublicDocument.objects.get(pk=target.pk).html_path)
    body = client.get(f"/api/v2/pages/{page.pk}/").json()["body"]
    assert f'href="{target_path}"' in body and "linktype" not in body and "data-govportal" not in body
    target.unpublish()
    body = client.get(f"/api/v2/pages/{page.pk}/").json()["body"]
    assert "<a>另一条新闻</a>" in body and target_path not in body


def test_breadcrumbs_follow_a_renamed_column(client, demo):
    page = NewsPage.objects.live().first()
    column = page.get_parent().specific
    client.get(f"/api/v2/pages/{page.pk}/")
    column.title = "改名后的栏目"
    column.save()
    crumbs = client.get(f"/api/v2/pages/{page.pk}/").json()["breadcrumbs"]
    assert crumbs[-1] == {"id": column.pk, "title": "改名后的栏目", "html_path": crumbs[-1]["html_path"]}


def test_replacing_policy_shows_on_the_replaced_one(client, demo):
    replaced_targets = PolicyPage.objects.filter(replaced_by__isnull=False).values("replaced_by")
    new = PolicyPage.objects.live().exclude(pk__in=replaced_targets).first()
    old = PolicyPage.objects.live().filter(replaced_by__isnull=True).exclude(pk=new.pk).first()
    assert client.get(f"/api/v2/pages/{new.pk}/").json()["replaces"] == []
    old.replaced_by, old.validity = new, PolicyPage.Validity.AMENDED
    publish(old)
    replaces = client.get(f"/api/v2/pages/{new.pk}/").json()["replaces"]
    assert [r["id"] for r in replaces] == [old.pk]
    assert client.get(f"/api/v2/pages/{old.pk}/").json()["replaced_by"]["id"] == new.pk
    old.unpublish()
    assert client.get(f"/api/v2/pages/{new.pk}/").json()["replaces"] == []


def test_edit_of_a_document_refreshes_attachments(client, demo):
    from wagtail.documents import get_document_model

    doc = PublicDocument.objects.filter(is_item=True, media__has_key="documents").first()
    page = Page.objects.get(pk=doc.pk).specific
    blocks = [b["value"] for b in page.attachments.raw_data if b["value"].get("document")]
    document = get_document_model().objects.get(pk=blocks[0]["document"])
    client.get(f"/api/v2/pages/{doc.pk}/")
    document.title = "更名后的附件"
    document.save()
    attachments = client.get(f"/api/v2/pages/{doc.pk}/").json()["attachments"]
    assert attachments[0]["title"] == (blocks[0].get("title") or "更名后的附件")
    document.delete()
    attachments = client.get(f"/api/v2/pages/{doc.pk}/").json()["attachments"]
    assert len(attachments) == len(blocks) - 1


def test_rebuild_public_index_command(demo):
    before = dict(PublicDocument.objects.values_list("pk", "detail"))
    PublicDocument.objects.filter(pk__in=list(before)[:5]).update(detail=None)
    call_command("rebuild_public_index", stdout=open("/dev/null", "w"))
    after = dict(PublicDocument.objects.values_list("pk", "detail"))
    assert after == before
    live = Page.objects.filter(live=True, depth__gt=1).count()
    assert PublicDocument.objects.count() == live


def test_rebuild_writes_the_same_postings_and_keeps_the_ranking_index(demo):
    """The rebuild writes postings as plain rows and rebuilds their index at the end: the
    postings, and the index, must be exactly what publishing page by page made."""
    from django.db import connection

    from govportal.api.catalogue import rebuild_index
    from govportal.api.models import SearchBigram, SearchText

    columns = ("document_id", "bigram", "in_title", "is_item", "published")
    before = sorted(SearchBigram.objects.values_list(*columns))
    texts = sorted(SearchText.objects.values_list("pk", "published", "title", "text"))
    assert len(texts) == PublicDocument.objects.filter(is_item=True).count() > 0
    rebuild_index()
    assert sorted(SearchBigram.objects.values_list(*columns)) == before
    assert sorted(SearchText.objects.values_list("pk", "published", "title", "text")) == texts
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, SearchBigram._meta.db_table)
    assert constraints["bigram_rank"]["columns"] == ["bigram", "in_title", "published", "document_id"]


def test_a_failing_precompute_does_not_block_publishing(client, demo, monkeypatch):
    from govportal.api import catalogue

    def broken(page, doc):
        raise OSError("rendition file missing")

    monkeypatch.setattr(catalogue, "render_detail", broken)
    page = NewsPage.objects.live().first()
    page.title = "预计算失败也能发布"
    publish(page)
    assert PublicDocument.objects.get(pk=page.pk).detail is None
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["title"] == "预计算失败也能发布"
