"""Who may do what to a page: the one policy every admin route consults.

Wagtail asks the page permission tester before every action, whatever the route: the edit and
create views, bulk actions, the admin API, revisions and revert, copy, alias, move, delete,
unpublish, lock, the workflow views and the choosers. The rules of the bureau therefore live
here and not in views:

* Department ownership: department groups get add/change permission on the columns mapped to
  the department; every action on an item is further limited to the item's own department, and
  the site structure (home, categories, columns) is left to operators and administrators.
* 先审查后公开: an item is published only in the revision a completed chain cleared; while in
  review it is locked for everyone but the approvers of the current step who may edit (the
  operators at step 5); it is never unpublished or deleted through Wagtail's own routes — a
  published item is withdrawn (撤回) with a reason, and only never-submitted drafts are deleted.
* Deny by default: for items, every `can_*` question Wagtail asks that this class does not answer
  explicitly (including ones a Wagtail upgrade adds) is answered "no"."""

from django.db.models import Q
from wagtail.models import PagePermissionTester, Site, WorkflowState
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from govportal.accounts.roles import department_ids, is_administrator, is_site_manager

from .items import is_item, item_models
from .publishing import publish_refusal


def may_touch(user, page):
    """Whether the user may act on this page at all: site managers on every page, department
    members only on their own department's items (structure pages carry no department)."""
    if not user.is_active:
        return False
    if is_site_manager(user):
        return True
    department_id = getattr(page, "department_id", None)
    return department_id is not None and department_id in department_ids(user)


def ever_submitted(page):
    """Whether the item ever entered the approval chain or went live: then it has records
    (step opinions, routing, statistics) that must never be lost."""
    if page.first_published_at is not None or page.live:
        return True
    return WorkflowState.objects.filter(
        base_content_type_id=page.get_base_content_type().pk, object_id=str(page.pk)
    ).exists()


def other_departments_items(user):
    """A filter matching the items of every department the user does not belong to."""
    own = department_ids(user)
    foreign = Q(pk__in=[])
    for model in item_models():
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
        # Structure pages have no department: their permissions are the groups' as usual.
        return not is_item(instance) or may_touch(user, instance.specific_deferred)


class GovPagePermissionTester(PagePermissionTester):
    """Every answer for an item is explicit below; anything else is refused (see the end)."""

    def _may_touch(self):
        return may_touch(self.user, self.page)

    def _is_item(self):
        return is_item(self.page)

    def _locked(self):
        # The workflow lock: an item in review is locked for all but those its current step lets edit.
        lock = self.page.get_lock()
        return lock is not None and lock.for_user(self.user)

    # Reading and editing ------------------------------------------------------------------

    def can_edit(self):
        # Opening the editor (read-only while locked); saving is refused by the model while
        # locked (BaseItemPage.save_revision), which also covers revert and the admin API.
        return self._may_touch() and super().can_edit()

    def can_view_revisions(self):
        return self._may_touch() and super().can_view_revisions()

    def can_submit_for_moderation(self):
        return self._may_touch() and super().can_submit_for_moderation()

    def can_lock(self):
        return self._may_touch() and not (self._is_item() and self._locked()) and super().can_lock()

    def can_unlock(self):
        return self._may_touch() and not (self._is_item() and self._locked()) and super().can_unlock()

    # Publication ---------------------------------------------------------------------------

    def can_publish(self):
        if not (self._may_touch() and super().can_publish()):
            return False
        if not self._is_item():
            return True
        # Every publishing route publishes the latest revision (the Publish button, bulk publish,
        # the admin API, the workflow's finish); the model re-checks the revision actually published.
        return publish_refusal(self.page, self.page.get_latest_revision()) is None

    def can_unschedule(self):
        return self._may_touch() and super().can_unschedule()

    def can_unpublish(self):
        # Items are withdrawn (撤回) by the administrator with a reason, on the withdrawal screen;
        # Wagtail's unpublish routes (button, bulk, admin API) take no reason.
        if self._is_item():
            return False
        return self._may_touch() and super().can_unpublish()

    def can_set_view_restrictions(self):
        if self._is_item() and not is_administrator(self.user):
            return False
        return self._may_touch() and super().can_set_view_restrictions()

    # Deleting, moving, copying -------------------------------------------------------------

    def can_delete(self, ignore_bulk=False):
        if self._is_item() and ever_submitted(self.page):
            return False  # records are kept: withdraw instead (the model refuses too)
        if not self._is_item() and self.page.depth > 1 and self._has_items_below():
            return False  # a column with items is hidden, never deleted with its items
        return self._may_touch() and super().can_delete(ignore_bulk=ignore_bulk)

    def _has_items_below(self):
        return any(model.objects.descendant_of(self.page).exists() for model in item_models())

    def _may_move_item(self):
        # The administrator, or whoever the current review step lets edit (the operators at
        # step 5 categorise: 分类 may mean another column).
        if is_administrator(self.user):
            return True
        task = self.page.current_workflow_task
        return task is not None and task.specific.user_can_access_editor(self.page, self.user)

    def can_move(self):
        if self._is_item() and not self._may_move_item():
            return False
        return self._may_touch() and super().can_move()

    def can_move_to(self, destination):
        if self._is_item() and not self._may_move_item():
            return False
        return self._may_touch() and super().can_move_to(destination)

    def can_copy(self):
        # A copy is a new draft of the same department (never published by copying, never an alias).
        return self._may_touch() and super().can_copy()

    def can_copy_to(self, destination, recursive=False):
        return self._may_touch() and super().can_copy_to(destination, recursive)

    # Items have no children ----------------------------------------------------------------

    def can_add_subpage(self):
        return not self._is_item() and super().can_add_subpage()

    def can_publish_subpage(self):
        return not self._is_item() and super().can_publish_subpage()

    def can_reorder_children(self):
        return not self._is_item() and super().can_reorder_children()


def _refused_for_items(name):
    inherited = getattr(PagePermissionTester, name)

    def check(self, *args, **kwargs):
        if is_item(self.page):
            return False
        return inherited(self, *args, **kwargs)

    check.__name__ = name
    check.__doc__ = "Not answered explicitly for items, so refused for them (deny by default)."
    return check


# Deny by default: any permission question of Wagtail's tester that the class above does not
# answer itself is refused for items — also the ones a Wagtail upgrade adds.
UNANSWERED_FOR_ITEMS = sorted(
    name
    for name in dir(PagePermissionTester)
    if name.startswith("can_") and name not in GovPagePermissionTester.__dict__
)
for _name in UNANSWERED_FOR_ITEMS:
    setattr(GovPagePermissionTester, _name, _refused_for_items(_name))


class RetiredNotDeletedPolicy(ModelPermissionPolicy):
    """Group permissions on a reference list whose entries items point to by code (主题分类):
    nobody — superusers included — deletes one; the Office retires it (启用 off) instead."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - {"delete"})
