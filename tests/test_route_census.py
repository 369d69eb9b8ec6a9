"""Every admin route is on the census with the rule that guards it and the tests that prove it:
a route nobody has decided about (e.g. one a Wagtail upgrade adds) fails here."""

import importlib

import pytest

from tests.routes import GUARDS, ROUTES, admin_routes


def test_every_admin_route_is_on_the_census():
    unlisted = sorted(f"{pattern}  ({name})" for pattern, name in admin_routes() if pattern not in ROUTES)
    assert not unlisted, "admin routes without a decided guard:\n" + "\n".join(unlisted)


def test_the_census_lists_no_route_that_is_gone():
    mounted = {pattern for pattern, _ in admin_routes()}
    assert not sorted(set(ROUTES) - mounted)


def test_every_route_names_a_known_guard():
    assert set(ROUTES.values()) <= set(GUARDS)


@pytest.mark.parametrize("guard", sorted(GUARDS))
def test_each_guard_names_tests_that_exist(guard):
    for reference in GUARDS[guard][1]:
        module_name, function_name = reference.rsplit(".", 1)
        module = importlib.import_module(module_name)
        assert callable(getattr(module, function_name, None)), f"{reference} does not exist"


def test_page_actions_of_the_admin_api_are_not_mounted():
    assert not [pattern for pattern, _ in admin_routes() if "/action/" in pattern and "api/" in pattern]
