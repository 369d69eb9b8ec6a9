"""Searching the public catalogue, and the one ranking every search answer follows: pages
whose title holds every term first, then newest first, then highest id (rank_order).

Candidates come from the bigram index (govportal.api.catalogue) and are checked on the text
(or come from a Wagtail backend with a Chinese analyzer: GOVPORTAL_PUBLIC_SEARCH_BACKEND).
Every hit of a general search is ranked and memoised per content version in the public cache,
so each further page of the same search is a slice. After a publish the memo of an earlier
version is patched with the few pages that changed (pages.models.PublicChange) instead of
checking the text of every candidate again: the first search after a publish costs about as
much as a later one."""

import datetime
import html
import re
from array import array

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, Value, When
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .cache import MAX_MEMO_IDS, cache_get, cache_key, cache_set
from .catalogue import bigrams_of, normalise, query_terms
from .models import PublicChange, SearchBigram

SNIPPET_RADIUS = 40
EXTERNAL_SEARCH_MAX = 1000


def rank_order(title_hit, published, pk):
    """The ranking as an ORDER BY over the columns of a table of hits (the catalogue's
    title_match/first_published_at/page_id, the postings' in_title/published/document_id)."""
    return (F(title_hit).desc(), F(published).desc(), F(pk).desc())


def _title_match(queryset, terms):
    """Annotate `title_match`: 1 when every term is in the title."""
    in_title = Q()
    for term in terms:
        in_title &= Q(**{f"title__{_contains(term)}": term})
    return queryset.annotate(
        title_match=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _contains(term):
    """The lookup that finds `term` in a text. A term without upper or lower case (Chinese
    characters, digits: nearly every search here) is found as it is; only a term with letters
    needs the case-insensitive lookup, which upper-cases every text it reads (on PostgreSQL
    twice the time of the plain one over 60,000 texts)."""
    return "contains" if term.upper() == term == term.lower() else "icontains"


def search_queryset(queryset, query):
    """Filter a PublicDocument queryset to rows containing every term of the query, annotated
    with `title_match` (1 when every term is in the title) for ranking. Returns (qs, terms)."""
    terms = query_terms(query)
    if not terms:
        return queryset.none(), terms
    if getattr(settings, "GOVPORTAL_PUBLIC_SEARCH_BACKEND", ""):
        return _external_search(queryset, query, terms)
    grams = set()
    for term in terms:
        grams |= bigrams_of(term) if len(term) > 1 else set()
    driver = rarest_bigram(grams)
    if driver:
        # Candidates: the documents of one index range (the rarest bigram); every other term
        # is checked on the text. Cheaper than intersecting every bigram's postings, which
        # groups all of them (three times slower for a four-character word at 100,000 items).
        queryset = queryset.filter(pk__in=SearchBigram.objects.filter(bigram=driver).values("document_id"))
    for term in terms:
        # A two-character term is in a text exactly when its bigram is (both are word
        # characters, so they stand in one run): the index alone decides the driver's term.
        # Other terms are checked on the text (a longer word's bigrams may stand apart; one
        # character is not indexed as a bigram).
        if term != driver:
            lookup = _contains(term)
            queryset = queryset.filter(
                Q(**{f"title__{lookup}": term}) | Q(**{f"search_text__{lookup}": term})
            )
    return _title_match(queryset, terms), terms


RAREST_COUNT_CAP = 5000


def rarest_bigram(grams):
    """The bigram with the fewest postings, or None. Counts are capped (an index-only count
    that stops at RAREST_COUNT_CAP entries): past that, which bigram drives matters little."""
    if len(grams) <= 1:
        return next(iter(grams), None)
    counts = {g: SearchBigram.objects.filter(bigram=g)[:RAREST_COUNT_CAP].count() for g in sorted(grams)}
    return min(sorted(grams), key=counts.__getitem__)


def single_bigram(query):
    """The bigram of a query whose every term is the same two-character word (the common
    case: 预算, 低保, 救助), else None. Such a search is answered from the postings alone."""
    terms = query_terms(query)
    if terms and len(set(terms)) == 1 and len(terms[0]) == 2 and not _external_backend():
        return terms[0]
    return None


def ranked_postings(bigram):
    """Postings of public items containing `bigram`, in rank order, read from one index range."""
    return SearchBigram.objects.filter(bigram=bigram).order_by(
        *rank_order("in_title", "published", "document_id")
    )


def _external_backend():
    return getattr(settings, "GOVPORTAL_PUBLIC_SEARCH_BACKEND", "")


def _external_search(queryset, query, terms):
    """Search with a Wagtail backend (OpenSearch/Elasticsearch with a Chinese analyzer); the
    catalogue still decides what is public; ranked like the built-in search (title hits
    first, then newest)."""
    backend = get_search_backend(settings.GOVPORTAL_PUBLIC_SEARCH_BACKEND)
    ids = [p.pk for p in backend.search(query, Page.objects.live())[:EXTERNAL_SEARCH_MAX]]
    return _title_match(queryset.filter(pk__in=ids), terms), terms


def highlight(text, terms):
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(title, text, terms):
    """A short passage around the first hit in the text, with every hit in <mark>."""
    lowered = normalise(text)
    positions = [lowered.find(t) for t in terms if lowered.find(t) >= 0]
    if not positions:
        passage = text[: SNIPPET_RADIUS * 2]
        prefix, suffix = "", "…" if len(text) > len(passage) else ""
    else:
        start = max(0, min(positions) - SNIPPET_RADIUS)
        end = min(len(text), min(positions) + SNIPPET_RADIUS * 2)
        passage = text[start:end]
        prefix, suffix = ("…" if start else ""), ("…" if end < len(text) else "")
    passage = " ".join(passage.split())
    return prefix + highlight(passage, terms) + suffix


# --- the ranked hits of a general search, memoised ------------------------------------------

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
    ordered = queryset.order_by(*rank_order("title_match", "first_published_at", "page_id"))
    if connections[ordered.db].vendor == "postgresql":
        ids, published, title_hits, patchable = _ranked_on_postgresql(ordered)
    else:
        ids, published, title_hits, patchable = _ranked_rows(ordered)
    return Ranked(ids, published, title_hits, _fingerprint(scope) if patchable else None)


def _ranked_rows(ordered):
    ids, published, title_hits, patchable = array("q"), array("q"), 0, True
    # A plain fetch: on PostgreSQL .iterator() would use a server-side cursor, 70% slower here.
    for pk, in_title, first in ordered.values_list("page_id", "title_match", "first_published_at"):
        ids.append(pk)
        published.append(_micros(first) if first else 0)
        patchable = patchable and first is not None
        title_hits += bool(in_title)
    return ids, published, title_hits, patchable


def _ranked_on_postgresql(ordered):
    """The same, with each publication time turned into integer microseconds by PostgreSQL and
    the rows read without Django's per-value conversion: for 60,000 hits 300 ms instead of
    500 ms (extract() is exact numeric since PostgreSQL 14)."""
    try:
        inner, params = (
            ordered.order_by().values("page_id", "title_match", "first_published_at").query.sql_with_params()
        )
    except EmptyResultSet:  # a filter no row can match (an external engine that found nothing)
        return array("q"), array("q"), 0, True
    sql = (
        "SELECT q.page_id, floor(extract(epoch FROM q.first_published_at) * 1000000)::bigint,"
        f" q.title_match FROM ({inner}) q"
        # rank_order, as Django writes it for PostgreSQL
        " ORDER BY q.title_match DESC, q.first_published_at DESC, q.page_id DESC"
    )
    with connections[ordered.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = array("q", [pk for pk, _, _ in rows])
    published = array("q", [micros or 0 for _, micros, _ in rows])
    patchable = all(micros is not None for _, micros, _ in rows)
    return ids, published, sum(in_title for _, _, in_title in rows), patchable


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
    """Where (micros, pk) goes in its segment (title hits, or the rest): rank_order in
    Python, on the memo's arrays."""
    low, high = (0, title_hits) if in_title else (title_hits, len(ids))
    while low < high:
        middle = (low + high) // 2
        if (published[middle], ids[middle]) > (micros, pk):
            low = middle + 1
        else:
            high = middle
    return low
