"""How fast the reports answer with many items, and whether their SQL query count stays constant.

Adds bare pages with submission records (default 100,000, spread over two years, published ones
live) and a year of chain step records (5 per published item), then times each report's
function and counts its SQL queries. Run it twice with different --items to see the query
counts stay the same.

    DATABASE_URL=postgres://postgres@127.0.0.1:54412/reportsbench \\
        .venv/bin/python benchmarks/reports_benchmark.py --items 100000
"""

import argparse
import datetime
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The dev settings without DEBUG (templates and queries as in production).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.api_bench_settings")

BATCH = 2000


def add_records(missing, departments, columns):
    """Bulk-create bare pages (treebeard paths computed here) with their records and steps."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from tqdm import tqdm
    from wagtail.models import Locale, Page

    from moderation.desk import StepRecord, SubmissionRecord

    root = Page.get_first_root_node()
    content_type = ContentType.objects.get_for_model(Page)
    locale = Locale.get_default()
    first = root.numchild + 1

    def step(n):
        digits = ""
        for _ in range(Page.steplen):
            n, r = divmod(n, len(Page.alphabet))
            digits = Page.alphabet[r] + digits
        return digits

    rng = random.Random(12)
    now = timezone.now()
    for offset in tqdm(range(0, missing, BATCH), desc="报送记录", unit="批"):
        size = min(BATCH, missing - offset)
        drafts = []
        for i in range(size):
            number = first + offset + i
            created = now - datetime.timedelta(hours=rng.randint(0, 24 * 700))
            state = rng.choice(
                ["draft", "in_review", "returned", "published", "published", "published", "unpublished"]
            )
            published = (
                created + datetime.timedelta(days=rng.randint(1, 30))
                if state in ("published", "unpublished")
                else None
            )
            drafts.append((number, created, state, published))
        pages = Page.objects.bulk_create(
            Page(
                title=f"bench {n}",
                draft_title=f"bench {n}",
                slug=f"bench-{n}",
                path=root.path + step(n),
                depth=2,
                numchild=0,
                live=state == "published",
                first_published_at=published,
                content_type=content_type,
                locale=locale,
                url_path=f"/bench-{n}/",
            )
            for n, _, state, published in drafts
        )
        ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk"))
        records, steps = [], []
        for page, (_, created, state, published) in zip(pages, drafts, strict=True):
            department = rng.choice(departments)
            records.append(
                SubmissionRecord(
                    page_id=ids[page.path],
                    department=department,
                    column=rng.choice(columns),
                    state=state,
                    created_at=created,
                    submitted_at=created + datetime.timedelta(hours=2) if state != "draft" else None,
                    published_at=published,
                    on_time=(rng.random() < 0.9) if published else None,
                )
            )
            if published:
                started = created + datetime.timedelta(hours=2)
                for number in range(1, 6):
                    finished = started + datetime.timedelta(hours=rng.randint(1, 60))
                    steps.append(
                        StepRecord(
                            department=department,
                            step=number,
                            outcome="rejected" if rng.random() < 0.05 else "approved",
                            started_at=started,
                            finished_at=finished,
                            working_days=(finished.date() - started.date()).days,
                        )
                    )
                    started = finished
        SubmissionRecord.objects.bulk_create(records)
        StepRecord.objects.bulk_create(steps)
    Page.objects.filter(pk=root.pk).update(numchild=root.numchild + missing)


def measure(name, function, repeat):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    function()  # warm up
    timings = []
    for _ in range(repeat):
        reset_queries()  # the query log is bounded: start each run from an empty one
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(
        f"{name:<34} p50 {timings[len(timings) // 2]:7.1f} ms   max {timings[-1]:7.1f} ms   "
        f"{len(queries.captured_queries)} queries"
    )


def main():
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from moderation.desk import StepRecord, SubmissionRecord
    from moderation.models import Department
    from pages.models import ColumnPage
    from reports.annual import annual_figures
    from reports.assessment import assess, monthly_chart_svg
    from reports.freshness import column_freshness, home_freshness
    from reports.periods import custom_period, month_period, year_period
    from reports.statistics import department_statistics

    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    departments = list(Department.objects.all())
    columns = list(ColumnPage.objects.all())
    missing = args.items - SubmissionRecord.objects.count()
    if missing > 0:
        add_records(missing, departments, columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    today = timezone.localdate()
    this_year = year_period(today.year, today)
    last_year = year_period(today.year - 1, today)
    print(
        f"database: {connection.vendor}; records: {SubmissionRecord.objects.count()}; "
        f"step records: {StepRecord.objects.count()}; departments: {len(departments)}"
    )
    measure(
        "statistics, this month", lambda: department_statistics(month_period(today), departments), args.repeat
    )
    measure("statistics, last year", lambda: department_statistics(last_year, departments), args.repeat)
    measure(
        "statistics, custom 2 years",
        lambda: department_statistics(custom_period(today.replace(year=today.year - 2), today), departments),
        args.repeat,
    )
    measure(
        "assessment + chart, last year",
        lambda: monthly_chart_svg(assess(last_year, departments), last_year.first.year),
        args.repeat,
    )
    measure(
        "freshness, all columns + home", lambda: home_freshness(today, column_freshness(today)), args.repeat
    )
    measure("annual-report figures, this year", lambda: annual_figures(this_year), args.repeat)

    # The screens themselves, through the admin as the Office operator sees them (rendering,
    # session and permission queries included).
    client = Client(HTTP_HOST="127.0.0.1")
    operator = get_user_model().objects.get(username="operator")
    get_user_model().objects.filter(pk=operator.pk).update(must_change_password=False)
    client.force_login(operator)
    year = today.year - 1
    for name, url in [
        ("GET 信息报送 (baseline: the desk)", "/admin/desk/"),
        ("GET 报送统计 (this month)", "/admin/reports/statistics/"),
        ("GET 报送统计 (last year)", f"/admin/reports/statistics/?period=year&year={year}"),
        ("GET 报送统计 xlsx (last year)", f"/admin/reports/statistics/?period=year&year={year}&export=xlsx"),
        ("GET 年底总评 (last year)", f"/admin/reports/assessment/?year={year}"),
        ("GET 年底总评 xlsx", f"/admin/reports/assessment/?year={year}&export=xlsx"),
        ("GET 年底总评 print", f"/admin/reports/assessment/print/?year={year}"),
        ("GET 栏目更新监测", "/admin/reports/freshness/"),
        ("GET 年报数据", f"/admin/reports/annual/?year={today.year}"),
        ("GET 链接检查", "/admin/reports/links/"),
    ]:
        measure(name, lambda url=url: _get(client, url), args.repeat)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)


if __name__ == "__main__":
    main()
