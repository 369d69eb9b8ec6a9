from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from pages.addresses import is_short, shorten_old_address
from pages.models import ITEM_PAGE_MODELS
from pages.public import live_page_changed


def shorten_all_old_addresses(progress=False):
    """Every item still addressed by its title gets its short address (old path redirected
    permanently) and its public catalogue row follows. Returns how many changed."""
    pages = [
        page
        for model in ITEM_PAGE_MODELS
        for page in model.objects.only("pk", "slug", "url_path", "path", "depth", "first_published_at")
        if not is_short(page.slug)
    ]
    for page in tqdm(pages, disable=not progress, desc="网址"):
        with transaction.atomic():
            shorten_old_address(page)
            live_page_changed.send(sender=type(page), page_id=page.pk)
    return len(pages)


class Command(BaseCommand):
    help = (
        "Give items still addressed by their title their short address (t20261128_1234); old links redirect."
    )

    def handle(self, *args, **options):
        changed = shorten_all_old_addresses(progress=True)
        self.stdout.write(f"已改为短网址的信息：{changed} 条（原网址永久跳转到新网址）")
