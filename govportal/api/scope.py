"""What is public right now: the site root, the subtrees to hide (view-restricted, or under a
page that is not live), the departments' public names, the columns and the site identity.
Computed once per content version and shared by every request of this process."""

import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction, Site

from moderation.models import Department
from pages.models import ColumnPage, SiteIdentity

from .models import PublicDocument
from .version import current_state


@dataclass
class PublicScope:
    version: int
    changed_at: object
    root_path: str
    hidden_prefixes: list
    departments: dict  # id -> {"id", "name"}
    columns: dict  # id -> {"id", "title", "kind", "html_path"}
    column_departments: dict  # column id -> [department dicts]
    identity: SiteIdentity
    # Every catalogue row is under the root and nothing is hidden: every row is public.
    everything_public: bool = False
    extra: dict = field(default_factory=dict)  # per-version memo (site tree, used media)

    @property
    def key(self):
        # The timestamp too: a version number can repeat after a rolled-back transaction.
        return (self.version, self.changed_at)

    def documents(self):
        """Catalogue rows of every public page."""
        if self.everything_public:
            return PublicDocument.objects.all()
        queryset = PublicDocument.objects.filter(path__startswith=self.root_path)
        for prefix in self.hidden_prefixes:
            queryset = queryset.exclude(path__startswith=prefix)
        return queryset

    def is_public_path(self, path):
        return path.startswith(self.root_path) and not any(path.startswith(p) for p in self.hidden_prefixes)


_lock = threading.Lock()
_current = None


def get_scope():
    """The public scope for the current content version (one query when unchanged)."""
    return get_scope_with(None)[0]


def get_scope_with(companion, *arguments):
    """get_scope() and the values of a one-row companion statement read with the version
    (version.current_state)."""
    global _current
    version, changed_at, row = current_state(companion, *arguments)
    scope = _current
    if scope is None or (scope.version, scope.changed_at) != (version, changed_at):
        scope = _build_scope(version, changed_at)
        with _lock:
            _current = scope
    return scope, row


def _build_scope(version, changed_at):
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root_path = site.root_page.path if site else Page.get_first_root_node().path
    hidden = set(PageViewRestriction.objects.values_list("page__path", flat=True))
    hidden |= set(
        Page.objects.filter(path__startswith=root_path, live=False)
        .filter(~Q(numchild=0))
        .values_list("path", flat=True)
    )
    # Keep only the outermost prefixes.
    prefixes = []
    for path in sorted(hidden):
        if not any(path.startswith(p) for p in prefixes):
            prefixes.append(path)
    departments = {
        d.pk: {"id": d.pk, "name": d.display_name} for d in Department.objects.order_by("sort_order", "name")
    }
    columns = {}
    column_departments = {}
    docs = {
        d.pk: d
        for d in PublicDocument.objects.filter(type=ColumnPage._meta.label).only("page_id", "html_path")
    }
    for column in ColumnPage.objects.prefetch_related("departments").order_by("path"):
        doc = docs.get(column.pk)
        columns[column.pk] = {
            "id": column.pk,
            "title": column.title,
            "kind": column.kind,
            "html_path": doc.html_path if doc else None,
        }
        column_departments[column.pk] = [departments[d.pk] for d in column.departments.all()]
    outside_root = PublicDocument.objects.exclude(path__startswith=root_path).exists()
    return PublicScope(
        everything_public=not prefixes and not outside_root,
        version=version,
        changed_at=changed_at,
        root_path=root_path,
        hidden_prefixes=prefixes,
        departments=departments,
        columns=columns,
        column_departments=column_departments,
        identity=SiteIdentity.load(),
    )


def public_url(path):
    return getattr(settings, "GOVPORTAL_PUBLIC_BASE_URL", "") + path


def media_base():
    return getattr(settings, "GOVPORTAL_API_MEDIA_BASE_URL", settings.WAGTAILADMIN_BASE_URL).rstrip("/")
