"""Runtime settings of the public site, read from the environment once at start-up."""

import os
from dataclasses import dataclass

DEFAULT_API_URL = "http://127.0.0.1:8000/api/v2/"
# A request body larger than this is refused (413) before it is read: the question form is the
# largest thing the public sends.
DEFAULT_MAX_BODY_BYTES = 256 * 1024


def purge_secret_from_env(env):
    """GOVPORTAL_PURGE_SECRET, or the contents of GOVPORTAL_PURGE_SECRET_FILE (`make run`
    points it at the CMS's generated .purge-secret). There is no built-in default."""
    if env.get("GOVPORTAL_PURGE_SECRET"):
        return env["GOVPORTAL_PURGE_SECRET"]
    path = env.get("GOVPORTAL_PURGE_SECRET_FILE")
    if path:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    return ""


@dataclass(frozen=True)
class Settings:
    api_url: str = DEFAULT_API_URL
    # Shared with the CMS: it signs purge calls on publish/unpublish. `python -m frontend`
    # refuses to start without one; empty (tests, export) disables the endpoint.
    purge_secret: str = ""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # The CMS admin's origin, the only one that may frame /_preview/ (default: the API's).
    admin_origin: str = ""
    hsts_seconds: int = 365 * 24 * 3600
    # Reverse proxies (nginx) in front of this site: only from them is X-Forwarded-For believed,
    # so each citizen, not the proxy, is what the CMS's per-address limits count.
    trusted_proxies: tuple = ()
    # How long an API answer or rendered page is served without asking the CMS again.
    cache_ttl: float = 30.0
    # How long an old answer may still be served while the CMS is down or slow.
    stale_ttl: float = 24 * 3600.0
    api_timeout: float = 5.0
    page_size: int = 20
    # Static export: forms that need a server (search, questions, filters) are left out.
    static_export: bool = False
    # Other addresses the CMS writes into file and image URLs (GOVPORTAL_API_MEDIA_BASE_URL on
    # the CMS side), rewritten to this site's own paths like the API's own address.
    cms_origins: tuple = ()

    @classmethod
    def from_env(cls, **overrides):
        env = os.environ
        values = dict(
            api_url=env.get("GOVPORTAL_API_URL", DEFAULT_API_URL),
            purge_secret=purge_secret_from_env(env),
            max_body_bytes=int(env.get("GOVPORTAL_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)),
            admin_origin=env.get("GOVPORTAL_ADMIN_ORIGIN", ""),
            trusted_proxies=tuple(
                a.strip() for a in env.get("GOVPORTAL_TRUSTED_PROXIES", "").split(",") if a.strip()
            ),
            cache_ttl=float(env.get("GOVPORTAL_CACHE_TTL", cls.cache_ttl)),
            stale_ttl=float(env.get("GOVPORTAL_STALE_TTL", cls.stale_ttl)),
            api_timeout=float(env.get("GOVPORTAL_API_TIMEOUT", cls.api_timeout)),
            cms_origins=tuple(
                o.strip().rstrip("/") for o in env.get("GOVPORTAL_CMS_ORIGINS", "").split(",") if o.strip()
            ),
        )
        values.update(overrides)
        if not values["api_url"].endswith("/"):
            values["api_url"] += "/"
        return cls(**values)
