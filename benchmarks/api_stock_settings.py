"""Settings for the stock Wagtail API v2 side of benchmarks/api_bench.py (same database)."""

from govportal.settings.dev import *  # noqa: F403

ROOT_URLCONF = "api_stock_urls"
DEBUG = False
