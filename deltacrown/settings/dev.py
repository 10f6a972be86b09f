"""Local development: SQLite, console email, debug pages."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine here: this file is never used in production, where
# production.py refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-deltacrown")  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
