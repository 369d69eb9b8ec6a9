"""The public catalogue's models join the public part from the content model (pages 0016):
state only, on the tables they already have (`pages_…`), so no row moves and nothing is
rebuilt. Their content types follow them, so what refers to those stays valid."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("publicdocument", "searchbigram", "publicindexstate", "publicchange")


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "pages", "public_api")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "public_api", "pages")


class Migration(migrations.Migration):
    dependencies = [
        ("public_api", "0001_catalogue_built"),
        ("pages", "0016_public_catalogue_moves_out"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PublicChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.BigIntegerField(db_index=True)),
                        ("changed_at", models.DateTimeField()),
                        ("page_id", models.IntegerField(null=True)),
                    ],
                    options={
                        "verbose_name": "公开内容变更",
                        "db_table": "pages_publicchange",
                    },
                ),
                migrations.CreateModel(
                    name="PublicIndexState",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.BigIntegerField(default=0)),
                        ("changed_at", models.DateTimeField()),
                    ],
                    options={
                        "verbose_name": "公开内容版本",
                        "db_table": "pages_publicindexstate",
                    },
                ),
                migrations.CreateModel(
                    name="PublicDocument",
                    fields=[
                        (
                            "page",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="public_document",
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        ("type", models.CharField(max_length=60)),
                        ("is_item", models.BooleanField(default=False)),
                        ("path", models.CharField(db_index=True, max_length=255)),
                        ("parent_id", models.IntegerField(null=True)),
                        ("column_id", models.IntegerField(null=True)),
                        ("department_id", models.IntegerField(null=True)),
                        ("topic", models.CharField(blank=True, db_index=True, max_length=20)),
                        ("validity", models.CharField(blank=True, db_index=True, max_length=12)),
                        ("in_catalogue", models.BooleanField(default=False)),
                        ("formed_on", models.DateField(null=True)),
                        ("first_published_at", models.DateTimeField(db_index=True, null=True)),
                        ("last_published_at", models.DateTimeField(null=True)),
                        ("published_on", models.DateField(db_index=True, null=True)),
                        ("title", models.CharField(max_length=255)),
                        ("html_path", models.CharField(db_index=True, max_length=512)),
                        ("search_text", models.TextField(blank=True)),
                        ("listing", models.JSONField(default=dict)),
                        ("media", models.JSONField(default=dict)),
                        ("has_media", models.BooleanField(db_index=True, default=False)),
                        ("detail", models.JSONField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "公开信息目录",
                        "db_table": "pages_publicdocument",
                        "indexes": [
                            models.Index(
                                fields=["is_item", "-first_published_at", "-page_id"],
                                name="pubdoc_item_recent",
                            ),
                            models.Index(
                                fields=["column_id", "-first_published_at", "-page_id"],
                                name="pubdoc_column_recent",
                            ),
                            models.Index(
                                fields=["type", "-first_published_at", "-page_id"], name="pubdoc_type_recent"
                            ),
                            models.Index(
                                fields=["in_catalogue", "-first_published_at", "-page_id"],
                                name="pubdoc_catalogue_recent",
                            ),
                            models.Index(
                                fields=["department_id", "-first_published_at", "-page_id"],
                                name="pubdoc_department_recent",
                            ),
                            models.Index(
                                fields=["parent_id", "path"], include=("page_id",), name="pubdoc_parent_path"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SearchBigram",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("bigram", models.CharField(max_length=2)),
                        ("is_item", models.BooleanField(default=False)),
                        ("in_title", models.BooleanField(default=False)),
                        ("published", models.DateTimeField(null=True)),
                        (
                            "document",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="bigrams",
                                to="public_api.publicdocument",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "检索二元组",
                        "db_table": "pages_searchbigram",
                        "indexes": [
                            models.Index(
                                fields=["bigram", "in_title", "published", "document"], name="bigram_rank"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
