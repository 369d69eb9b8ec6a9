"""Settings for the benchmark's stock-Wagtail comparison: the CMS settings (DEBUG off) plus
minimal Django templates that render the same home, column and item pages as the front end."""

from pathlib import Path

from govportal.settings.base import *  # noqa: F403
from govportal.settings.base import TEMPLATES

DEBUG = False
ALLOWED_HOSTS = ["*"]
TEMPLATES[0]["DIRS"] = [Path(__file__).parent / "templates", *TEMPLATES[0]["DIRS"]]
TEMPLATES[0]["OPTIONS"]["builtins"] = ["benchmarks.frontend_stock.tags"]
