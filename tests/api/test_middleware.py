"""The public API's reads take a short way through Django (govportal/api/middleware.py): the
same answers as through the whole middleware chain, no session or cookie, the security
headers kept; everything else still passes the whole chain."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from govportal.api.models import PublicDocument

SHORT_WAY = "govportal.api.middleware.PublicApiMiddleware"
SECURITY_HEADERS = (
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def _urls(demo):
    item = PublicDocument.objects.filter(is_item=True).order_by("page_id").first()
    column = demo.columns["gongzuo-dongtai"].pk
    return [
        "/api/v2/",
        "/api/v2/site/",
        "/api/v2/pages/?type=pages.NewsPage&limit=3",
        f"/api/v2/pages/?child_of={column}&offset=1",
        f"/api/v2/pages/{item.page_id}/",
        "/api/v2/pages/999999999/",
        "/api/v2/pages/?search=救助",
        "/api/v2/pages/?nonsense=1",
        f"/api/v2/pages/find/?html_path={item.html_path}",
        "/api/v2/images/",
        "/api/v2/documents/",
        "/api/v2/statutory/",
        "/api/v2/schema/",
    ]


def test_reads_answer_as_the_whole_chain_does(client, demo, settings):
    settings.GOVPORTAL_API_CACHE_ENTRIES = 0
    urls = _urls(demo)
    short = {url: client.get(url) for url in urls}
    settings.MIDDLEWARE = [m for m in django_settings.MIDDLEWARE if m != SHORT_WAY]
    whole = {url: Client().get(url) for url in urls}
    for url in urls:
        a, b = short[url], whole[url]
        assert (a.status_code, a.content) == (b.status_code, b.content), url
        for name in (
            *SECURITY_HEADERS,
            "Content-Type",
            "Content-Length",
            "ETag",
            "Location",
            "Cache-Control",
        ):
            assert a.get(name) == b.get(name), (url, name)


def test_reads_set_no_cookie_and_do_not_vary_on_one(client, demo):
    client.force_login(demo.users["staff_jiuzhu"])
    for url in _urls(demo):
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 404), url
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def test_an_editors_session_changes_nothing(client, demo):
    anonymous = [Client().get(url).content for url in _urls(demo)]
    client.force_login(demo.users["admin"])
    assert [client.get(url).content for url in _urls(demo)] == anonymous


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v2/pages", 301),  # the whole chain appends the slash
        ("get", "/api/v2/no-such-endpoint/", 404),
        ("get", "/admin/", 302),  # the admin still asks for a login
        ("post", "/api/v2/pages/", 405),
        ("delete", "/api/v2/pages/", 405),
    ],
)
def test_everything_else_passes_the_whole_chain(client, demo, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    if status == 301:
        assert response["Location"] == "/api/v2/pages/"
