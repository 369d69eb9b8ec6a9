"""The census of admin routes: every URL under /admin/ with the rule that guards it.

A route that is not listed here fails tests/test_route_census.py, so a route added by a Wagtail
upgrade (or by us) is refused by the suite until someone decides which policy covers it and
which test proves it. The matrix (tests/moderation/test_route_matrix.py) then posts to every
listed route as every role and checks the chain's guarantees in the database afterwards."""

from django.urls import URLResolver, get_resolver

MATRIX = "tests.moderation.test_route_matrix.test_no_route_gets_around_the_chain"

# guard id -> (what enforces it, the tests that prove it)
GUARDS = {
    "read": (
        "Read-only screen, listing or chooser: GET renders, nothing is written (POST is not "
        "handled or only filters).",
        [MATRIX],
    ),
    "page-policy": (
        "pages.permissions.GovPagePermissionTester (every page action asks it; deny by default "
        "for items) and the model guards in pages.models.base.BaseItemPage (save: only cleared "
        "revisions go live; save_revision: locked in review; aliases refused; pre_delete: records kept).",
        [
            MATRIX,
            "tests.moderation.test_bypass.test_admin_api_page_actions_are_not_mounted",
            "tests.moderation.test_bypass.test_revert_while_in_review_is_refused_everywhere",
            "tests.moderation.test_bypass.test_bulk_unpublish_and_delete_are_refused",
        ],
    ),
    "chain-task": (
        "moderation.chain.ChainTask.on_action: re-checked against the task state itself "
        "(approvers, status, current step, never the author).",
        [MATRIX, "tests.moderation.test_chain.test_tampered_task_state_id_in_wagtail_action_url_is_refused"],
    ),
    "chain-views": (
        "moderation.views: each view checks the role against the item or task state it loads "
        "(administrator, department head, approver), refusals are 403 with the reason.",
        [
            MATRIX,
            "tests.moderation.test_bypass.test_withdraw_keeps_every_record_and_the_form_prints",
            "tests.moderation.test_bypass.test_self_approval_by_delegation_and_reassignment_is_refused",
        ],
    ),
    "model-policy": (
        "Wagtail's model permission policy (group permissions) on a model that is not a page: "
        "it cannot publish, change or delete an item.",
        [MATRIX],
    ),
    "workflow-config": (
        "Workflow and task settings: model permissions, and OfficePublishTask clears a revision "
        "only when every chain step approved it (disabling or removing steps clears nothing).",
        [MATRIX, "tests.moderation.test_bypass.test_disabled_steps_do_not_shorten_the_chain"],
    ),
    "reports": (
        "reports.access: each report screen and action checks the role on the server (deny by "
        "default); the Office or the administrator withdraws only what the clean-up list says is "
        "due (through moderation.withdrawal, reason required) and marks documents ended, audited.",
        [
            MATRIX,
            "tests.reports.test_cleanup.test_departments_cannot_clean_up",
            "tests.reports.test_cleanup.test_the_office_withdraws_what_the_list_says_is_due_and_nothing_else",
            "tests.reports.test_assessment.test_office_edits_weights_and_bad_input_is_refused",
        ],
    ),
    "security-admin": (
        "govportal.accounts: lockouts and second-factor devices answer only the security "
        "administrator (can_manage_security), the audit screens only the audit administrator "
        "(can_read_audit; SecurityEvent's ReadOnlyPolicy allows nobody to add, edit or delete).",
        [
            MATRIX,
            "tests.accounts.test_lockout.test_others_cannot_see_or_unlock",
            "tests.accounts.test_two_factor.test_nobody_else_can_reset_devices",
            "tests.accounts.test_separation.test_others_cannot_read_the_audit_records",
            "tests.accounts.test_separation.test_audit_administrator_reads_every_record_and_changes_nothing",
        ],
    ),
    "disclosure-lists": (
        "pages.viewsets: the catalogue's reference lists (主题分类, 法定公开事项) under Wagtail's model "
        "permission policy — the Office and the administrator only; topics are never deleted "
        "(pages.permissions.RetiredNotDeletedPolicy, superusers included). govportal.api.admin_views.statutory_list checks "
        "is_site_manager. None of them can publish, change or delete an item.",
        [
            MATRIX,
            "tests.pages.test_catalogue.test_topic_list_is_the_offices",
            "tests.api.test_statutory.test_admin_view_warns_on_an_empty_required_kind",
        ],
    ),
    "session": (
        "The signed-in user's own session, password or preferences.",
        ["tests.accounts.test_first_login.test_demo_account_must_change_password_before_any_admin_page"],
    ),
}

_PAGES = "page-policy"
ROUTES = {
    # Dashboard, account, session
    "admin/": "read",
    "admin/password/": "session",
    "admin/account/": "session",
    "admin/logout/": "session",
    "admin/login/": "session",
    "admin/password_reset/": "session",
    "admin/password_reset/done/": "session",
    "admin/password_reset/confirm/<uidb64>/<token>/": "session",
    "admin/password_reset/complete/": "session",
    "admin/dismissibles/": "session",
    "admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/<int:session_id>/": "session",
    "admin/editing-sessions/release/<int:session_id>/": "session",
    "admin/test404/": "read",
    "admin/^.*/$": "read",
    "admin/failwhale/": "read",  # answered 404 by govportal.urls before Wagtail's error test
    "admin/sprite/": "read",
    "admin/jsi18n/": "read",
    "admin/block-preview/": "read",
    "admin/tag-autocomplete/": "read",
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": "read",
    # The admin API: read routes only (page actions are not mounted)
    "admin/api/main/^pages/": "read",
    "admin/api/main/^pages/<int:pk>/": "read",
    "admin/api/main/^pages/find/": "read",
    "admin/api/main/^documents/": "read",
    "admin/api/main/^documents/<int:pk>/": "read",
    "admin/api/main/^documents/find/": "read",
    "admin/api/main/^images/": "read",
    "admin/api/main/^images/<int:pk>/": "read",
    "admin/api/main/^images/find/": "read",
    # Pages
    "admin/pages/": "read",
    "admin/pages/<int:parent_page_id>/": "read",
    "admin/pages/<int:parent_page_id>/results/": "read",
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": _PAGES,
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/": _PAGES,
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/preview/": "read",
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/": "read",
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/": "read",
    "admin/pages/create/<slug:app_label>/<slug:model_name>": "read",
    "admin/pages/<int:page_id>/usage/": "read",
    "admin/pages/<int:page_id>/edit/": _PAGES,
    "admin/pages/<int:page_id>/edit/preview/": "read",
    "admin/pages/<int:page_id>/view_draft/": "read",
    "admin/pages/<int:parent_page_id>/add_subpage/": "read",
    "admin/pages/<int:page_id>/delete/": _PAGES,
    "admin/pages/<int:page_id>/unpublish/": _PAGES,
    "admin/pages/<int:page_id>/convert_alias/": _PAGES,
    "admin/pages/search/": "read",
    "admin/pages/search/results/": "read",
    "admin/pages/<int:page_to_move_id>/move/": _PAGES,
    "admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/": _PAGES,
    "admin/pages/<int:page_to_move_id>/set_position/": _PAGES,
    "admin/pages/<int:page_id>/copy/": _PAGES,
    "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/": "chain-task",
    "admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/": "chain-task",
    "admin/pages/workflow/confirm_cancellation/<int:page_id>/": _PAGES,
    "admin/pages/workflow/preview/<int:page_id>/<int:task_id>/": "read",
    "admin/pages/<int:page_id>/privacy/": _PAGES,
    "admin/pages/<int:page_id>/lock/": _PAGES,
    "admin/pages/<int:page_id>/unlock/": _PAGES,
    "admin/pages/<int:page_id>/revisions/": "read",
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/view/": "read",
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/": _PAGES,
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/": _PAGES,
    "admin/pages/^(?P<pk>\\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\\d+)\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$": "read",
    "admin/pages/<int:page_id>/workflow_history/": "read",
    "admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/": "read",
    "admin/pages/<int:page_id>/history/": "read",
    "admin/pages/<int:page_id>/history/results/": "read",
    "admin/choose-page/": "read",
    "admin/choose-page/<int:parent_page_id>/": "read",
    "admin/choose-page/search/": "read",
    "admin/choose-page/chosen-multiple/": "read",
    "admin/choose-external-link/": "read",
    "admin/choose-email-link/": "read",
    "admin/choose-phone-link/": "read",
    "admin/choose-anchor-link/": "read",
    # Workflows and tasks (the chain is one fixed workflow)
    "admin/workflows/list/": "read",
    "admin/workflows/list/results/": "read",
    "admin/workflows/add/": "workflow-config",
    "admin/workflows/enable/<int:pk>/": "workflow-config",
    "admin/workflows/disable/<int:pk>/": "workflow-config",
    "admin/workflows/edit/<int:pk>/": "workflow-config",
    "admin/workflows/usage/<int:pk>/": "read",
    "admin/workflows/usage/<int:pk>/results/": "read",
    "admin/workflows/remove/<int:page_pk>/": "workflow-config",
    "admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": "workflow-config",
    "admin/workflows/tasks/add/<str:app_label>/<str:model_name>/": "workflow-config",
    "admin/workflows/tasks/select_type/": "read",
    "admin/workflows/tasks/index/": "read",
    "admin/workflows/tasks/index/results/": "read",
    "admin/workflows/tasks/edit/<int:pk>/": "workflow-config",
    "admin/workflows/tasks/disable/<int:pk>/": "workflow-config",
    "admin/workflows/tasks/enable/<int:pk>/": "workflow-config",
    "admin/workflows/task_chooser/": "read",
    "admin/workflows/task_chooser/results/": "read",
    "admin/workflows/task_chooser/create/": "workflow-config",
    "admin/workflows/task_chooser/<int:task_id>/": "read",
    # Wagtail's reports
    "admin/reports/locked/": "read",
    "admin/reports/locked/results/": "read",
    "admin/reports/workflow/": "read",
    "admin/reports/workflow/results/": "read",
    "admin/reports/workflow_tasks/": "read",
    "admin/reports/workflow_tasks/results/": "read",
    "admin/reports/site-history/": "read",
    "admin/reports/site-history/results/": "read",
    "admin/reports/aging-pages/": "read",
    "admin/reports/aging-pages/results/": "read",
    "admin/reports/page-types-usage/": "read",
    "admin/reports/page-types-usage/results/": "read",
    # The chain's own screens
    "admin/review/": "read",
    "admin/review/<int:task_state_id>/": "chain-task",
    "admin/review/<int:task_state_id>/reassign/": "chain-views",
    "admin/review/mine/": "read",
    "admin/review/form/<int:page_id>/": "read",
    "admin/review/delegations/": "chain-views",
    "admin/review/scan/<int:page_id>/": "chain-views",
    "admin/review/department/": "chain-views",
    "admin/desk/": "read",
    "admin/withdraw/<int:page_id>/": "chain-views",
    "admin/withdraw/<int:page_id>/purge/": "chain-views",
    "admin/notifications/read/": "session",
    # Statistics, assessment, freshness, clean-up, link check, annual figures (reports/)
    "admin/reports/statistics/": "read",
    "admin/reports/assessment/": "read",
    "admin/reports/assessment/print/": "read",
    "admin/reports/weights/": "reports",
    "admin/reports/freshness/": "read",
    "admin/reports/cleanup/": "read",
    "admin/reports/cleanup/<int:page_id>/<str:action>/": "reports",
    "admin/reports/links/": "read",
    "admin/reports/annual/": "read",
    "admin/columns/mapping/": "model-policy",
    # The disclosure catalogue's reference lists and the statutory list's status (pages/)
    "admin/disclosure/statutory/": "disclosure-lists",
}

# Screens of models that are not pages: their own permission policies apply, and none of them
# can publish, change or delete an item. Listed by prefix with the views each viewset mounts.
_MODEL_VIEWSETS = {
    "admin/collections/": ["", "add/", "<int:pk>/", "<int:pk>/delete/", "<int:collection_id>/privacy/"],
    "admin/redirects/": [
        "",
        "results/",
        "add/",
        "<int:redirect_id>/",
        "<int:redirect_id>/delete/",
        "import/",
        "import/process/",
    ],
    "admin/settings/": [
        "<slug:app_name>/<slug:model_name>/",
        "<slug:app_name>/<slug:model_name>/<int:pk>/",
        "<slug:app_name>/<slug:model_name>/<int:pk>/preview/",
    ],
    "admin/modeladmin/": ["jsi18n/"],
    "admin/embeds/": ["chooser/", "chooser/upload/"],
    "admin/snippets/": [""],
}
_GENERIC = ["", "results/", "new/", "edit/<int:pk>/", "delete/<int:pk>/", "history/<int:pk>/",
            "history-results/<int:pk>/", "usage/<int:pk>/", "copy/<int:pk>/"]  # fmt: skip
for prefix in ("special_days", "workday_years", "departments", "sites", "users"):
    _MODEL_VIEWSETS[f"admin/{prefix}/"] = _GENERIC
_MODEL_VIEWSETS["admin/groups/"] = [suffix for suffix in _GENERIC if not suffix.startswith("copy/")]
_MODEL_VIEWSETS["admin/documents/"] = [
    "",
    "results/",
    "add/",
    "edit/<int:document_id>/",
    "delete/<int:document_id>/",
    "multiple/add/",
    "multiple/<int:doc_id>/",
    "multiple/create_from_uploaded_document/<int:uploaded_file_id>/",
    "multiple/<int:doc_id>/delete/",
    "multiple/delete_upload/<int:uploaded_file_id>/",
    "usage/<int:document_id>/",
]
_MODEL_VIEWSETS["admin/images/"] = [
    "",
    "results/",
    "<int:image_id>/",
    "<int:image_id>/delete/",
    "<int:image_id>/generate_url/",
    "<int:image_id>/generate_url/output/",
    "<int:image_id>/preview/<str:filter_spec>/",
    "add/",
    "usage/<int:image_id>/",
    "multiple/add/",
    "multiple/<int:image_id>/",
    "multiple/create_from_uploaded_image/<int:uploaded_file_id>/",
    "multiple/<int:image_id>/delete/",
    "multiple/delete_upload/<int:uploaded_file_id>/",
]
_MODEL_VIEWSETS["admin/documents/chooser/"] = [
    "",
    "results/",
    "chosen/<str:pk>/",
    "chosen-multiple/",
    "create/",
]
_MODEL_VIEWSETS["admin/images/chooser/"] = [
    "",
    "results/",
    "chosen/<str:pk>/",
    "chosen-multiple/",
    "create/",
    "<int:image_id>/select_format/",
]
# 三员分立 screens (govportal.accounts), and the signed-in user's own second factor.
ROUTES.update(
    {
        "admin/2fa/setup/": "session",
        "admin/2fa/verify/": "session",
        "admin/security/lockouts/": "security-admin",
        "admin/security/lockouts/unlock/": "security-admin",
        "admin/security/2fa/": "security-admin",
        "admin/security/2fa/<int:user_id>/reset/": "security-admin",
        "admin/audit/content/": "security-admin",
    }
)
for _suffix in _GENERIC[:-1] + ["inspect/<int:pk>/"]:
    ROUTES["admin/security_events/" + _suffix] = "security-admin"

for prefix in ("disclosure_topics", "statutory_kinds"):
    for suffix in _GENERIC:
        ROUTES[f"admin/{prefix}/{suffix}"] = "disclosure-lists"
for _prefix, _suffixes in _MODEL_VIEWSETS.items():
    for _suffix in _suffixes:
        ROUTES.setdefault(_prefix + _suffix, "model-policy")


def admin_routes():
    """(pattern, name) of every URL under /admin/, as Django's resolver sees them."""

    def walk(resolver, prefix="", namespaces=()):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
                yield from walk(entry, prefix + str(entry.pattern), spaces)
            else:
                yield prefix + str(entry.pattern), ":".join(namespaces + (entry.name or "",))

    return [(pattern, name) for pattern, name in walk(get_resolver()) if pattern.startswith("admin/")]
