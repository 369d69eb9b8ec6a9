"""The static export renders column and catalogue listing pages from the items it has already
read (no API call per listing page): they must be exactly the pages the site serves."""

import httpx
from starlette.testclient import TestClient

from frontend.app import create_app
from frontend.config import Settings
from frontend.export import export_site

from .conftest import run_async
from .fake_api import create_fake_api, item


def test_exported_listings_equal_the_served_ones(tmp_path, cms, settings):
    # Enough items for several pages, with equal publication times (ties ordered like the API).
    for n in range(45):
        cms.items.append(item(5, "pages.NewsPage", f"同一天发布的动态第{n}条", 3, source=""))
    transport = httpx.ASGITransport(app=create_fake_api(cms))
    export_settings = Settings(**{**settings.__dict__, "static_export": True, "cache_ttl": 3600})
    report = run_async(export_site(tmp_path, progress=False, settings=export_settings, transport=transport))
    assert not report.failed
    calls = list(cms.calls)
    assert not [c for c in calls if "offset=20&" in c and "limit=20" in c], "listing pages fetched one by one"

    app = create_app(export_settings, transport=httpx.ASGITransport(app=create_fake_api(cms)))
    listings = sorted(
        p for p in tmp_path.rglob("*.html") if p.name.startswith("index_") or p.parent.name == "xxgk"
    )
    assert any("xxgk" in str(p) for p in listings) and len(listings) >= 4
    with TestClient(app) as client:
        for path in listings:
            url = "/" + str(path.relative_to(tmp_path)).removesuffix("index.html")
            served = client.get(url, headers={"Accept-Encoding": "identity"})
            assert served.status_code == 200, url
            assert served.content == path.read_bytes(), url
