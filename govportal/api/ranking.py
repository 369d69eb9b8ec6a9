"""Every hit of a general search, ranked (title hits first, then newest, then highest id) and
memoised per content version in the public cache, so each further page of the same search is
a slice. After a publish the memo of an earlier version is patched with the few pages that
changed (pages.models.PublicChange) instead of checking the text of every candidate again:
the first search after a publish costs about as much as a later one."""

import datetime
from array import array

from django.conf import settings

from pages.models import PublicChange

from .cache import MAX_MEMO_IDS, cache_get, cache_key, cache_set

# A memo at most this many versions old is patched; older ones are recomputed.
PATCH_VERSIONS = 50
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


class Ranked:
    """ids in rank order, their first publication (integer microseconds: exact, so ties break
    by id as in SQL), how many of the first are title hits, and the public scope they hold
    for (root and hidden subtrees)."""

    def __init__(self, ids, published, title_hits, fingerprint):
        self.ids, self.published, self.title_hits, self.fingerprint = ids, published, title_hits, fingerprint


class _Version:
    """What cache_key needs of a scope: the version and its timestamp."""

    def __init__(self, version, changed_at):
        self.version, self.changed_at = version, changed_at


def _fingerprint(scope):
    return (scope.root_path, tuple(scope.hidden_prefixes))


def _micros(value):
    return (value - _EPOCH) // _MICROSECOND


def ranked_hits(scope, key, matching):
    """(ids, title hits) of the search `matching()` (a catalogue queryset of the hits,
    annotated with title_match) for the filter `key`."""
    name = cache_key("ranked", scope, repr(key))
    ranked = cache_get(name)
    if ranked is None:
        ranked = _patched(scope, key, matching) or _computed(scope, matching())
        if ranked is not None and len(ranked.ids) <= MAX_MEMO_IDS:
            cache_set(name, ranked)
    return ranked.ids, ranked.title_hits


def _computed(scope, queryset):
    ids, published, title_hits = array("q"), array("q"), 0
    rows = queryset.order_by("-title_match", "-first_published_at", "-page_id").values_list(
        "page_id", "title_match", "first_published_at"
    )
    patchable = True
    # A plain fetch: on PostgreSQL .iterator() would use a server-side cursor, 70% slower here.
    for pk, in_title, first in rows:
        ids.append(pk)
        published.append(_micros(first) if first else 0)
        patchable = patchable and first is not None
        title_hits += bool(in_title)
    return Ranked(ids, published, title_hits, _fingerprint(scope) if patchable else None)


def _patched(scope, key, matching):
    """The memo of an earlier version with the pages changed since re-ranked, or None when
    there is none to patch (or something other than single pages changed)."""
    if getattr(settings, "GOVPORTAL_PUBLIC_SEARCH_BACKEND", ""):
        return None  # an external engine ranks: no partial answer to patch
    changes = list(
        PublicChange.objects.filter(version__lte=scope.version, version__gt=scope.version - PATCH_VERSIONS)
        .order_by("-version")
        .values_list("version", "changed_at", "page_id")
    )
    if not changes or (changes[0][0], changes[0][1]) != (scope.version, scope.changed_at):
        return None
    changed = set()
    for newer, older in zip(changes, changes[1:], strict=False):
        if newer[2] is None or older[0] != newer[0] - 1:
            return None
        changed.add(newer[2])
        earlier = cache_get(cache_key("ranked", _Version(older[0], older[1]), repr(key)))
        if earlier is not None:
            if earlier.fingerprint is None or earlier.fingerprint != _fingerprint(scope):
                return None
            return _apply(earlier, changed, matching().filter(pk__in=changed))
    return None


def _apply(earlier, changed, fresh):
    ids, published, title_hits = array("q", earlier.ids), array("q", earlier.published), earlier.title_hits
    for pk in changed:
        try:
            at = ids.index(pk)
        except ValueError:
            continue
        del ids[at], published[at]
        title_hits -= at < title_hits
    for pk, in_title, first in fresh.values_list("page_id", "title_match", "first_published_at"):
        if first is None:
            return None
        micros = _micros(first)
        at = _position(ids, published, title_hits, bool(in_title), micros, pk)
        ids.insert(at, pk)
        published.insert(at, micros)
        title_hits += bool(in_title)
    return Ranked(ids, published, title_hits, earlier.fingerprint)


def _position(ids, published, title_hits, in_title, micros, pk):
    """Where (micros, pk) goes in its segment (title hits, or the rest), both newest first."""
    low, high = (0, title_hits) if in_title else (title_hits, len(ids))
    while low < high:
        middle = (low + high) // 2
        if (published[middle], ids[middle]) > (micros, pk):
            low = middle + 1
        else:
            high = middle
    return low
