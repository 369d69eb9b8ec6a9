"""What the public sees of a page type is declared once, on the model (`public_fields`): the
API's detail and listings, the `fields` parameter, the search text and the OpenAPI document
all follow the declaration. Adding a public field is one edit (plus a migration when the model
field is new): here a declaration is extended with fields the model already has, and each
appears everywhere without another change."""

import pytest
from django.apps import apps
from wagtail.models import Page

from govportal.api import fields
from govportal.api.catalogue import index_page
from govportal.api.models import PublicDocument
from govportal.api.schema import build_schema, field_schema
from pages.items import is_item, item_models
from pages.models import ITEM_PAGE_MODELS, BaseItemPage, NewsPage
from pages.public import PublicField, declare

BYLINE = "钟晓岚供稿"


@pytest.fixture
def extended_news(monkeypatch, demo):
    """NewsPage with two more public fields: its byline under a new name (listed, searched) and
    its event date (detail only). The derived tables are forgotten before and after, as a
    restart of the CMS would."""
    declaration = declare(
        NewsPage.public_fields,
        [
            PublicField("byline", source="author_byline", listing=True, search=True),
            PublicField("event_date", "date"),
        ],
    )
    monkeypatch.setattr(NewsPage, "public_fields", declaration)
    fields.reset()
    page = NewsPage.objects.live().order_by("pk").first()
    NewsPage.objects.filter(pk=page.pk).update(author_byline=BYLINE)
    index_page(page.pk)
    yield page
    monkeypatch.undo()
    fields.reset()


def test_a_declared_field_is_served_listed_searched_and_described(client, extended_news):
    page = extended_news
    detail = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert detail["byline"] == BYLINE
    assert detail["event_date"] == (page.event_date.isoformat() if page.event_date else None)

    listing = client.get("/api/v2/pages/", {"type": "pages.NewsPage", "limit": 100}).json()["items"]
    row = next(item for item in listing if item["id"] == page.pk)
    assert row["byline"] == BYLINE and "event_date" not in row
    chosen = client.get("/api/v2/pages/", {"type": "pages.NewsPage", "fields": "_,event_date"})
    assert chosen.status_code == 200
    assert "event_date" in next(item for item in chosen.json()["items"] if item["id"] == page.pk)

    hits = client.get("/api/v2/pages/", {"search": "晓岚"}).json()["items"]
    assert [hit["id"] for hit in hits] == [page.pk]

    properties = client.get("/api/v2/schema/").json()["components"]["schemas"]["Page"]["properties"]
    assert properties["byline"] == {"type": "string"}
    assert properties["event_date"] == {"type": ["string", "null"], "format": "date"}


def test_an_undeclared_field_is_not_public(client, demo):
    page = NewsPage.objects.live().order_by("pk").first()
    NewsPage.objects.filter(pk=page.pk).update(author_byline=BYLINE)
    index_page(page.pk)
    assert client.get("/api/v2/pages/", {"fields": "byline"}).status_code == 400
    assert client.get("/api/v2/pages/", {"search": "晓岚"}).json()["items"] == []
    assert "byline" not in build_schema()["components"]["schemas"]["Page"]["properties"]


def test_a_field_name_means_one_thing_on_every_page_type():
    schemas = {}
    for model in fields.public_models().values():
        for field in model.public_fields:
            schemas.setdefault(field.name, []).append((model.__name__, field_schema(model, field)))
    for name, found in schemas.items():
        assert len({repr(schema) for _, schema in found}) == 1, (name, found)


def test_every_page_type_declares_its_public_fields():
    pages = [m for m in apps.get_models() if issubclass(m, Page) and m is not Page]
    assert pages and all(m._meta.label in fields.public_models() for m in pages)


def test_whether_a_page_is_an_item_is_declared_by_its_type(demo):
    assert set(item_models()) == set(ITEM_PAGE_MODELS)
    for model in fields.public_models().values():
        assert is_item(model) == issubclass(model, BaseItemPage)
    for page in Page.objects.filter(depth__gt=1):  # specific or not, asked the same way
        assert is_item(page) == is_item(page.specific) == issubclass(page.specific_class, BaseItemPage)


def _item_with_an_attachment():
    for model in ITEM_PAGE_MODELS:
        for page in model.objects.live().order_by("pk"):
            if any(block.value and block.value.get("document") for block in page.attachments):
                return page
    raise AssertionError("the demo has no item with an attachment")


def test_attachments_follow_their_declaration_under_another_name(client, demo, monkeypatch):
    """An attachments field is read through its declaration (name and source), for the API and
    for the documents the page makes public, not through an attribute called "attachments"."""
    page = _item_with_an_attachment()
    model = type(page)
    attached = {block.value["document"].pk for block in page.attachments if block.value}
    before = client.get(f"/api/v2/pages/{page.pk}/").json()["attachments"]
    assert before
    renamed = [
        PublicField("files", "attachments", source="attachments") if f.name == "attachments" else f
        for f in model.public_fields
    ]
    monkeypatch.setattr(model, "public_fields", renamed)
    fields.reset()
    try:
        index_page(page.pk)
        detail = client.get(f"/api/v2/pages/{page.pk}/").json()
        assert detail["files"] == before and "attachments" not in detail
        assert attached <= set(PublicDocument.objects.get(pk=page.pk).media["documents"])
        # A field kept but not served shows nothing: its documents are not made public.
        unserved = [f for f in renamed if f.name != "files"]
        unserved.append(PublicField("files", "attachments", source="attachments", served=False))
        monkeypatch.setattr(model, "public_fields", unserved)
        fields.reset()
        index_page(page.pk)
        assert not attached & set(PublicDocument.objects.get(pk=page.pk).media.get("documents", []))
    finally:
        monkeypatch.undo()
        fields.reset()
        index_page(page.pk)
