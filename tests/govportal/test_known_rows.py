"""Foreign-key validation inside a chain action asks for each row once, and still refuses a
missing row."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govportal import known_rows
from moderation.demo_chain import advance, author_for, quietly, submit
from moderation.models import Department
from pages.models import NewsPage

pytestmark = pytest.mark.django_db


# How Django's ForeignKey.validate() asks whether a row exists.
FOREIGN_ROW_LOOKUP = re.compile(r'SELECT 1 AS "a" FROM "(\w+)" WHERE "\1"."id" = \d+ LIMIT 1$')


def _user_lookups(queries):
    return [q for q in queries if q["sql"].startswith('SELECT 1 AS "a" FROM "accounts_user"')]


def _validate(department):
    department.full_clean(exclude=["sort_order", "name", "public_name"])


def test_a_row_found_once_is_not_asked_for_again_inside_the_block(demo):
    leader = demo.users["deputy_a"]
    first, second = (
        Department(name="甲", supervising_leader=leader),
        Department(name="乙", supervising_leader=leader),
    )
    with CaptureQueriesContext(connection) as outside:
        _validate(first)
        _validate(second)
    with known_rows.remembered(), CaptureQueriesContext(connection) as inside:
        _validate(first)
        _validate(second)
    assert len(_user_lookups(outside.captured_queries)) == 2
    assert len(_user_lookups(inside.captured_queries)) == 1


def test_a_missing_row_is_refused_inside_the_block_too(demo):
    leader = demo.users["deputy_a"]
    with known_rows.remembered():
        _validate(Department(name="甲", supervising_leader=leader))
        with pytest.raises(ValidationError) as refused:
            _validate(Department(name="乙", supervising_leader_id=leader.pk + 10_000))
    assert "supervising_leader" in refused.value.message_dict


def test_the_block_ends_with_the_action(demo):
    leader = demo.users["deputy_a"]
    with known_rows.remembered():
        _validate(Department(name="甲", supervising_leader=leader))
    with CaptureQueriesContext(connection) as after:
        _validate(Department(name="乙", supervising_leader=leader))
    assert len(_user_lookups(after.captured_queries)) == 1


def test_publishing_asks_for_each_foreign_row_once(demo):
    """The step-5 approval saves the task state, workflow state, page and log entries, each
    validated by full_clean(): every referenced row is looked up once."""
    page = NewsPage.objects.live().filter(department__isnull=False).first()
    author = author_for(page.department)
    page.title = f"{page.title}（外键校验）"
    page.save_revision(user=author)
    submit(page, author)
    advance(page, 4)
    with quietly(), CaptureQueriesContext(connection) as publishing:
        advance(page, 1)
    page.refresh_from_db()
    assert page.live and page.title.endswith("（外键校验）")
    lookups = [q["sql"] for q in publishing.captured_queries if FOREIGN_ROW_LOOKUP.match(q["sql"])]
    assert len(lookups) >= 5  # the page, its revision, content type, user, task state ...
    assert len(lookups) == len(set(lookups)), sorted(lookups)
