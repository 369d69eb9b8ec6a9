"""Bureau-wide roles held through Django groups. Group names are fixed by the product; who
belongs to them is data edited by the administrator."""

OPERATORS_GROUP = "网站操作员"
ADMINISTRATORS_GROUP = "管理员"
LEADERS_GROUP = "局领导"


def _group_names(user):
    cached = getattr(user, "_govportal_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._govportal_group_names = cached
    return cached


def is_operator(user):
    """A General Office website operator (网站操作员): typesets and publishes."""
    return user.is_authenticated and OPERATORS_GROUP in _group_names(user)


def is_administrator(user):
    """The system administrator (管理员): modifies, unpublishes and deletes published items."""
    return user.is_authenticated and (user.is_superuser or ADMINISTRATORS_GROUP in _group_names(user))


def is_site_manager(user):
    """Operators and administrators reach every column."""
    return is_operator(user) or is_administrator(user)


def department_ids(user):
    """Ids of the departments the user heads or works in (cached on the user object)."""
    cached = getattr(user, "_govportal_department_ids", None)
    if cached is None:
        if not user.is_authenticated:
            cached = frozenset()
        else:
            cached = frozenset(user.headed_departments.values_list("id", flat=True)) | frozenset(
                user.staffed_departments.values_list("id", flat=True)
            )
        user._govportal_department_ids = cached
    return cached


# 三员分立: three administrator roles that no single account may hold together.
SECURITY_ADMINS_GROUP = "安全管理员"
AUDIT_ADMINS_GROUP = "审计管理员"


def can_manage_security(user):
    """The security administrator (安全管理员): roles, lockouts, second factors."""
    return user.is_authenticated and SECURITY_ADMINS_GROUP in _group_names(user)


def can_read_audit(user):
    """The audit administrator (审计管理员) reads every audit record and changes nothing."""
    return user.is_authenticated and AUDIT_ADMINS_GROUP in _group_names(user)


def needs_second_factor(user):
    """Everyone who can approve, publish or administer (等保 2.0): superusers, operators,
    administrators of each kind, bureau leaders and department heads."""
    if not user.is_authenticated:
        return False
    privileged = {
        OPERATORS_GROUP,
        ADMINISTRATORS_GROUP,
        LEADERS_GROUP,
        SECURITY_ADMINS_GROUP,
        AUDIT_ADMINS_GROUP,
    }
    return user.is_superuser or bool(privileged & _group_names(user)) or user.headed_departments.exists()
