from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import PasswordChangeForm
from .models import SecurityEvent
from .passwords import password_expired
from .security_log import record


@login_required
def password_change(request):
    """The password change every account must pass at first login (and may use at any time)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/admin/"
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.must_change_password = False
            user.save()  # set_password stamped password_changed_at; history recorded on save
            record(SecurityEvent.Kind.PASSWORD_CHANGE, username=user.get_username(), request=request)
        # Keeps this session; every other session of the account ends with the old hash.
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改，请妥善保管。")
        return redirect(next_url)
    return TemplateResponse(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "next": next_url,
            "forced": request.user.must_change_password,
            "expired": not request.user.must_change_password and password_expired(request.user),
            "max_age_days": settings.GOVPORTAL_PASSWORD_MAX_AGE_DAYS,
        },
    )
