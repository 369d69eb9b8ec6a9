from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path
from wagtail import hooks
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.auth import permission_denied
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from govportal.accounts.roles import department_ids, is_site_manager

from . import views
from .columns import set_column_departments
from .forms import blocked_submission_reasons
from .items import is_item
from .models import ITEM_PAGE_MODELS, ColumnPage, DisclosureTopic
from .permissions import GovPagePermissionPolicy, RetiredNotDeletedPolicy, may_touch, other_departments_items
from .viewsets import DisclosureGroup

# Registered before any admin view asks for the page policy (Wagtail's documented place).
register_permission_policy(Page, GovPagePermissionPolicy(Page))
register_permission_policy(DisclosureTopic, RetiredNotDeletedPolicy(DisclosureTopic))


class ReadOnlyPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    """The admin API without page actions: no admin screen uses them, and each (publish, revert,
    copy, alias, move, unpublish, delete) is a second door around the screens' flows."""

    actions = {}

    @classmethod
    def get_urlpatterns(cls):
        # Wagtail's admin endpoint adds `<id>/action/<name>/`; mount only the read routes.
        return super(PagesAdminAPIViewSet, cls).get_urlpatterns()


@hooks.register("construct_admin_api")
def unmount_admin_api_actions(router):
    router.register_endpoint("pages", ReadOnlyPagesAdminAPIViewSet)


@hooks.register("before_serve_page")
def send_visitors_to_the_public_site(page, request, serve_args, serve_kwargs):
    """The CMS is headless: its own host answers a page URL (and `/`) with a redirect to the
    same path on the public front end, never a page render (there are no page templates)."""
    return HttpResponseRedirect(f"{settings.GOVPORTAL_FRONTEND_URL}{request.path}")


@hooks.register("register_admin_urls")
def register_column_mapping_url():
    return [
        path("columns/mapping/", views.column_mapping, name="pages_column_mapping"),
    ]


@hooks.register("register_admin_viewset")
def register_disclosure_lists():
    return DisclosureGroup()


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def apply_column_departments(request, page):
    """The responsible departments chosen on a column's form (ColumnPageForm) become its
    栏目分工 at once, with the department groups' permissions."""
    if not isinstance(page.specific_deferred, ColumnPage) or not is_site_manager(request.user):
        return
    ids = [v for v in request.POST.getlist("responsible_departments") if v.isdigit()]
    column = page.specific
    chosen = list(column.departments.model.objects.filter(pk__in=ids))
    if set(chosen) != set(column.departments.all()):
        set_column_departments(column, chosen)


@hooks.register("construct_explorer_page_queryset")
def only_own_department_items(parent_page, pages, request):
    """Staff see only their own department's items inside a shared column, and cannot open
    another department's item in the explorer by its URL either."""
    user = request.user
    if is_site_manager(user):
        return pages
    parent = parent_page.specific_deferred
    if is_item(parent) and not may_touch(user, parent):
        raise PermissionDenied
    if not isinstance(parent, ColumnPage):
        return pages
    own = Q(pk__in=[])
    for model in ITEM_PAGE_MODELS:
        own |= Q(
            pk__in=model.objects.child_of(parent_page)
            .filter(department_id__in=department_ids(user))
            .values("pk")
        )
    return pages.filter(own)


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    # Wagtail's move confirmation view checks permissions only when the move is executed;
    # check before the confirmation page (which shows the item) is rendered.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)


@hooks.register("construct_page_chooser_queryset")
def hide_other_departments_drafts(pages, request):
    """Staff may link to any public item, but never see another department's drafts."""
    user = request.user
    if is_site_manager(user) or user.is_superuser:
        return pages
    return pages.exclude(other_departments_items(user) & Q(live=False))


# ---- A refused 提交审批 still keeps the author's work ----------------------------------------


def _save_draft_when_only_the_submission_is_refused(request, form):
    """Run before Wagtail's own create/edit view: when the content would save but 提交审批 is
    refused (attestations, scan findings), the request goes on as 保存草稿 and the author is
    told both facts. Wagtail would otherwise discard everything with a generic error."""
    if not request.POST.get("action-submit"):
        return
    reasons = blocked_submission_reasons(form)
    if not reasons:
        return
    data = request.POST.copy()
    del data["action-submit"]
    request.POST = data
    messages.warning(request, f"草稿已保存，但未提交审批：{'；'.join(reasons)}")


@hooks.register("before_create_page")
def save_refused_new_submission_as_draft(request, parent_page, page_class):
    if request.method != "POST" or not is_item(page_class):
        return None
    form_class = page_class.get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=page_class(owner=request.user),
        parent_page=parent_page,
        for_user=request.user,
    )
    _save_draft_when_only_the_submission_is_refused(request, form)
    return None


@hooks.register("before_edit_page")
def save_refused_submission_as_draft(request, page):
    if request.method != "POST" or not is_item(page):
        return None
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=page.get_latest_revision_as_object(),
        parent_page=page.get_parent(),
        for_user=request.user,
    )
    _save_draft_when_only_the_submission_is_refused(request, form)
    return None
