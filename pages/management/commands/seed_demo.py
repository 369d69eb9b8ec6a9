from django.core.management.base import BaseCommand
from django.db import transaction

from moderation.chain_setup import ensure_chain_workflow
from moderation.demo_chain import quietly
from moderation.seed import seed_organisation
from pages.seed.builder import seed_home, seed_identity, seed_items, seed_pending, seed_tree
from pages.seed.generator import generate_items


class Command(BaseCommand):
    help = "Build the demo site: settings, column tree, departments, accounts and items (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=0, help="also generate N items for benchmarks")

    def handle(self, *args, items=0, **options):
        self.stdout.write("构建演示站点 …")
        with quietly(), transaction.atomic():
            seed_identity()
            users, departments = seed_organisation(self.stdout)
            home = seed_home()
            columns = seed_tree(home, departments)
            ensure_chain_workflow(home)
            seed_items(columns, departments, self.stdout)
            seed_pending(columns, departments, self.stdout)
        if items:
            generate_items(items, columns, departments, self.stdout)

        self.stdout.write(self.style.SUCCESS("演示站点已就绪。"))
