"""Department ownership on top of Wagtail's group page permissions.

Department groups get add/change permission on the columns mapped to the department; the
tester further limits every action on an item to the item's own department, and keeps the
site structure (home, categories, columns) to operators and administrators. The policy applies
the same rule to every listing the admin builds from it (explorer, search, the admin API,
reports), so another department's items are not even listed."""

from django.db.models import Q
from wagtail.models import PagePermissionTester, Site
from wagtail.permission_policies.pages import PagePermissionPolicy

from govportal.accounts.roles import department_ids, is_administrator, is_site_manager


def may_touch(user, page):
    """Whether the user may act on this page at all: site managers on every page, department
    members only on their own department's items (structure pages carry no department)."""
    if not user.is_active:
        return False
    if is_site_manager(user):
        return True
    department_id = getattr(page, "department_id", None)
    return department_id is not None and department_id in department_ids(user)


def other_departments_items(user):
    """A filter matching the items of every department the user does not belong to."""
    from .models import ITEM_PAGE_MODELS

    own = department_ids(user)
    foreign = Q(pk__in=[])
    for model in ITEM_PAGE_MODELS:
        foreign |= Q(pk__in=model.objects.exclude(department_id__in=own).values("pk"))
    return foreign


class GovPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy minus other departments' items for department members."""

    def _restricted(self, user):
        return user.is_active and not user.is_superuser and not is_site_manager(user)

    def explorable_root_instance(self, user):
        """The explorer opens at the site's home, not at the tree's bare root above it (one
        site per installation: nothing is ever created up there)."""
        root = super().explorable_root_instance(user)
        if root is not None and root.is_root():
            site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            if site is not None:
                root = site.root_page
                setattr(user, self._explorable_root_instance_cache_name, root)
        return root

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        if self._restricted(user):
            pages = pages.exclude(other_departments_items(user))
        return pages

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        if not self._restricted(user):
            return True
        page = instance.specific_deferred if not hasattr(instance, "department_id") else instance
        # Structure pages have no department: their permissions are the groups' as usual.
        return not hasattr(page, "department_id") or may_touch(user, page)


class GovPagePermissionTester(PagePermissionTester):
    def _may_touch(self):
        return may_touch(self.user, self.page)

    def can_edit(self):
        return self._may_touch() and super().can_edit()

    def _is_item(self):
        return getattr(self.page, "department_id", None) is not None

    def _ever_published(self):
        return self.page.live or self.page.first_published_at is not None

    def can_delete(self, ignore_bulk=False):
        # Published items are deleted only by the administrator (RULES §3 修改和删除);
        # a department may discard its own never-published drafts.
        if self._is_item() and self._ever_published() and not is_administrator(self.user):
            return False
        return self._may_touch() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
        if self._is_item() and not is_administrator(self.user):
            return False
        return self._may_touch() and super().can_unpublish()

    def can_publish(self):
        return self._may_touch() and super().can_publish()

    def can_copy(self):
        return self._may_touch() and super().can_copy()

    def can_lock(self):
        return self._may_touch() and super().can_lock()

    def can_move_to(self, destination):
        return self._may_touch() and super().can_move_to(destination)

    def can_copy_to(self, destination, recursive=False):
        return self._may_touch() and super().can_copy_to(destination, recursive)
