"""The statutory proactive-disclosure list (《政府信息公开条例》 Art. 20) as it stands: for each
kind the bureau must disclose, the columns that publish it, how many items are public there,
when it was last updated, and a warning when a required kind has nothing published."""

from dataclasses import dataclass, field

from django.db.models import Count, Max

from pages.models import StatutoryDisclosureKind

from .models import PublicDocument


@dataclass
class KindStatus:
    kind: StatutoryDisclosureKind
    columns: list = field(default_factory=list)  # [{"id", "title", "html_path", "count", "last_updated"}]

    @property
    def item_count(self):
        return sum(c["count"] for c in self.columns)

    @property
    def last_updated(self):
        dates = [c["last_updated"] for c in self.columns if c["last_updated"]]
        return max(dates) if dates else None

    @property
    def missing(self):
        """A required kind with no public item in any of its columns (an inspection finding)."""
        return self.kind.required and self.item_count == 0


def statutory_status(documents=None):
    """The status of every kind, counted over `documents` (the public catalogue rows)."""
    documents = PublicDocument.objects.all() if documents is None else documents
    kinds = list(StatutoryDisclosureKind.objects.prefetch_related("columns"))
    column_ids = {column.pk for kind in kinds for column in kind.columns.all()}
    stats = {
        row["column_id"]: row
        for row in documents.filter(is_item=True, column_id__in=column_ids)
        .values("column_id")
        .annotate(count=Count("page_id"), last=Max("last_published_at"))
    }
    paths = dict(documents.filter(page_id__in=column_ids).values_list("page_id", "html_path"))
    result = []
    for kind in kinds:
        status = KindStatus(kind)
        for column in kind.columns.all():
            if column.pk not in paths:
                continue  # not public (unpublished or restricted): it publishes nothing
            row = stats.get(column.pk, {})
            status.columns.append(
                {
                    "id": column.pk,
                    "title": column.title,
                    "html_path": paths[column.pk],
                    "count": row.get("count", 0),
                    "last_updated": row.get("last"),
                }
            )
        result.append(status)
    return result
