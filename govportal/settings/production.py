import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required_secret(name):
    """A real secret from the environment, or the process refuses to start."""
    value = os.environ.get(name, "")
    if len(value) < 50 or len(set(value)) < 5 or "insecure" in value or "change-me" in value:
        raise ImproperlyConfigured(
            f"{name} must be set to a long random secret (at least 50 characters), e.g. "
            f'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    return value


DEBUG = False
SECRET_KEY = _required_secret("DJANGO_SECRET_KEY")
# Never run production with a development or missing purge secret (shared with the front end).
GOVPORTAL_PURGE_SECRET = _required_secret("GOVPORTAL_PURGE_SECRET")

# 等保 2.0: a second factor for everyone who can approve, publish or administer.
GOVPORTAL_2FA_REQUIRED = True

# TLS ends at nginx, which sets X-Forwarded-Proto. Browsers are sent to HTTPS and told to stay
# there; the front end's and purge's internal calls on 127.0.0.1 (API, documents) stay plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^api/v2/", r"^documents/"]
SECURE_HSTS_SECONDS = 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
