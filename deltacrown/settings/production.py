"""Production: everything from the environment; refuses to start half-configured.

Each refusal is an ImproperlyConfigured that names the variable to set. None
repeats the value it read, so a secret cannot reach a log through it.
"""

import copy
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, LOGGING, env, keep_redis_clients


def required(name: str, what: str) -> str:
    """The variable's value, or a refusal saying what it should hold."""
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production: {what}.")
    return value


DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off in production: unset it or set DEBUG=false."
    )

SECRET_KEY = required("SECRET_KEY", "a random string of 50 or more characters")
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be a random string of 50 or more characters, for example "
        "from: python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
# Old keys, newest first, so sessions and links signed before a key rotation
# stay valid until they expire.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set in production: the host names the site answers "
        "to, separated by commas (deltacrown.gg,www.deltacrown.gg)."
    )

# The public origin, used in emails and by the Wagtail admin for links.
SITE_URL = required(
    "SITE_URL", "the site's public origin, such as https://deltacrown.gg"
)
SITE_URL = SITE_URL.rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname or _site.path:
    raise ImproperlyConfigured(
        "SITE_URL must be an origin with no path, such as https://deltacrown.gg."
    )
if not validate_host(_site.hostname, ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        f"SITE_URL names the host {_site.hostname}, which ALLOWED_HOSTS must list."
    )
WAGTAILADMIN_BASE_URL = SITE_URL
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# base.py has read both already; production only insists that they are given,
# so that data never lands in a SQLite file or emails on a console by accident.
required("DATABASE_URL", "postgres://user:password@host:5432/deltacrown")
required("EMAIL_URL", "smtp+tls://user:password@host:587, or consolemail://")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Rate limits and sessions count for the whole site only when every app process
# sees the same cache: Redis across machines, a folder on a single machine.
_cache = env.cache_url_config(
    required("CACHE_URL", "redis://host:6379/0, or filecache:///path/to/folder")
)
if _cache["BACKEND"] in {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}:
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache that all app processes share (redis:// or "
        "filecache://): a locmem or dummy cache lives inside one process."
    )
CACHES = {"default": keep_redis_clients(_cache)}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# collectstatic writes the hashed, compressed files here and whitenoise serves
# them; every page (the error pages too) needs its manifest.
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off only for a plain-HTTP run on loopback (make serve).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers and Prometheus reach these over plain HTTP inside the network
# (/metrics still asks for its bearer token).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# One JSON object a line, for the log collector: a traceback is one field of
# its line, never lines of its own. The console handler keeps base.py's filters,
# which name the request and mask account keys.
LOGGING = copy.deepcopy(LOGGING)
LOGGING["handlers"]["console"]["formatter"] = "json"
