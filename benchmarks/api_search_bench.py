"""Search latency of the public API at scale, response cache off, through Django's test client
(full request handling, one process, no HTTP server), for one-word and multi-word queries:

    DATABASE_URL=postgres://…/gp100k .venv/bin/python benchmarks/api_search_bench.py --runs 20 --publishes 5

  cold ms      the first request of a query ever (nothing memoised: for a long word or two
               words whose bigrams are all common every text is checked and the hits counted)
  p50/p95/max  `--runs` requests at rotating offsets (`&limit=20&offset=<o>`)
  after publish p50/max  the first request of the query after each of `--publishes` publishes
               (an edit of a live news item through the whole chain, which bumps the content
               version: nothing memoised at the previous version is used, so each is a
               never-asked request again, govportal/api/search.py)
  deep         one request at offset 2000 after the cold one (a long walk or a whole ranking)
Last lines: p95 over every request, cold and deep ones included, and without them.
Changes the database (publishes edits)."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
# Two-character words (answered from the postings), long words and two-word queries whose
# bigrams are all common (every text checked), a number in a few titles whose digit pairs are
# common, a single character (no bigram at all), a query with a department filter.
QUERIES = [
    "预算",
    "救助",
    "养老",
    "社会救助",
    "最低生活保障",
    "养老 检查",
    "救助资金",
    "48267",
    "镇",
    "水口镇 救助资金",
]
FILTERED = "社会救助"  # also asked with &department=<the department with most items>
WARM_UP_QUERY = "婚姻"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--publishes", type=int, default=5)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")
    os.environ["GOVPORTAL_API_CACHE_ENTRIES"] = "0"
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    import govportal.wsgi  # noqa: F401 - start as a gunicorn worker does
    from govportal.api.models import PublicDocument

    settings.DEBUG = False
    client = Client()
    items = PublicDocument.objects.filter(is_item=True).count()
    print(f"database: {connection.vendor}, public items: {items}, load average: {os.getloadavg()}")
    # The process's own first request (connections, URL resolver, the content version) is not
    # any search's cost: one listing and one search of a word outside QUERIES first.
    timed(client, "/api/v2/pages/?limit=20")
    timed(client, f"/api/v2/pages/?search={quote(WARM_UP_QUERY)}&limit=20")
    department = (
        PublicDocument.objects.filter(is_item=True)
        .values("department_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("department_id", flat=True)
        .first()
    )
    searches = {query: f"/api/v2/pages/?search={quote(query)}&limit=20" for query in QUERIES}
    searches[f"{FILTERED} +dept"] = (
        f"/api/v2/pages/?search={quote(FILTERED)}&department={department}&limit=20"
    )
    rows = {}
    for name, url in searches.items():
        cold, first = timed(client, url)
        deep = timed(client, f"{url}&offset=2000")[0]
        times = sorted(timed(client, f"{url}&offset={(i % 10) * 20}")[0] for i in range(args.runs))
        rows[name] = {"hits": first.json()["meta"]["total_count"], "cold": cold, "deep": deep, "pages": times}
        rows[name]["after"] = []
    for round_ in range(args.publishes):
        publish_an_edit(round_)
        for name, url in searches.items():
            rows[name]["after"].append(timed(client, url)[0])
    print(
        f"{'query':16} {'hits':>7} {'cold ms':>8} {'deep ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
        f" {'after publish p50':>18} {'max':>6}"
    )
    warm, every = [], []
    for name, row in rows.items():
        pages, after = row["pages"], sorted(row["after"])
        warm += pages + after
        every += [*pages, *after, row["cold"], row["deep"]]
        print(
            f"{name:16} {row['hits']:7d} {row['cold']:8.1f} {row['deep']:8.1f} {statistics.median(pages):7.1f}"
            f" {pages[int(len(pages) * 0.95)]:7.1f} {pages[-1]:7.1f}"
            f" {statistics.median(after) if after else 0:18.1f} {after[-1] if after else 0:6.1f}",
            flush=True,
        )
    warm.sort()
    every.sort()
    print(f"p95 of all {len(every)} requests, cold and deep included: {every[int(len(every) * 0.95)]:.1f} ms")
    print(f"p95 of the {len(warm)} requests but the cold and deep ones: {warm[int(len(warm) * 0.95)]:.1f} ms")
    print(f"load average after: {os.getloadavg()}")


def timed(client, url):
    t0 = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - t0) * 1000
    assert response.status_code == 200, response.content[:200]
    return elapsed, response


def publish_an_edit(round_):
    """Edit one live news item and publish it through the whole chain."""
    from moderation.demo_chain import advance, author_for, quietly, submit
    from pages.models import NewsPage

    page = NewsPage.objects.live().order_by("-pk")[round_]
    page.title = f"{page.title.split('（第')[0]}（第{round_}次修改）"
    with quietly():
        page.save_revision(user=author_for(page.department))
        submit(page, author_for(page.department))
        advance(page, 5)


if __name__ == "__main__":
    main()
