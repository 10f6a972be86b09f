"""The test suite: fast hashing, in-memory email, a fresh cache per run."""

import os
import tempfile
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env, keep_redis_clients

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": keep_redis_clients(env.cache("CACHE_URL", default="locmemcache://tests"))
}
if CACHES["default"]["BACKEND"] == "deltacrown.cache.RedisCache":
    # cache.clear() empties a whole Redis database, so each pytest-xdist worker
    # (gw0, gw1, ...) gets a database of its own; the server has 64.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw").removeprefix("gw")
    server = urlsplit(CACHES["default"]["LOCATION"])
    database = (int(worker or 0) + 1) % 64
    CACHES["default"]["LOCATION"] = server._replace(path=f"/{database}").geturl()
STORAGES = {
    **STORAGES,
    # Tests render templates without running collectstatic first.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Sessions live where production keeps them: in the cache, backed by the
# database, so the suite counts the queries a page really costs.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
ACCOUNT_RATE_LIMITS = False  # test_account_ratelimits.py switches them on
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files are found through the finders, as in development; the suite
# never runs collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The suite saves settings far faster than a person; the limit has its own test.
DELTACROWN = {**DELTACROWN, "SETTINGS_RATE_LIMIT": (10_000, 60)}  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that tests with several threads get one database
    # and real locking; pytest-xdist gives each worker its own copy.
    # The process id keeps two suites running side by side apart.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"deltacrown-test-{os.getpid()}.db")
    }
