"""How fast the submission desk's counts are with many items.

Creates N submission records (default 100,000) spread over departments and two years in a
scratch database, then times `desk_table()` — the query the 信息报送 page runs on each request.

    DATABASE_URL=sqlite:////tmp/desk-bench.sqlite3 .venv/bin/python benchmarks/desk_benchmark.py
    DATABASE_URL=postgres://postgres@127.0.0.1:55440/deskbench .venv/bin/python benchmarks/desk_benchmark.py
"""

import argparse
import datetime
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from tqdm import tqdm
    from wagtail.models import Page

    from moderation.desk import SubmissionRecord, desk_table
    from moderation.models import Department

    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    departments = list(Department.objects.all())
    existing = SubmissionRecord.objects.count()
    missing = args.items - existing
    if missing > 0:
        # Records need pages (one-to-one): bulk-create bare pages below the root with
        # treebeard paths computed here (add_child per page would take an hour).
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Locale

        root = Page.get_first_root_node()
        content_type = ContentType.objects.get_for_model(Page)
        locale = Locale.get_default()
        alphabet = Page.alphabet
        first = root.numchild + 1

        def step(n):
            digits = ""
            for _ in range(Page.steplen):
                n, r = divmod(n, len(alphabet))
                digits = alphabet[r] + digits
            return digits

        rng = random.Random(1)
        now = timezone.now()
        for offset in tqdm(range(0, missing, 2000), desc="报送记录", unit="批"):
            size = min(2000, missing - offset)
            pages = [
                Page(
                    title=f"bench {first + offset + i}",
                    draft_title=f"bench {first + offset + i}",
                    slug=f"bench-{first + offset + i}",
                    path=root.path + step(first + offset + i),
                    depth=2,
                    numchild=0,
                    live=False,
                    content_type=content_type,
                    locale=locale,
                    url_path=f"/bench-{first + offset + i}/",
                )
                for i in range(size)
            ]
            Page.objects.bulk_create(pages)
            pages = Page.objects.filter(path__in=[p.path for p in pages]).only("pk")
            records = []
            for page in pages:
                created = now - datetime.timedelta(hours=rng.randint(0, 24 * 700))
                state = rng.choice(["draft", "in_review", "returned", "published", "published", "published"])
                published = (
                    created + datetime.timedelta(days=rng.randint(1, 30)) if state == "published" else None
                )
                records.append(
                    SubmissionRecord(
                        page_id=page.pk,
                        department=rng.choice(departments),
                        state=state,
                        created_at=created,
                        submitted_at=created + datetime.timedelta(hours=2) if state != "draft" else None,
                        published_at=published,
                        on_time=(rng.random() < 0.9) if published else None,
                    )
                )
            SubmissionRecord.objects.bulk_create(records)
        Page.objects.filter(pk=root.pk).update(numchild=root.numchild + missing)

    total = SubmissionRecord.objects.count()
    desk_table(departments)  # warm up
    timings = []
    for _ in range(args.repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            desk_table(departments)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(f"database: {connection.vendor}; records: {total}; departments: {len(departments)}")
    print(
        f"desk_table(): p50 {timings[len(timings) // 2]:.1f} ms, max {timings[-1]:.1f} ms, "
        f"{len(queries.captured_queries)} SQL queries per request"
    )


if __name__ == "__main__":
    main()
