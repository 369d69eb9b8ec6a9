import os

from .base import *  # noqa: F403
from .base import installation_secret

DEBUG = True
# Generated on first run and kept out of git (.secret-key, .purge-secret): a development
# installation never signs with a key that is published anywhere.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or installation_secret("secret-key")
GOVPORTAL_PURGE_SECRET = os.environ.get("GOVPORTAL_PURGE_SECRET") or installation_secret("purge-secret")
