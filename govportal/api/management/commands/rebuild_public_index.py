"""`manage.py rebuild_public_index`: rebuild the public API's catalogue, search index and
precomputed detail JSON from the live pages (govportal.api.catalogue.rebuild_index), with a progress bar.
Run it after a bulk import, after changing GOVPORTAL_API_MEDIA_BASE_URL, or to repair."""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from govportal.api.catalogue import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the public catalogue, its Chinese search index and the precomputed detail JSON."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="pages per batch (default 500)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, batch_size=500, no_progress=False, **options):
        started = time.monotonic()
        bar = None

        def on_progress(done, total):
            nonlocal bar
            if no_progress:
                return
            if bar is None:
                bar = tqdm(total=total, desc="重建公开目录", unit="页", file=self.stderr._out)
            bar.update(done - bar.n)

        try:
            count = rebuild_index(on_progress=on_progress, batch_size=max(1, batch_size))
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(f"已重建公开目录：{count} 个页面，用时 {time.monotonic() - started:.1f} 秒。")
        )
