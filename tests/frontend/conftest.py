"""The front end against the fake CMS API (tests/frontend/fake_api.py), in process."""

import asyncio
import concurrent.futures

import httpx
import pytest
from starlette.testclient import TestClient

from frontend.app import create_app
from frontend.config import Settings

from .fake_api import FakeCMS, create_fake_api

PURGE_SECRET = "test-secret"


@pytest.fixture
def cms():
    return FakeCMS()


@pytest.fixture
def settings():
    return Settings(
        api_url="http://cms.test/api/v2/",
        purge_secret=PURGE_SECRET,
        cache_ttl=60,
        stale_ttl=3600,
        api_timeout=2,
        cms_origins=("http://127.0.0.1:8012",),
    )


@pytest.fixture
def site(cms, settings):
    transport = httpx.ASGITransport(app=create_fake_api(cms))
    app = create_app(settings, transport=transport)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield client


def run_async(coroutine):
    """asyncio.run in a fresh thread: the browser tests' Playwright keeps a loop running in
    the main thread when both suites run in one process."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
