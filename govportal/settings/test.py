import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, DATABASES, installation_secret, public_cache

SECRET_KEY = installation_secret("secret-key")
GOVPORTAL_PURGE_SECRET = installation_secret("purge-secret")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api_ratelimit": CACHES["api_ratelimit"],  # the real database cache, as deployed
    "public": public_cache(""),
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No purge calls to a front end unless a test opts in.
GOVPORTAL_FRONTEND_PURGE_URLS = []
MEDIA_ROOT = BASE_DIR / ".test-media"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file database (one per process) so that threads in concurrency tests see each
    # other's writes, and parallel test runs never share a file.
    DATABASES["default"]["TEST"] = {"NAME": f"/tmp/govportal-test-{os.getpid()}.sqlite3"}
