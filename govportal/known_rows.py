"""Foreign-key validation remembered for one chain action.

Django's Model.full_clean() asks the database whether each foreign key's row exists, one query
per field; Wagtail runs full_clean() at every save of a page, workflow state and log entry, so
one step-5 publish asked whether the same content type existed six times and the same revision
five times (22 of its ~150 statements). Inside `remembered()`, a row found once is not asked
for again. Only the repeated question is spared: the database's foreign-key constraints still
check every write at commit, and outside the block validation is Django's own."""

import contextlib
import contextvars

from django.db import router
from django.db.models import ForeignKey

_found = contextvars.ContextVar("govportal_known_rows", default=None)
_validate = ForeignKey.validate


def _validate_remembering(field, value, model_instance):
    found = _found.get()
    remote = field.remote_field
    if found is None or value is None or remote.parent_link or remote.limit_choices_to:
        return _validate(field, value, model_instance)
    key = (router.db_for_read(remote.model, instance=model_instance), remote.model, remote.field_name, value)
    if key in found:
        return None
    _validate(field, value, model_instance)  # raises when the row is missing: nothing kept
    found.add(key)
    return None


@contextlib.contextmanager
def remembered():
    """Remember the rows foreign-key validation found, until the block ends."""
    token = _found.set(set())
    try:
        yield
    finally:
        _found.reset(token)


def apply():
    ForeignKey.validate = _validate_remembering
