"""What changed between two revisions of an item, and whether the words changed.

Approvers see the difference against what they approved before; at step 5 the operators may
typeset and classify, but a change of the words goes back to the Director (局长终审)."""

import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.fields import RichTextField

# Fields an operator sets when typesetting and categorising (排版、分类): the public wording is
# unchanged when only these change.
TYPESETTING_FIELDS = {
    "topic",
    "disclosure_method",
    "seo_title",
    "search_description",
    "slug",
    "go_live_at",
    "expire_at",
    "show_in_menus",
}


@dataclass
class Change:
    label: str
    field_name: str
    html: str
    words_changed: bool


def _plain(value):
    return re.sub(r"\s+", "", strip_tags(str(value or "")))


def _markup(value):
    # The rich text editor gives every block a fresh random key on each save: not a change.
    return re.sub(r'\sdata-block-key="[^"]*"', "", str(value or ""))


def _really_changed(comparison):
    if isinstance(comparison.field, RichTextField):
        return _markup(comparison.val_a) != _markup(comparison.val_b)
    return comparison.has_changed()


def _words_changed(comparison):
    field = comparison.field
    name = getattr(field, "name", "")
    if name in TYPESETTING_FIELDS:
        return False
    if isinstance(field, RichTextField):
        # Formatting (headings, bold, lists) is typesetting; the words are what was approved.
        return _plain(comparison.val_a) != _plain(comparison.val_b)
    return True


def changes_between(page, old_revision, new_revision):
    """The fields of the editor that differ between two revisions, with an HTML diff each."""
    if old_revision is None or new_revision is None or old_revision.pk == new_revision.pk:
        return []
    old, new = old_revision.as_object(), new_revision.as_object()
    # The page type's own panels, as Wagtail's revision comparison uses: each field compared as
    # its panel says (主题分类 by name).
    panel = type(page).get_edit_handler().get_bound_panel(instance=page, request=None, form=None)
    changes = []
    for comparison_class in panel.get_comparison():
        comparison = comparison_class(old, new)
        if _really_changed(comparison):
            changes.append(
                Change(
                    label=str(comparison.field_label()),
                    field_name=getattr(comparison.field, "name", ""),
                    html=str(comparison.htmldiff()),
                    words_changed=_words_changed(comparison),
                )
            )
    return changes


def words_changed(changes):
    return any(change.words_changed for change in changes)
