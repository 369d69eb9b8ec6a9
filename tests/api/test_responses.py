"""The per-process response cache: bounded in entries and bytes, emptied by a new version."""

from govportal.api.responses import ResponseCache


def entry(size):
    return (200, b"x" * size, '"etag"', None)


def test_cache_evicts_least_recently_used_beyond_its_byte_budget():
    cache = ResponseCache(max_entries=100, max_bytes=3 * 1300)
    for key in ("/a", "/b", "/c"):
        cache.put(1, key, entry(1000))
    assert cache.get(1, "/a") is not None  # /a is now the most recently used
    cache.put(1, "/d", entry(1000))
    assert cache.get(1, "/b") is None and cache.get(1, "/a") is not None
    assert cache.size <= cache.max_bytes


def test_cache_bounded_in_entries_and_emptied_by_a_new_version():
    cache = ResponseCache(max_entries=2, max_bytes=10**6)
    for key in ("/a", "/b", "/c"):
        cache.put(1, key, entry(10))
    assert cache.get(1, "/a") is None and len(cache.entries) == 2
    assert cache.get(2, "/c") is None  # a publish moved the version on
    assert cache.entries == {} and cache.size == 0


def test_replacing_an_entry_keeps_the_size_exact():
    cache = ResponseCache(max_entries=10, max_bytes=10**6)
    cache.put(1, "/a", entry(500))
    cache.put(1, "/a", entry(100))
    assert cache.size == 100 + len("/a") + 200


def test_zero_entries_turns_the_cache_off():
    cache = ResponseCache(max_entries=0)
    cache.put(1, "/a", entry(10))
    assert cache.get(1, "/a") is None
