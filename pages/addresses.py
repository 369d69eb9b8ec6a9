"""An item's public address: short, stable and never its title (t20261128_1234, the day it was
created and its id), so that a link survives every edit of the title and fits in a message."""

import re
import uuid

from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

SHORT_SLUG = re.compile(r"t\d{8}_\d+")


def is_short(slug):
    return bool(SHORT_SLUG.fullmatch(slug or ""))


def placeholder_slug():
    """Unique until the new item has an id to build its short address from."""
    return f"new-{uuid.uuid4().hex}"


def short_slug(page_id, day):
    return f"t{day:%Y%m%d}_{page_id}"


def settle_address(page, day=None):
    """Give a saved item its short address in place (no new revision, no signals): the slug
    and url_path rows, and the instance."""
    page.slug = short_slug(page.pk, day or timezone.localdate())
    page.set_url_path(page.get_parent())
    Page.objects.filter(pk=page.pk).update(slug=page.slug, url_path=page.url_path)


def shorten_old_address(page):
    """An item saved before this rule (its slug is its title) gets its short address, dated by
    its first publication (or creation); its old public path redirects there permanently.
    Returns the old public path, or None when the address was already short."""
    if is_short(page.slug):
        return None
    day_source = page.first_published_at or page.latest_revision_created_at or timezone.now()
    old_paths = _public_paths(page)
    settle_address(page, timezone.localdate(day_source))
    for site, old_path in old_paths:
        Redirect.objects.update_or_create(
            old_path=Redirect.normalise_path(old_path),
            site=site,
            defaults={"redirect_page": page, "is_permanent": True},
        )
    return old_paths[0][1] if old_paths else None


def _public_paths(page):
    paths = []
    for site in Site.objects.select_related("root_page"):
        root = site.root_page.url_path
        if page.url_path.startswith(root):
            paths.append((site, "/" + page.url_path[len(root) :]))
    return paths
