"""Search reads each item's title and text from a narrow table of its own (SearchText) instead
of the ~4 KB catalogue row: the text moves there, rows for items only. The change log that
patched search memos (PublicChange) goes: a search is now counted and paged, not patched."""

import django.db.models.deletion
from django.db import migrations, models

from govportal.api.catalogue import rebuild_from_migration

COPY = (
    "INSERT INTO public_api_searchtext (document_id, published, title, text) "
    "SELECT page_id, first_published_at, title, search_text FROM pages_publicdocument WHERE is_item"
)
COPY_BACK = (
    "UPDATE pages_publicdocument SET search_text = COALESCE("
    "(SELECT text FROM public_api_searchtext WHERE document_id = page_id), '')"
)


def analyze(apps, schema_editor):
    """Statistics for the copied rows at once (PostgreSQL), not when autovacuum comes by: the
    planner's choices for search depend on them."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE public_api_searchtext")


def build_if_never_built(apps, schema_editor):
    """A database whose catalogue was never built (its first migration skipped the rebuild
    while this table was missing) is built now; a copied catalogue is left as it is."""
    if not apps.get_model("public_api", "PublicDocument").objects.exists():
        rebuild_from_migration(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("public_api", "0002_public_catalogue_moves_in"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchText",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="public_api.publicdocument",
                    ),
                ),
                ("published", models.DateTimeField(null=True)),
                ("title", models.CharField(max_length=255)),
                ("text", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "检索文本",
            },
        ),
        migrations.AddIndex(
            model_name="searchtext",
            index=models.Index(fields=["-published", "-document"], name="searchtext_recent"),
        ),
        migrations.RunSQL(COPY, COPY_BACK),
        migrations.RunPython(analyze, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="publicdocument",
            name="search_text",
        ),
        migrations.DeleteModel(
            name="PublicChange",
        ),
        migrations.RunPython(build_if_never_built, migrations.RunPython.noop),
    ]
