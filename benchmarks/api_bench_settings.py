"""Settings for the GovPortal side of benchmarks/api_bench.py: the dev settings without DEBUG
(as the stock site's bench settings), so neither side records its queries."""

from govportal.settings.dev import *  # noqa: F403

DEBUG = False
