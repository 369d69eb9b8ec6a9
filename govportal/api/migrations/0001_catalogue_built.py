"""The public catalogue is derived data: built with the current code once the content model's
tables are migrated (an existing site's pages get their catalogue rows, search postings and
precomputed detail). Its tables were then the content model's (pages.models.search; govportal.api.models since public_api 0002)."""

from django.db import migrations

from govportal.api.catalogue import rebuild_from_migration


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0015_disclosure_topics_statutory_list_backfill"),
    ]

    operations = [
        migrations.RunPython(rebuild_from_migration, migrations.RunPython.noop),
    ]
