import pytest
from django.core.cache import caches

from govportal.api import scope
from govportal.api.cache import response_cache
from moderation.demo_chain import advance, author_for, quietly, submit


@pytest.fixture(autouse=True)
def fresh_api_state(settings):
    """Each test starts with empty response caches and rate-limit counters."""
    response_cache.clear()
    scope._current = None
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    caches["default"].clear()
    yield
    response_cache.clear()
    scope._current = None


@pytest.fixture
def api(client):
    def get(url, **extra):
        return client.get(url, **extra)

    return get


def publish(page):
    """Publish the page's current state the only way there is: through the whole chain."""
    author = author_for(page.department)
    with quietly():
        submit(page, author)
        advance(page, 5)
    page.refresh_from_db()
    return page
