"""Shared fixtures. The test database is seeded once with the demo site (seed_demo), so tests
act on the same organisation, column tree and accounts a user sees; each test rolls back."""

import types

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pytest_django.plugin import blocking_manager_key

from moderation.models import Department
from moderation.seed import DEMO_PASSWORD
from pages.models import ColumnPage, HomePage


def _restore_wagtail_roots():
    # A transactional test's flush also removes what Wagtail's migrations created.
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="zh-hans")
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def _seed():
    _restore_wagtail_roots()
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _seed()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Transactional tests flush the database when they end: seed it again for the next test.
    yield
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            _seed()


@pytest.fixture
def demo(db):
    """The demo organisation: users by username, departments by name, columns by slug."""
    User = get_user_model()
    return types.SimpleNamespace(
        users={u.username: u for u in User.objects.all()},
        departments={d.name: d for d in Department.objects.all()},
        columns={c.slug: c for c in ColumnPage.objects.all()},
        home=HomePage.objects.get(),
        password=DEMO_PASSWORD,
    )


@pytest.fixture
def login(client, demo):
    """Log a demo account in over HTTP (password already changed), returning the client."""

    def _login(username, client=client):
        User = get_user_model()
        User.objects.filter(username=username).update(must_change_password=False)
        response = client.post("/admin/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"login failed for {username}"
        return client

    return _login
