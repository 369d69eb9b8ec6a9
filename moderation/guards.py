"""先审查后公开: an item's revision is published only if it completed the chain."""

from pages.publishing import register_publish_guard

from .chain import ChainClearance


@register_publish_guard
def chain_clearance_required(page, revision):
    if revision is None or not ChainClearance.objects.filter(revision=revision).exists():
        return (
            "该稿件未完成审批流程（部门初审、分管领导审批、意识形态复核、局长终审、办公室发布），不能发布。"
        )
    return None
