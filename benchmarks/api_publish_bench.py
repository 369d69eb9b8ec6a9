"""Editing latency with the public index active: what an editor waits for when saving and
publishing one item, on the benchmark database (run it on PostgreSQL at 20,000 items).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/api_publish_bench.py --runs 10

For each run, on a different live NewsPage (wall-clock, each step its own transaction as in
the admin; e-mail off):
  save draft      page.save_revision(user=author) of an edited title/body (no index work)
  submit          moderation.demo_chain.submit(page, author): confidentiality review record,
                  revision, workflow start (step 1)
  steps 1-4       advance(page, 4): four approvals by the chain's approvers (no index work)
  publish step 5  advance(page, 1): the Office operator approves the last step, which publishes
                  the revision -> post_save + page_published -> catalogue row, bigrams,
                  precomputed detail JSON, version bump
  index_page      govportal.api.catalogue.index_page(page_id) alone (the index update of one publish)
  create draft    column.add_child() of a new (not live) item: a page save, no index work
Prints median, p95 and max per step. Changes the database (publishes revisions of existing items)."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")
    from django.db import connection, transaction

    import govportal.wsgi  # noqa: F401 - start as a gunicorn worker does
    from govportal.api.catalogue import index_page
    from govportal.api.models import PublicDocument
    from moderation.demo_chain import advance, author_for, quietly, submit
    from pages.models import NewsPage

    timings = {}

    def timed(name, fn):
        t0 = time.perf_counter()
        with transaction.atomic():
            result = fn()
        timings.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        return result

    pages = list(NewsPage.objects.live().order_by("-pk")[: args.runs])
    print(
        f"database: {connection.vendor}, live items: {PublicDocument.objects.filter(is_item=True).count()},"
        f" load average: {os.getloadavg()}",
        flush=True,
    )
    with quietly():
        for i, page in enumerate(pages):
            author = author_for(page.department)
            page.title = f"{page.title.split('（修改')[0]}（修改{i}）"
            page.body = page.body + f"<p>第{i}次修改：财政预算资金及时足额拨付。</p>"
            timed("save draft", lambda page=page, author=author: page.save_revision(user=author))
            timed("submit", lambda page=page, author=author: submit(page, author))
            timed("steps 1-4", lambda page=page: advance(page, 4))
            timed("publish step 5", lambda page=page: advance(page, 1))
            page.refresh_from_db()
            assert page.title.endswith(f"（修改{i}）") and not page.has_unpublished_changes, page.title
            assert PublicDocument.objects.get(pk=page.pk).title == page.title
            timed("index_page", lambda page=page: index_page(page.pk))
            column = page.get_parent()
            draft = NewsPage(
                title=f"基准测试草稿{i}", department=page.department, body="<p>草稿</p>", live=False
            )
            timed("create draft", lambda column=column, draft=draft: column.add_child(instance=draft))
    print(f"load average after: {os.getloadavg()}")
    print(f"{'step':16} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'runs':>5}")
    for name, values in timings.items():
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"{name:16} {statistics.median(values):10.1f} {p95:8.1f} {values[-1]:8.1f} {len(values):5d}")
    print("publish step 5, in run order (ms):", " ".join(f"{v:.0f}" for v in timings["publish step 5"]))


if __name__ == "__main__":
    main()
