"""Settings for the GovPortal side of benchmarks/api_bench.py: the dev settings without DEBUG
(as the stock side, benchmarks/api_stock_settings.py), so neither side records its queries."""

from govportal.settings.dev import *  # noqa: F403

DEBUG = False
