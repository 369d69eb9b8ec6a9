"""Search latency of the public API at scale, response cache off: p50/p90/max of
`GET /api/v2/pages/?search=<word>&limit=20&offset=<o>` through Django's test client (full
request handling, one process, no HTTP server), for one-word and multi-word queries.

    DATABASE_URL=sqlite:////tmp/api100k.sqlite3 .venv/bin/python benchmarks/api_search_bench.py

Queries: two-character words (answered from the ranked postings), longer words and two words
(the general path: intersection of postings + substring check + ranking, done once per query
and content version; "first ms" is that first request, the later pages are slices of it)."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["预算", "救助", "养老", "社会救助", "最低生活保障", "养老 检查", "救助资金"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")
    os.environ["GOVPORTAL_API_CACHE_ENTRIES"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from pages.models import PublicDocument

    settings.DEBUG = False
    client = Client()
    items = PublicDocument.objects.filter(is_item=True).count()
    print(f"database: {connection.vendor}, public items: {items}, load average: {os.getloadavg()}")
    print(f"{'query':14} {'hits':>7} {'first ms':>9} {'p50 ms':>8} {'p90 ms':>8} {'max ms':>8}")
    for query in QUERIES:
        url = f"/api/v2/pages/?search={quote(query)}&limit=20"
        t0 = time.perf_counter()
        first = client.get(url)
        cold = (time.perf_counter() - t0) * 1000
        assert first.status_code == 200, first.content[:200]
        hits = first.json()["meta"]["total_count"]
        times = []
        for i in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(f"{url}&offset={(i % 10) * 20}")
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        p90 = times[int(len(times) * 0.9)]
        print(
            f"{query:14} {hits:7d} {cold:9.1f} {statistics.median(times):8.1f} {p90:8.1f} {times[-1]:8.1f}",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
