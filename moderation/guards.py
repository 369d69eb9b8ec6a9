"""先审查后公开: an item's revision is published only once, and only if it completed the chain."""

from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from pages.publishing import register_publish_guard

from .chain import ChainClearance

NOT_CLEARED = "该稿件未完成审批流程（部门初审、分管领导审批、意识形态复核、局长终审、办公室发布），不能发布。"


@register_publish_guard
def chain_clearance_required(page, revision):
    if (
        revision is None
        or not ChainClearance.objects.filter(revision=revision, used_at__isnull=True).exists()
    ):
        return NOT_CLEARED
    return None


@receiver(page_published)
def clearance_used(sender, instance, revision, **kwargs):
    # A withdrawn item goes live again only through a new pass of the chain. (Wagtail also
    # sends page_published when it only schedules a revision: that does not use it up.)
    if not (instance.live and instance.live_revision_id == revision.pk):
        return
    ChainClearance.objects.filter(revision=revision, used_at__isnull=True).update(used_at=timezone.now())
