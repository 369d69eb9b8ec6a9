from wagtail import hooks


def _flag_password_set_by_someone_else(request, user):
    # Wagtail's user forms call set_password when the password fields are filled in.
    if request.POST.get("password1") and request.user.pk != user.pk:
        type(user).objects.filter(pk=user.pk).update(must_change_password=True)


@hooks.register("after_create_user")
def require_change_for_new_account(request, user):
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)


@hooks.register("after_edit_user")
def require_change_after_reset(request, user):
    _flag_password_set_by_someone_else(request, user)
