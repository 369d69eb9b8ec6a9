"""The client's address, shared by login protection and the question intake."""

from django.conf import settings


def client_address(request):
    """The visitor's address; X-Forwarded-For is believed only from a trusted proxy
    (GOVPORTAL_API_TRUSTED_PROXIES), and then the nearest hop that is not itself a trusted proxy."""
    trusted = set(settings.GOVPORTAL_API_TRUSTED_PROXIES)
    address = request.META.get("REMOTE_ADDR", "")
    if address in trusted:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        for hop in reversed(forwarded):
            if hop not in trusted:
                return hop[:64]
    return address
