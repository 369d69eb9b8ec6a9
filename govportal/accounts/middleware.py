from django.shortcuts import redirect
from django.urls import reverse

# Paths an account that must change its password may still reach.
_ALWAYS_ALLOWED_PREFIXES = ("/static/", "/media/", "/api/")


class ForcePasswordChangeMiddleware:
    """Send every account flagged must_change_password to the change form before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {
                reverse("accounts_password_change"),
                reverse("wagtailadmin_logout"),
            }
            if request.path not in allowed and not request.path.startswith(_ALWAYS_ALLOWED_PREFIXES):
                return redirect(f"{reverse('accounts_password_change')}?next={request.path}")
        return self.get_response(request)
