"""Publication guards: other apps (the approval chain) register a check that every publish of
an item must pass, whatever path it comes from (edit view, bulk action, scheduled publishing,
workflow). Keeps `pages` free of any dependency on how approval works."""

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
