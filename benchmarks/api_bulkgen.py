"""Fast benchmark data: N live item pages in the news, notices, disclosure and policy columns,
inserted in bulk (treebeard paths computed here, one INSERT per table per chunk, no signals, no
revisions), then one `rebuild_index()` for the public catalogue, search index and precomputed
detail JSON. Same content generator as `seed_demo --items N` (pages.seed.generator), about
50x faster. Run after `migrate` and `seed_demo` on the target database:

    DATABASE_URL=sqlite:////tmp/bench100k.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench100k.sqlite3 .venv/bin/python manage.py seed_demo
    DATABASE_URL=sqlite:////tmp/bench100k.sqlite3 .venv/bin/python benchmarks/api_bulkgen.py --items 100000

Adds N more items each run (like `seed_demo --items N`). Prints progress and timings."""

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-rebuild", action="store_true", help="skip rebuild_index()")
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from tqdm import tqdm
    from wagtail.models import Page

    from govportal.api.catalogue import rebuild_index
    from moderation.models import Department
    from pages.models import ColumnPage, NoticePage, PolicyPage
    from pages.seed.generator import KIND_TO_CLASS, PHRASES, TOWNS, _text

    rng = random.Random(args.seed)
    columns = list(ColumnPage.objects.filter(kind__in=list(KIND_TO_CLASS)).order_by("path"))
    if not columns:
        raise SystemExit("no columns: run `manage.py seed_demo` first")
    departments = list(Department.objects.all())
    next_step = {}
    for column in columns:
        last = (
            Page.objects.filter(path__startswith=column.path, depth=column.depth + 1)
            .order_by("-path")
            .first()
        )
        next_step[column.pk] = (Page._str2int(last.path[-Page.steplen :]) + 1) if last else 1
    content_types = {cls: ContentType.objects.get_for_model(cls) for cls in KIND_TO_CLASS.values()}
    now = timezone.now()
    run = uuid.uuid4().hex[:6]
    started = time.monotonic()
    added = {c.pk: 0 for c in columns}

    with tqdm(total=args.items, desc="bulk items", unit="item") as bar:
        for chunk_start in range(0, args.items, args.chunk):
            count = min(args.chunk, args.items - chunk_start)
            by_class = {}
            for i in range(chunk_start, chunk_start + count):
                column = columns[i % len(columns)]
                cls = KIND_TO_CLASS[column.kind]
                published = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
                step = next_step[column.pk]
                next_step[column.pk] += 1
                added[column.pk] += 1
                slug = f"bench-{run}-{i + 1}"
                title = f"{rng.choice(TOWNS)}{rng.choice(PHRASES)}（{i + 1}）"
                base = Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_types[cls],
                    path=Page._get_path(column.path, column.depth + 1, step),
                    depth=column.depth + 1,
                    numchild=0,
                    url_path=f"{column.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    latest_revision_created_at=published,
                    locale_id=column.locale_id,
                    translation_key=uuid.uuid4(),
                )
                extra = {}
                if cls is NoticePage:
                    extra = dict(notice_kind="result", event_date=published.date())
                elif cls is PolicyPage:
                    extra = dict(
                        issuing_authority="开平市民政局",
                        written_on=published.date(),
                        document_number=f"开民〔{published.year}〕{i % 200 + 1}号",
                    )
                specific = dict(
                    department_id=rng.choice(departments).pk,
                    formed_on=published.date(),
                    index_number=f"BENCH-{run}-{i + 1:07d}",
                    body="".join(f"<p>{_text(rng, 4)}</p>" for _ in range(3)),
                    **extra,
                )
                by_class.setdefault(cls, []).append((base, specific))
            with transaction.atomic():
                for cls, rows in by_class.items():
                    bases = Page.objects.bulk_create([b for b, _ in rows])
                    children = []
                    for base, fields in rows:
                        child = cls(page_ptr_id=base.pk, **fields)
                        children.append(child)
                    cls._base_manager._insert(children, fields=cls._meta.local_concrete_fields)
                    assert all(b.pk for b in bases)
            bar.update(count)
    with transaction.atomic():
        for column_id, n in added.items():
            Page.objects.filter(pk=column_id).update(numchild=F("numchild") + n)
    inserted = time.monotonic() - started
    print(f"inserted {args.items} items in {inserted:.1f} s", flush=True)
    if not args.no_rebuild:
        t0 = time.monotonic()
        with tqdm(desc="rebuild_index", unit="page") as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            total = rebuild_index(on_progress=progress)
        print(f"rebuild_index: {total} pages in {time.monotonic() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()
