"""The Office's starting lists (pages.disclosure_lists; the topic codes keep those items already
carry). Existing documents get 成文日期 = 信息形成日期
and the site organiser as 发布机构; the public catalogue is rebuilt."""

from django.db import migrations
from django.db.models import F

from pages.disclosure_lists import ensure_disclosure_lists

DOCUMENT_MODELS = ["NoticePage", "AnnualReportPage", "BudgetPage", "DisclosurePage", "AppointmentPage"]


def create_lists(apps, schema_editor):
    ensure_disclosure_lists(
        apps.get_model("pages", "DisclosureTopic"), apps.get_model("pages", "StatutoryDisclosureKind")
    )


def backfill_documents(apps, schema_editor):
    Identity = apps.get_model("pages", "SiteIdentity")
    identity = Identity.objects.first()
    organiser = identity.organiser if identity else ""
    for name in DOCUMENT_MODELS:
        model = apps.get_model("pages", name)
        model.objects.filter(written_on__isnull=True).update(written_on=F("formed_on"))
        if organiser:
            model.objects.filter(issuing_authority="").update(issuing_authority=organiser)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0014_catalogue_metadata_topics_reposts_columns"),
    ]

    operations = [
        migrations.RunPython(create_lists, migrations.RunPython.noop),
        migrations.RunPython(backfill_documents, migrations.RunPython.noop),
    ]
