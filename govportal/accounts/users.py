"""Wagtail's user screens with 三员分立 (separation of the three administrators): roles are
assigned by the security administrator only, no account holds two administrator roles, and
nobody is made a superuser from the admin."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from .models import User
from .roles import (
    ADMINISTRATORS_GROUP,
    AUDIT_ADMINS_GROUP,
    LEADERS_GROUP,
    OPERATORS_GROUP,
    SECURITY_ADMINS_GROUP,
    can_manage_security,
    is_administrator,
)

ADMINISTRATOR_ROLES = frozenset({ADMINISTRATORS_GROUP, SECURITY_ADMINS_GROUP, AUDIT_ADMINS_GROUP})
ROLE_GROUPS = ADMINISTRATOR_ROLES | {OPERATORS_GROUP, LEADERS_GROUP}
SEPARATION_MESSAGE = "三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任。"


def holds_two_administrator_roles(group_names):
    return len(ADMINISTRATOR_ROLES & set(group_names)) > 1


class SeparationOfDutiesMixin:
    """The system administrator manages accounts and department membership; the security
    administrator assigns roles and touches nothing else of an account."""

    def __init__(self, *args, acting_user=None, **kwargs):
        self.acting_user = acting_user
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)
        if self._roles_only:
            for name, field in list(self.fields.items()):
                if name.startswith("password"):
                    del self.fields[name]
                elif name != "groups":
                    field.disabled = True

    @property
    def _roles_only(self):
        return can_manage_security(self.acting_user) and not is_administrator(self.acting_user)

    @property
    def password_enabled(self):
        # Passwords are the system administrator's, not the security administrator's.
        return super().password_enabled and not self._roles_only

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is None:
            return cleaned
        new_roles = {g.name for g in groups if g.name in ROLE_GROUPS}
        old_roles = set()
        if self.instance.pk:
            old_roles = set(self.instance.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        if new_roles != old_roles and not can_manage_security(self.acting_user):
            self.add_error(
                "groups", "角色（网站操作员、局领导、各类管理员）由安全管理员分配，您只能设置部门。"
            )
        elif holds_two_administrator_roles(new_roles):
            self.add_error("groups", SEPARATION_MESSAGE)
        return cleaned


class GovUserCreationForm(SeparationOfDutiesMixin, UserCreationForm):
    pass


class GovUserEditForm(SeparationOfDutiesMixin, UserEditForm):
    pass


class _ActingUserMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class CreateView(_ActingUserMixin, wagtail_users.CreateView):
    pass


class EditView(_ActingUserMixin, wagtail_users.EditView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return GovUserEditForm if for_update else GovUserCreationForm


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="govportal_separation_of_duties")
def _refuse_two_administrator_roles(sender, instance, action, pk_set, reverse, **kwargs):
    """The same rule for every other path (code, shell, group screens)."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # users added to a group
        group = instance
        if group.name not in ADMINISTRATOR_ROLES:
            return
        others = ADMINISTRATOR_ROLES - {group.name}
        if User.objects.filter(pk__in=pk_set, groups__name__in=others).exists():
            raise ValidationError(SEPARATION_MESSAGE)
        return
    names = set(instance.groups.values_list("name", flat=True))
    names |= set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    if holds_two_administrator_roles(names):
        raise ValidationError(SEPARATION_MESSAGE)
