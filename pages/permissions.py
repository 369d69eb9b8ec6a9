"""Department ownership on top of Wagtail's group page permissions.

Department groups get add/change permission on the columns mapped to the department; this
tester further limits every action on an item to the item's own department, and keeps the
site structure (home, categories, columns) to operators and administrators."""

from wagtail.models import PagePermissionTester

from govportal.accounts.roles import department_ids, is_site_manager


class GovPagePermissionTester(PagePermissionTester):
    def _may_touch(self):
        if not self.user.is_active:
            return False
        if is_site_manager(self.user):
            return True
        department_id = getattr(self.page, "department_id", None)
        return department_id is not None and department_id in department_ids(self.user)

    def can_edit(self):
        return self._may_touch() and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self._may_touch() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
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
