"""Searching the public catalogue, and the one ranking every search answer follows: items
whose title holds every term first, then newest first, then highest id.

Search reads each item's SearchText (title and text: 70 MB at 100,000 items, where the
catalogue is 400 MB). When one of the query's bigrams is rare, its postings in the bigram index
(govportal.api.catalogue) are the candidates and the few hits are ranked whole. Otherwise every
text is checked, counting the hits and the title hits in one pass PostgreSQL shares between
both cores, and a page is read walking the ranking index of its segment (title hits, then the
rest) — a short walk while hits are dense. A segment too sparse (or a page too deep) for a
short walk is ranked whole instead. Counts and whole rankings are memoised per content version
in the public cache, so each further page of a search is a short walk or a slice. (Or the
candidates come from a Wagtail backend with a Chinese analyzer:
GOVPORTAL_PUBLIC_SEARCH_BACKEND.)"""

import html
import re
from array import array

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, In
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .cache import memo
from .catalogue import bigrams_of, normalise, query_terms
from .models import SearchBigram, SearchText

SNIPPET_RADIUS = 40
EXTERNAL_SEARCH_MAX = 1000
# A bigram with fewer postings than this drives a search (its documents are the candidates).
RAREST_COUNT_CAP = 5000
# A page is read walking a segment's ranking index when the walk passes at most about this
# many texts (each checked on the way: ~3 µs); otherwise the segment is ranked whole.
WALK_ROWS = 10_000
# The ranking within a segment, as the SearchText index holds it.
SEGMENT_ORDER = ("-published", "-document_id")


def holds(field, term):
    """Q: `field` holds `term`. A term without upper or lower case (Chinese characters,
    digits: nearly every search here) is found as it is, by position (STRPOS on PostgreSQL:
    40 % cheaper than LIKE over 100,000 texts); only a term with letters needs the
    case-insensitive lookup, which upper-cases every text it reads."""
    if term.upper() == term == term.lower():
        return Q(GreaterThan(StrIndex(field, Value(term)), 0))
    return Q(**{f"{field}__icontains": term})


class Among(In):
    """`pk IN (subquery)`, written for PostgreSQL as `pk = ANY(ARRAY(subquery))`: the subquery
    runs once and each candidate is looked up by key. With IN, PostgreSQL checks the text of
    every row and then joins (blind to how rare a substring is, it expects half the rows to
    hold it): 80 ms instead of 20 for 8,670 candidates at 100,000 items."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


class Found:
    """A search: `matching` (a Q on SearchText: among the searched items, holding every
    term), `in_title` (a Q: the title holds every term), its terms, and whether the hits are
    few enough to rank whole at once."""

    def __init__(self, matching, in_title, terms, few):
        self.matching, self.in_title, self.terms, self.few = matching, in_title, terms, few

    @property
    def hits(self):
        return SearchText.objects.filter(self.matching)


def search_for(documents, query, every_item=False):
    """The search of `query` among the items of `documents` (a catalogue queryset);
    `every_item`: they are all the public items, so no row needs to be matched to them."""
    terms = query_terms(query)
    matching = Q() if every_item else Q(document__in=documents.values("pk"))
    in_title = Q()
    for term in terms:
        in_title &= holds("title", term)
    if not terms:
        return Found(Q(pk__in=[]), in_title, terms, True)
    if _external_backend():
        return Found(matching & Q(pk__in=_external_ids(query)), in_title, terms, True)
    grams = set()
    for term in terms:
        grams |= bigrams_of(term) if len(term) > 1 else set()
    driver, rare = rarest_bigram(grams)
    if rare:
        # Candidates: the documents of one index range (the rarest bigram); every other term
        # is checked on the text. Cheaper than intersecting every bigram's postings, which
        # groups all of them (three times slower for a four-character word at 100,000 items).
        matching &= Q(Among(F("pk"), SearchBigram.objects.filter(bigram=driver).values("document_id")))
    for term in terms:
        # A two-character term is in a text exactly when its bigram is (both are word
        # characters, so they stand in one run): the driver's postings alone decide it.
        if not (rare and term == driver):
            matching &= holds("title", term) | holds("text", term)
    return Found(matching, in_title, terms, rare)


def rarest_bigram(grams):
    """(the bigram with the fewest postings, whether it has fewer than RAREST_COUNT_CAP), or
    (None, False). Counts are capped (an index-only count that stops at the cap)."""
    counts = {g: SearchBigram.objects.filter(bigram=g)[:RAREST_COUNT_CAP].count() for g in sorted(grams)}
    if not counts:
        return None, False
    driver = min(sorted(grams), key=counts.__getitem__)
    return driver, counts[driver] < RAREST_COUNT_CAP


def single_bigram(query):
    """The bigram of a query whose every term is the same two-character word (the common
    case: 预算, 低保, 救助), else None. Such a search is answered from the postings alone."""
    terms = query_terms(query)
    if terms and len(set(terms)) == 1 and len(terms[0]) == 2 and not _external_backend():
        return terms[0]
    return None


def ranked_postings(bigram):
    """Postings of public items containing `bigram`, in rank order, read from one index range."""
    return SearchBigram.objects.filter(bigram=bigram).order_by("-in_title", "-published", "-document_id")


def _external_backend():
    return getattr(settings, "GOVPORTAL_PUBLIC_SEARCH_BACKEND", "")


def _external_ids(query):
    """The hits of a Wagtail backend (OpenSearch/Elasticsearch with a Chinese analyzer); the
    catalogue still decides what is public; ranked like the built-in search."""
    backend = get_search_backend(settings.GOVPORTAL_PUBLIC_SEARCH_BACKEND)
    return [p.pk for p in backend.search(query, Page.objects.live())[:EXTERNAL_SEARCH_MAX]]


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


# --- one page of a search, in rank order ----------------------------------------------------


def ranked_page(scope, key, found, offset, limit):
    """(hit count, [(id, title holds every term)] of ranks offset .. offset+limit) of the
    search `found`, memoised per content version under `key` (its filters)."""
    if found.few:
        ids, titled = memo(
            scope, "ranking", key, lambda: _ranked_whole(found), size=lambda value: len(value[0])
        )
        return len(ids), [(pk, rank < titled) for rank, pk in enumerate(ids[offset : offset + limit], offset)]
    texts, total, titled = memo(scope, "hits", key, lambda: _counted(found), size=lambda value: 0)
    in_title = _segment_page(
        scope, (key, "title"), found.hits.filter(found.in_title), titled, texts, offset, limit
    )
    rest = _segment_page(
        scope,
        (key, "rest"),
        found.hits.exclude(found.in_title),
        total - titled,
        texts,
        max(0, offset - titled),
        limit - len(in_title),
    )
    return total, [(pk, True) for pk in in_title] + [(pk, False) for pk in rest]


def _counted(found):
    """(texts, hits, title hits): every text checked once, in one statement."""
    counts = SearchText.objects.aggregate(
        texts=Count("pk"),
        total=Count("pk", filter=found.matching),
        titled=Count("pk", filter=found.in_title & found.matching),  # the short title first
    )
    return counts["texts"], counts["total"], counts["titled"]


def _segment_page(scope, key, segment, count, texts, offset, limit):
    """Ids of ranks offset .. offset+limit of a segment of `count` hits among `texts` texts:
    walking the ranking index passes about (offset+limit) * texts / count of them."""
    if limit <= 0 or offset >= count:
        return []
    ordered = segment.order_by(*SEGMENT_ORDER).values_list("document_id", flat=True)
    if (offset + limit) * texts <= WALK_ROWS * count:
        return list(ordered[offset : offset + limit])
    ids = memo(scope, "ranking", key, lambda: array("q", ordered))
    return list(ids[offset : offset + limit])


def _ranked_whole(found):
    """(ids in rank order, how many of the first hold every term in their title)."""
    title_match = Case(When(found.in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = (
        found.hits.annotate(title_match=title_match)
        .order_by("-title_match", *SEGMENT_ORDER)
        .values_list("document_id", "title_match")
    )
    ids, titled = array("q"), 0
    for pk, in_title in rows:
        ids.append(pk)
        titled += in_title
    return ids, titled
