"""Publication guards: other apps (the approval chain) register a check that every publish of
an item must pass, whatever path it comes from (edit view, bulk action, scheduled publishing,
workflow). Keeps `pages` free of any dependency on how approval works."""

import contextlib
import contextvars

from django.core.exceptions import PermissionDenied
from wagtail.actions.publish_revision import PublishPermissionError

_guards = []


def register_publish_guard(guard):
    """guard(page, revision) -> None, or a Chinese message saying why publishing is refused."""
    _guards.append(guard)
    return guard


def publish_refusal(page, revision):
    for guard in _guards:
        message = guard(page, revision)
        if message:
            return message
    return None


def check_publication_allowed(page, revision):
    message = publish_refusal(page, revision)
    if message:
        raise PublishPermissionError(message)


# Records are never lost (先审查后公开, 谁审查谁负责): an item that ever entered the approval chain
# is withdrawn, not deleted. Only the administrator's purge after the retention period (or the
# benchmark generator's own data) deletes one, inside this context.
_purging = contextvars.ContextVar("govportal_purging", default=False)


@contextlib.contextmanager
def purging():
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


def is_purging():
    return _purging.get()


class RecordsKept(PermissionDenied):
    """Deleting an item with an approval history; the message (Chinese) says what to do."""


# Submission checks (保密审查 before 提交审批) and what happens when a revision is saved.
_submission_checks = []
_revision_hooks = []


def register_submission_check(check):
    """check(page, user, attestation) -> list of Chinese error messages (empty: may submit).
    `page` is the unsaved instance carrying the submitted content."""
    _submission_checks.append(check)
    return check


def submission_errors(page, user, attestation):
    errors = []
    for check in _submission_checks:
        errors.extend(check(page, user, attestation))
    return errors


def register_revision_hook(hook):
    """hook(page, revision, user): runs after an item revision is saved."""
    _revision_hooks.append(hook)
    return hook


def revision_saved(page, revision, user):
    for hook in _revision_hooks:
        hook(page, revision, user)
