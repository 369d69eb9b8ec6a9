"""Admin panels of the content model that need more than Wagtail's defaults."""

from wagtail.admin.compare import FieldComparison, TextDiff
from wagtail.admin.panels import FieldPanel

from .models.catalogue import topic_labels


class TopicComparison(FieldComparison):
    """主题分类 in a revision diff by its name from the Office's list, not its stored code."""

    def htmldiff(self):
        labels = topic_labels()
        old, new = (labels.get(value, value) for value in (self.val_a, self.val_b))
        if self.val_a == self.val_b:
            return TextDiff([("equal", new)]).to_html()
        return TextDiff([("deletion", old), ("addition", new)]).to_html()


class TopicPanel(FieldPanel):
    """The 主题分类 field: picked from the list (pages.forms), compared by name."""

    def __init__(self, field_name="topic", **kwargs):
        super().__init__(field_name, **kwargs)

    def get_comparison_class(self):
        return TopicComparison
