"""Every item type's public fields, the Wagtail v2 conventions, the schema, and 400s."""

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from govportal.api.models import PublicDocument
from govportal.api.schema import build_schema
from pages.models import ITEM_PAGE_MODELS

TYPE_FIELDS = {
    "NewsPage": ["source", "is_repost", "source_url", "author_byline"],
    "NoticePage": [
        "notice_kind",
        "event_date",
        "document_number",
        "issuing_authority",
        "written_on",
        "validity",
    ],
    "LeaderProfilePage": ["position", "photo", "resume", "responsibilities"],
    "AppointmentPage": ["document_number", "issuing_authority", "written_on", "validity"],
    "AnnualReportPage": ["year", "document_number", "issuing_authority", "written_on", "validity"],
    "BudgetPage": ["year", "budget_kind", "document_number", "issuing_authority", "written_on", "validity"],
    "PolicyPage": [
        "document_number",
        "issuing_authority",
        "written_on",
        "effective_on",
        "validity",
        "replaced_by",
    ],
    "QuestionPage": ["question", "reply", "replied_on", "asked_at"],
    "QAEntryPage": ["question", "answer"],
    "SurveyPage": ["opens_on", "closes_on", "is_open", "feedback_channel"],
    "ServiceGuidePage": ["elements", "legal_basis", "fees", "phone", "process"],
    "LinkPage": ["url", "link_description"],
}
COMMON = [
    "title",
    "column",
    "department",
    "formed_on",
    "index_number",
    "topic",
    "summary",
    "body",
    "attachments",
]


REGISTRY = Registry().with_resource("urn:api", DRAFT202012.create_resource(build_schema()))


def validator(name):
    return jsonschema.Draft202012Validator({"$ref": f"urn:api#/components/schemas/{name}"}, registry=REGISTRY)


def check(name, data):
    validator(name).validate(data)


@pytest.mark.parametrize("model", ITEM_PAGE_MODELS, ids=lambda m: m.__name__)
def test_every_item_type_detail(client, demo, model):
    page = model.objects.live().first()
    assert page is not None, f"seed_demo has no live {model.__name__}"
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    check("Page", data)
    for field in COMMON + TYPE_FIELDS.get(model.__name__, []):
        assert field in data, field
    assert data["meta"]["first_published_at"]
    assert data["department"]["name"] == page.department.display_name
    assert data["meta"]["html_path"].endswith(f"/{page.slug}/")


def test_attachments_have_name_type_size_url(client, demo):
    doc = PublicDocument.objects.filter(has_media=True, is_item=True, media__has_key="documents").first()
    data = client.get(f"/api/v2/pages/{doc.pk}/").json()
    attachment = data["attachments"][0]
    assert attachment["title"] and attachment["file_type"] and attachment["size"] > 0
    assert attachment["url"].startswith("http")


def test_service_guide_has_ten_elements(client, demo):
    from pages.models import ServiceGuidePage

    page = ServiceGuidePage.objects.live().first()
    elements = client.get(f"/api/v2/pages/{page.pk}/").json()["elements"]
    assert [e["label"] for e in elements][:2] == ["事项名称", "设定依据"] and len(elements) == 10


def test_listing_conventions(client, demo):
    listing = client.get("/api/v2/pages/?limit=5").json()
    check("PageListing", listing)
    assert listing["meta"]["total_count"] > 5 and len(listing["items"]) == 5
    column = demo.columns["gongzuo-dongtai"]
    children = client.get(f"/api/v2/pages/?child_of={column.pk}").json()["items"]
    assert children and all(i["meta"]["parent_id"] == column.pk for i in children)
    dates = [i["meta"]["first_published_at"] for i in children]
    assert dates == sorted(dates, reverse=True)
    policies = client.get("/api/v2/pages/?type=pages.PolicyPage&fields=body,-summary").json()["items"]
    assert policies and "body" in policies[0] and "summary" not in policies[0]
    only = client.get("/api/v2/pages/?type=pages.NewsPage&fields=_,title").json()["items"][0]
    assert set(only) == {"id", "meta", "title"}
    category = client.get(f"/api/v2/pages/{demo.home.pk}/").json()
    assert category["meta"]["type"] == "pages.HomePage"
    descendants = client.get(f"/api/v2/pages/?descendant_of={column.get_parent().pk}&limit=100").json()
    assert descendants["meta"]["total_count"] >= len(children)


def test_filters(client, demo):
    department = demo.departments["社会救助股"]
    items = client.get(f"/api/v2/pages/?department={department.pk}&limit=100").json()["items"]
    assert items and all(i["department"]["id"] == department.pk for i in items)
    column = demo.columns["tongzhi-gonggao"]
    items = client.get(f"/api/v2/pages/?column={column.pk}").json()["items"]
    assert items and all(i["column"]["id"] == column.pk for i in items)
    first = items[0]["meta"]["first_published_at"][:10]
    dated = client.get(f"/api/v2/pages/?date_from={first}&date_to={first}").json()["items"]
    assert items[0]["id"] in [i["id"] for i in dated]
    year = client.get(f"/api/v2/pages/?year={first[:4]}&limit=100").json()["meta"]["total_count"]
    assert year > 0
    in_force = client.get("/api/v2/pages/?validity=in_force").json()["items"]
    assert in_force and all(i["validity"]["value"] == "in_force" for i in in_force)
    topic = client.get("/api/v2/pages/?topic=general").json()["items"]
    assert all(i["topic"]["value"] == "general" for i in topic)


def test_find_by_html_path(client, demo):
    page = PublicDocument.objects.filter(is_item=True).first()
    response = client.get(f"/api/v2/pages/find/?html_path={page.html_path}")
    assert response.status_code == 302 and response["Location"] == f"/api/v2/pages/{page.pk}/"
    assert client.get("/api/v2/pages/find/?html_path=/no/such/").status_code == 404


@pytest.mark.parametrize("path", ["//[x", "//[", "//x:99999999/", "/%00/", "/\t/[x", "/\n/x/", "/\r\n/[x/"])
def test_find_by_a_path_no_url_parser_accepts_is_not_found(client, demo, path):
    # The old-address lookup parses the path as a URL: "//[x" is a host with a broken IPv6
    # literal to urlparse, which raises instead of answering.
    response = client.get("/api/v2/pages/find/", {"html_path": path})
    assert response.status_code == 404 and response.json() == {"message": "页面不存在或未公开。"}


def test_site_endpoint(client, demo):
    site = client.get("/api/v2/site/").json()
    check("Site", site)
    assert site["name"] == "开平市民政局" and len(site["id_code"]) == 10
    titles = [c["title"] for c in site["columns"]]
    assert {"要闻动态", "政务公开", "互动交流", "办事服务", "网站链接"} <= set(titles)
    news = site["columns"][0]["children"][0]
    assert news["node_type"] == "column" and news["kind"] == "news" and news["description"]
    # Each structure page type declares its node type (site_tree_node); the home page is the root.
    seen, stack = set(), list(site["columns"])
    while stack:
        node = stack.pop()
        seen.add(node["node_type"])
        stack += node["children"]
    assert seen == {"category", "section", "column"} and site["home"]["id"] not in {
        n["id"] for n in site["columns"]
    }


def test_schema_is_served(client, demo):
    schema = client.get("/api/v2/schema/").json()
    assert schema["openapi"].startswith("3.") and "/pages/" in schema["paths"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=abc",
        "limit=1000",
        "limit=-1",
        "offset=x",
        "type=pages.Nope",
        "child_of=99999999",
        "child_of=1%20OR%201=1",
        "fields=password",
        "fields=owner",
        "order=random",
        "order=title;DROP",
        "date_from=2026-13-01",
        "year=abcd",
        "department=999999",
        "column=1",
        "topic=<script>",
        "validity=maybe",
        "search=",
        "search=%00",
        "search=%FF%FE",
        "unknown=1",
        "limit=1&limit=2",
        "format=xml",
        "search=" + "预" * 300,
    ],
)
def test_bad_parameters_are_400_json(client, demo, query):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 400, response.content
    check("Error", response.json())


def test_bad_detail_requests(client, demo):
    assert client.get("/api/v2/pages/99999999/").status_code == 404
    assert client.get("/api/v2/pages/abc/").status_code == 404
    assert client.get(f"/api/v2/pages/{demo.home.pk}/?fields=nope").status_code == 400
    assert client.post("/api/v2/pages/").status_code == 405


def test_constant_query_count(client, demo, django_assert_max_num_queries):
    from govportal.api import scope
    from govportal.api.cache import response_cache

    for url in [
        "/api/v2/pages/?limit=1",
        "/api/v2/pages/?limit=100",
        "/api/v2/pages/?type=pages.PolicyPage&limit=100&fields=*",
        "/api/v2/pages/?search=救助&limit=100",
        "/api/v2/site/",
    ]:
        client.get(url)  # warm the per-version scope
        response_cache.clear()
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
    page = PublicDocument.objects.filter(type="pages.AnnualReportPage").first()
    scope.get_scope()
    with django_assert_max_num_queries(14):
        client.get(f"/api/v2/pages/{page.pk}/")


def test_listing_queries_do_not_grow_with_page_size(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govportal.api.cache import response_cache

    for url in (
        "/api/v2/pages/?limit={}",
        "/api/v2/pages/?type=pages.NewsPage&fields=body,attachments&limit={}",
    ):
        counts = []
        for limit in (1, 100, 1, 100):  # the first round warms image renditions
            client.get("/api/v2/site/")
            response_cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                client.get(url.format(limit))
            counts.append(len(ctx.captured_queries))
        assert counts[2] == counts[3], (url, counts)


def test_items_only(client, demo):
    every = client.get(f"/api/v2/pages/?descendant_of={demo.home.pk}&limit=100").json()
    items = client.get(f"/api/v2/pages/?descendant_of={demo.home.pk}&items_only=1&limit=100").json()
    index_types = {"pages.CategoryPage", "pages.SectionPage", "pages.ColumnPage"}
    assert index_types & {i["meta"]["type"] for i in every["items"]}
    assert items["items"] and not index_types & {i["meta"]["type"] for i in items["items"]}
    assert items["meta"]["total_count"] == PublicDocument.objects.filter(is_item=True).count()
    dates = [i["meta"]["first_published_at"] for i in items["items"]]
    assert dates == sorted(dates, reverse=True)
    check("PageListing", items)
    assert client.get("/api/v2/pages/?items_only=true&limit=1").json()["items"][0]["column"]
    everything = client.get("/api/v2/pages/?items_only=0").json()["meta"]["total_count"]
    assert everything == PublicDocument.objects.count()
    bad = client.get("/api/v2/pages/?items_only=yes")
    assert bad.status_code == 400 and "items_only" in bad.json()["message"]
    schema = client.get("/api/v2/schema/").json()
    names = [p["name"] for p in schema["paths"]["/pages/"]["get"]["parameters"]]
    assert "items_only" in names


def test_listing_page_is_one_statement_and_counts_are_memoised(
    client, demo, django_assert_num_queries, settings
):
    """With the response cache off: the version, the count (once per filter and content
    version) and one statement for the page of rows, at any offset and page size."""
    from govportal.api.cache import response_cache
    from govportal.api.scope import get_scope

    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    client.get(f"/api/v2/pages/?child_of={demo.columns['tongzhi-gonggao'].pk}")  # builds the scope
    column = demo.columns["gongzuo-dongtai"].pk
    # On PostgreSQL a statement is prepared once per connection (statements.py), in whichever
    # test asks it first: ask it once, then forget the kept listing and the count memo.
    client.get(f"/api/v2/pages/?child_of={column}&limit=1")
    get_scope().extra.pop("listings", None)
    response_cache.clear()
    with django_assert_num_queries(3):
        first = client.get(f"/api/v2/pages/?child_of={column}&limit=2").json()
    with django_assert_num_queries(2):
        second = client.get(f"/api/v2/pages/?child_of={column}&limit=100&offset=2").json()
    assert (
        first["meta"]["total_count"]
        == second["meta"]["total_count"]
        == len(first["items"]) + len(second["items"])
    )
