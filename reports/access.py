"""Who may see and act on which report, decided on the server for every request (deny by
default). Roles come from the organisation: bureau groups and department membership."""

from govportal.accounts.roles import LEADERS_GROUP, department_ids, is_administrator, is_operator
from moderation.models import Department
from pages.models import ColumnPage


def is_leader(user):
    return user.is_authenticated and user.groups.filter(name=LEADERS_GROUP).exists()


def is_office(user):
    """The website working group's office: operators and members of the General Office."""
    if is_operator(user):
        return True
    ids = department_ids(user)
    return bool(ids) and Department.objects.filter(pk__in=ids, is_general_office=True).exists()


def can_view_statistics(user):
    """报送统计: everyone who reports or oversees reporting (RULES §3: shown to all in real time)."""
    return user.is_authenticated and (
        is_administrator(user) or is_office(user) or is_leader(user) or bool(department_ids(user))
    )


def can_view_assessment(user):
    """年底总评 and the annual-report figures: the Office, the bureau's leaders, the administrator."""
    return user.is_authenticated and (is_administrator(user) or is_office(user) or is_leader(user))


def can_edit_weights(user):
    """考核权重: set by the Office (or the administrator)."""
    return user.is_authenticated and (is_administrator(user) or is_office(user))


def can_view_freshness(user):
    """栏目更新监测: department members (their columns) and everyone who sees the whole site."""
    return can_view_statistics(user)


def sees_whole_site(user):
    return is_administrator(user) or is_office(user) or is_leader(user)


def columns_visible_to(user):
    """The columns whose freshness ``user`` follows: None for all (the Office, leaders, the
    administrator), else the columns of their departments."""
    if sees_whole_site(user):
        return None
    return ColumnPage.objects.filter(departments__in=department_ids(user)).distinct()


def can_clean_up(user):
    """清理清单: the administrator (RULES §1: cleans up expired and abolished items) or the Office."""
    return user.is_authenticated and (is_administrator(user) or is_office(user))
