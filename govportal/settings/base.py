"""Settings shared by every environment. Environment-specific files import from here."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def installation_secret(name):
    """A secret generated on first use and kept in a file of this installation (gitignored,
    readable by its owner only): development and tests never share a key with anyone."""
    path = BASE_DIR / f".{name}"
    if not path.exists():
        # Written aside, then linked into place: concurrent first runs agree on one secret.
        draft = BASE_DIR / f".{name}.{os.getpid()}.tmp"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


# No default: development and test settings generate one per installation; production
# refuses to start without a real one (production.py).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "govportal.accounts",
    "govportal.backups",
    "moderation",
    "pages",
    "govportal.api",
    "reports",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "govportal.accounts.users_app.GovUsersAppConfig",  # wagtail.users with 三员分立
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Reads of the public API end here (anonymous, stateless): govportal/api/middleware.py.
    "govportal.api.middleware.PublicApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "govportal.accounts.security_log.ActingUserMiddleware",
    "govportal.accounts.middleware.ForcePasswordChangeMiddleware",
    "govportal.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "govportal.middleware.MalformedPostMiddleware",
    # Last, as django-axes requires: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login protection (django-axes): 5 failures lock the account, and separately the address,
# for 15 minutes; more attempts during a lockout do not extend it. Addresses come from
# govportal.addresses (X-Forwarded-For only from GOVPORTAL_API_TRUSTED_PROXIES).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "govportal.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "govportal.accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Two factors (django-otp, govportal/accounts/two_factor.py): when on, everyone who can approve,
# publish or administer must enrol a TOTP app; others may. Production settings force it on;
# the `make run` demo leaves it off (set GOVPORTAL_2FA_REQUIRED=1 to try it).
GOVPORTAL_2FA_REQUIRED = os.environ.get("GOVPORTAL_2FA_REQUIRED", "") == "1"
OTP_TOTP_ISSUER = f"{os.environ.get('GOVPORTAL_SITE_NAME', '开平市民政局')}后台"
# Audit records (accounts.SecurityEvent, Wagtail's log entries) are kept at least this long.
GOVPORTAL_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("GOVPORTAL_AUDIT_RETENTION_DAYS", "365")))

ROOT_URLCONF = "govportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "govportal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "govportal.wsgi.application"

# SQLite by default; DATABASE_URL (e.g. postgres://user:pw@127.0.0.1/govportal) selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60)
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for the write lock instead of failing at once under concurrent writers.
    # Writers wait for the lock (and take it at BEGIN) instead of failing under concurrency.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "govportal.accounts.validators.NotCurrentPasswordValidator"},
    # 等保 2.0: three of upper/lower/digit/symbol; never the last 5 passwords either.
    {"NAME": "govportal.accounts.validators.ComplexityValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "govportal.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]
# A password expires this many days after it was set (then the change form comes first); the
# account is warned at login during the last week.
GOVPORTAL_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GOVPORTAL_PASSWORD_MAX_AGE_DAYS", "90"))
GOVPORTAL_PASSWORD_EXPIRY_WARNING_DAYS = 7
# Admin sessions end at browser close and after 30 minutes without a request (the expiry
# slides with every request); changing a password ends the account's other sessions.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Chinese-only: no LocaleMiddleware, so a browser asking for English still gets Chinese.
LANGUAGE_CODE = "zh-hans"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our catalogue comes first: it fills the gaps of Wagtail's Chinese and uses the bureau's terms.
LOCALE_PATHS = [BASE_DIR / "govportal" / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GOVPORTAL_MEDIA_ROOT", BASE_DIR / "media"))

LOGIN_URL = "wagtailadmin_login"

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("GOVPORTAL_SITE_NAME", "开平市民政局")
WAGTAILADMIN_BASE_URL = os.environ.get("GOVPORTAL_ADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "wps",
    "et",
    "txt",
    "csv",
    "zip",
    "ofd",
    "png",
    "jpg",
]
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_USER_LOGIN_FORM = "govportal.accounts.forms.LoginForm"
# An intranet system: no avatar (nor an e-mail hash) is fetched from an outside service.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILAPI_LIMIT_MAX = 100
# Wagtail's own index is off: its database backend rewrites the whole index table on every save
# on PostgreSQL (WAGTAIL-NOTES). The admin's search uses the fallback backend (substring match,
# no index, so Chinese words are found); the public API searches its own bigram index
# (govportal.api.catalogue).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database.fallback", "AUTO_UPDATE": False}
}
# Public API (govportal/api, docs/API.md).
GOVPORTAL_PUBLIC_BASE_URL = os.environ.get("GOVPORTAL_PUBLIC_BASE_URL", "")  # prefix of html_url
GOVPORTAL_API_MEDIA_BASE_URL = os.environ.get("GOVPORTAL_API_MEDIA_BASE_URL", WAGTAILADMIN_BASE_URL)
GOVPORTAL_API_TRUSTED_PROXIES = os.environ.get("GOVPORTAL_API_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
# Large sites: name a WAGTAILSEARCH_BACKENDS alias (OpenSearch/Elasticsearch with a Chinese
# analyzer) to search with it instead of the embedded bigram index.
GOVPORTAL_PUBLIC_SEARCH_BACKEND = os.environ.get("GOVPORTAL_PUBLIC_SEARCH_BACKEND", "")
# The public front end (frontend/, docs/FRONTEND-NEEDS.md): purge calls on publish and the
# draft preview. The purge secret is shared with the front end's GOVPORTAL_PURGE_SECRET (or
# GOVPORTAL_PURGE_SECRET_FILE); development generates one per installation in .purge-secret.
GOVPORTAL_FRONTEND_URL = os.environ.get("GOVPORTAL_FRONTEND_URL", "http://127.0.0.1:8080").rstrip("/")
GOVPORTAL_FRONTEND_PURGE_URLS = [
    u.strip().rstrip("/")
    for u in os.environ.get("GOVPORTAL_FRONTEND_PURGE_URLS", "http://127.0.0.1:8080").split(",")
    if u.strip()
]
GOVPORTAL_PURGE_SECRET = os.environ.get("GOVPORTAL_PURGE_SECRET", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by all worker processes: question rate limits and spent challenges. Both need an
    # atomic add and increment: the database cache (table created by every migrate) embedded,
    # Redis (GOVPORTAL_REDIS_URL, with maxmemory-policy noeviction) for several hosts.
    "api_ratelimit": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["GOVPORTAL_REDIS_URL"],
        }
        if os.environ.get("GOVPORTAL_REDIS_URL")
        else {
            "BACKEND": "govportal.cache.AtomicDatabaseCache",
            "LOCATION": "govportal_cache",
            # Culling could forget a spent challenge: expired rows go first, and the limit is
            # far above what the rate limits let through in a challenge's 30 minutes.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    ),
}
# Draft previews (govportal/api/preview.py): the editor's unsaved content for an hour, shared
# by every worker process of the host (the admin and the preview API may be different workers).
CACHES["preview"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": os.environ.get("GOVPORTAL_PREVIEW_CACHE_DIR", "/tmp/govportal-preview"),
    "TIMEOUT": 3600,
}

# Confidentiality scanner limits (moderation/scanning): per attachment, the unpacked size, the
# time and the number of findings; per item, the time for all attachments together (below
# gunicorn's default 30 s timeout). Hitting one is itself a finding that blocks submission.
GOVPORTAL_SCAN_MAX_UNPACKED_BYTES = int(os.environ.get("GOVPORTAL_SCAN_MAX_UNPACKED_BYTES", 256 * 2**20))
GOVPORTAL_SCAN_SECONDS_PER_FILE = float(os.environ.get("GOVPORTAL_SCAN_SECONDS_PER_FILE", "15"))
GOVPORTAL_SCAN_SECONDS_PER_ITEM = float(os.environ.get("GOVPORTAL_SCAN_SECONDS_PER_ITEM", "25"))
GOVPORTAL_SCAN_MAX_FINDINGS_PER_FILE = int(os.environ.get("GOVPORTAL_SCAN_MAX_FINDINGS_PER_FILE", "500"))

# The public API's response cache and search memos (govportal/api/cache.py). Keys carry the
# public content version, so a publish invalidates every entry in every process at once. The
# embedded default needs no server: each worker process keeps its own, bounded in entries.
# Production with several workers or hosts points GOVPORTAL_PUBLIC_CACHE_URL at Redis
# (redis://127.0.0.1:6379/1; give it `maxmemory` and `maxmemory-policy allkeys-lru`), so a URL
# is rendered once per publish for all of them.
# Entries of the embedded cache per process; 0 turns the response cache off (benchmarks measure
# the work behind it; search memos stay on).
GOVPORTAL_API_CACHE_ENTRIES = int(os.environ.get("GOVPORTAL_API_CACHE_ENTRIES", "20000"))
# The API's per-request catalogue statements are prepared once per PostgreSQL connection
# (govportal/api/statements.py); set GOVPORTAL_API_PREPARED_STATEMENTS=0 behind a connection
# pooler in transaction mode (PgBouncer), which does not keep a session's prepared statements.
GOVPORTAL_API_PREPARED_STATEMENTS = os.environ.get("GOVPORTAL_API_PREPARED_STATEMENTS", "1") != "0"


def public_cache(url):
    """The "public" cache: Redis at `url`, else a per-process LocMem bounded in entries (a
    listing or detail body is a few KB, so about 100 MB at most per worker)."""
    if url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "TIMEOUT": 86400}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "govportal-public",
        "TIMEOUT": 86400,
        "OPTIONS": {"MAX_ENTRIES": max(GOVPORTAL_API_CACHE_ENTRIES, 2000), "CULL_FREQUENCY": 4},
    }


GOVPORTAL_PUBLIC_CACHE_URL = os.environ.get("GOVPORTAL_PUBLIC_CACHE_URL", "")
CACHES["public"] = public_cache(GOVPORTAL_PUBLIC_CACHE_URL)

# Disclosure index number (索引号): pattern fields are org_code, year and serial.
# Working days within which a public question (群众留言) must be answered (the bureau's setting;
# the inspection veto is 3 months).
GOVPORTAL_QUESTION_REPLY_WORKING_DAYS = int(os.environ.get("GOVPORTAL_QUESTION_REPLY_WORKING_DAYS", "10"))
GOVPORTAL_INDEX_NUMBER_PATTERN = os.environ.get(
    "GOVPORTAL_INDEX_NUMBER_PATTERN", "{org_code}/{year}-{serial:05d}"
)

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "govportal@localhost"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Failures and lockouts are in the security audit trail (accounts.SecurityEvent).
    "loggers": {"axes": {"level": "ERROR"}},
}

# public_api.PublicDocument's listing index INCLUDEs page_id for PostgreSQL; SQLite indexes carry
# the row id anyway, so the ignored INCLUDE is expected there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
