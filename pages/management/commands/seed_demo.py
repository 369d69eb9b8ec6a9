import contextlib
import socket
import urllib.parse

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings

from moderation.chain_setup import ensure_chain_workflow
from moderation.demo_chain import quietly
from moderation.seed import seed_organisation
from pages.disclosure_lists import ensure_disclosure_lists
from pages.models import DisclosureTopic, StatutoryDisclosureKind
from pages.seed.builder import seed_home, seed_identity, seed_items, seed_pending, seed_tree
from pages.seed.catalogue import map_statutory_kinds
from pages.seed.generator import generate_items

from .shorten_item_addresses import shorten_all_old_addresses


class Command(BaseCommand):
    help = "Build the demo site: settings, column tree, departments, accounts and items (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=0, help="also generate N items for benchmarks")

    def handle(self, *args, items=0, **options):
        self.stdout.write("构建演示站点 …")
        with quietly(), self._purging_running_front_ends(), transaction.atomic():
            seed_identity()
            users, departments = seed_organisation(self.stdout)
            home = seed_home()
            columns = seed_tree(home, departments)
            # Normally loaded by a migration; a flushed test database has lost them.
            ensure_disclosure_lists(DisclosureTopic, StatutoryDisclosureKind)
            map_statutory_kinds(columns)
            ensure_chain_workflow(home)
            seed_items(columns, departments, self.stdout)
            seed_pending(columns, departments, self.stdout)
            # A demo database from before short addresses gets them (old links redirect).
            shorten_all_old_addresses()
        if items:
            generate_items(items, columns, departments, self.stdout)

        self.stdout.write(self.style.SUCCESS("演示站点已就绪。"))

    def _purging_running_front_ends(self):
        """Tell only the public sites that are running to drop their cache; one that is not
        running has nothing cached and shows the new content when it starts."""
        urls = settings.GOVPORTAL_FRONTEND_PURGE_URLS
        running = [url for url in urls if is_listening(url)]
        for url in urls:
            if url not in running:
                self.stdout.write(f"公众网站 {url} 未运行，无需刷新其缓存；启动后即显示最新内容。")
        if running == urls:
            return contextlib.nullcontext()
        return override_settings(GOVPORTAL_FRONTEND_PURGE_URLS=running)


def is_listening(url, timeout=1.0):
    """Whether something accepts connections at the front end's address (no request sent)."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False
