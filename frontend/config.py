"""Runtime settings of the public site, read from the environment once at start-up."""

import os
from dataclasses import dataclass

DEFAULT_API_URL = "http://127.0.0.1:8000/api/v2/"
# The development purge secret, the same default as the CMS's GOVPORTAL_PURGE_SECRET so that
# `make run` purges out of the box. Deployments set their own on both sides.
DEV_PURGE_SECRET = "govportal-dev-purge-secret"


@dataclass(frozen=True)
class Settings:
    api_url: str = DEFAULT_API_URL
    # Shared with the CMS: it signs purge calls on publish/unpublish. Empty disables the endpoint,
    # leaving the short TTL as the only freshness guarantee. From the environment, the default is
    # DEV_PURGE_SECRET (GOVPORTAL_PURGE_SECRET="" disables).
    purge_secret: str = ""
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
            purge_secret=env.get("GOVPORTAL_PURGE_SECRET", DEV_PURGE_SECRET),
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
