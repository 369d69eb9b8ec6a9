"""The admin's view of what the public sees: the status of the statutory proactive-disclosure
list (法定主动公开清单), read from the public catalogue."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from govportal.accounts.roles import is_site_manager

from .statutory import statutory_status


def statutory_list(request):
    """Where each kind the bureau must disclose is published, when it was last updated, and
    which required kinds have nothing published."""
    if not is_site_manager(request.user):
        raise PermissionDenied
    rows = statutory_status()
    return TemplateResponse(
        request,
        "public_api/admin/statutory_list.html",
        {"rows": rows, "missing": [row for row in rows if row.missing]},
    )
