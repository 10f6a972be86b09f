"""Settings shared by every environment; each environment file imports these."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "deltacrown",
    "home",
    "profiles",
    "moderation",
    "deletions",
    "payouts",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_prometheus",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # First of our own, so every log line of the request (and Sentry) has its ID.
    "deltacrown.request_id.RequestIdMiddleware",
    "deltacrown.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "deltacrown.middleware.SessionActivityMiddleware",
    "deltacrown.middleware.PrivateByDefaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "deltacrown.csp.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "deltacrown.urls"
WSGI_APPLICATION = "deltacrown.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.site_settings.settings",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing when two requests that
    # read first both try to write; WAL lets readers carry on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DJANGO_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def keep_redis_clients(config: dict) -> dict:
    """Django's Redis backend, as deltacrown.cache's subclass that reuses clients."""
    if config.get("BACKEND") == DJANGO_REDIS_CACHE:
        config["BACKEND"] = "deltacrown.cache.RedisCache"
    return config


CACHES = {
    "default": keep_redis_clients(
        env.cache("CACHE_URL", default="locmemcache://deltacrown")
    )
}

AUTH_USER_MODEL = "profiles.User"
AUTHENTICATION_BACKENDS = [
    "profiles.auth_backends.ProfileModelBackend",
    "profiles.auth_backends.ProfileAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "profiles:me"

# Accounts (django-allauth). The username policy lives in profiles/usernames.py.
# The site's own address: links in emails (password reset, email confirmation)
# are built from it, never from the Host header of the request that sent them.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Days a player can cancel an account deletion before a moderator may approve it.
DELETION_GRACE_DAYS = env.int("DELETION_GRACE_DAYS", default=14)
ACCOUNT_ADAPTER = "profiles.adapters.AccountAdapter"
ACCOUNT_FORMS = {"reset_password": "profiles.account_forms.ResetPasswordForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up, sign-in and reset answer alike whether or not an address or account
# exists; the address's owner learns the rest by email.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "profiles.usernames.USERNAME_VALIDATORS"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DeltaCrown] "
ACCOUNT_SESSION_REMEMBER = None
# Changing email addresses or two-factor settings, and saving wallet numbers,
# first asks for the password (or a second-factor code) again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
# Budgets counted in the default cache, which every app server shares. Many
# players reach the site through carrier-grade NAT, one address for thousands of
# phones, so per-address budgets stay generous; the tight ones are per account
# (key: the typed login or email address) or per signed-in player.
# The two sign-in budgets can be raised from the environment for a load test
# that signs in many times from one address; production keeps these defaults.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("LOGIN_RATE_LIMIT", default="30/m/ip"),
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="20/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# How many proxies we run in front of the app (load balancer, nginx). The
# client address is the entry that many places from the right of
# X-Forwarded-For; with 0 the header is ignored, since anyone can write it.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DeltaCrown"
# Signed-in requests refresh their session's record (address, browser, last
# seen), so the sessions page lists every session however it began and a
# suspension can end them all. deltacrown.middleware.SessionActivityMiddleware
# does it at most once a minute per session and client; allauth's own
# middleware, which would do it on every request, is left out.
USERSESSIONS_TRACK_ACTIVITY = True

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="DeltaCrown <noreply@deltacrown.gg>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("bn", "বাংলা")]
TIME_ZONE = "Asia/Dhaka"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Settings endpoints take small JSON bodies; avatars come as multipart uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000  # the Wagtail page editor posts many fields

CSRF_FAILURE_VIEW = "deltacrown.errors.csrf_failure"

# Content-Security-Policy for the public site. Alpine.js runs from its CSP build,
# so neither inline script nor eval is needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Videos an editor embeds in a news article (wagtail.embeds).
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.twitch.tv",
            "https://www.facebook.com",
        ],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The Wagtail admin's own policy (deltacrown.csp.CSPMiddleware picks it by path).
# Its templates and widgets write inline <script> blocks (inline panels, date
# pickers) and style attributes, image uploads preview from blob: URLs, and the
# page editor frames its own preview, so those four are relaxed here only.
ADMIN_CONTENT_SECURITY_POLICY = {
    "URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-ancestors": ["'self'"],
    },
}
# Admin avatars would otherwise come from Gravatar: a third party the policy
# does not allow, and one that would learn a hash of each editor's email.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Browser features the site never uses, switched off for it and anything it
# embeds. Sign-in uses TOTP codes, not passkeys, so WebAuthn is off too.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ]
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Scripts read the CSRF token from the form they submit, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Wagtail
WAGTAIL_SITE_NAME = "DeltaCrown"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False

# The product's own knobs.
DELTACROWN = {
    "PROFILE_PAGE_SIZE": env.int("PROFILE_PAGE_SIZE", default=10),
    "AVATAR_MAX_BYTES": 2 * 1024 * 1024,
    "AVATAR_MAX_SIDE": 4096,
    # Settings saves a player may make per window: (count, seconds).
    "SETTINGS_RATE_LIMIT": (
        env.int("SETTINGS_RATE_LIMIT", default=30),
        env.int("SETTINGS_RATE_WINDOW", default=60),
    ),
}

# One line per event, each naming its request (deltacrown/request_id.py):
# readable text here, one JSON object a line in production (production.py).
# Email-confirmation and password-reset keys travel in URL paths, which Django
# writes to the log on errors, and Django's template log quotes whole template
# contexts (CSRF token, form data): the console handler masks both.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "deltacrown.request_id.RequestIdFilter"},
        "redact_account_keys": {"()": "deltacrown.logsafe.RedactAccountKeys"},
        "omit_template_contexts": {"()": "deltacrown.logsafe.OmitTemplateContexts"},
    },
    "formatters": {
        "line": {
            "class": "deltacrown.logformat.LineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "deltacrown.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": [
                "request_id",
                "omit_template_contexts",
                "redact_account_keys",
            ],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "deltacrown": {"level": env("LOG_LEVEL", default="INFO")},
        "profiles": {"level": env("LOG_LEVEL", default="INFO")},
        "home": {"level": env("LOG_LEVEL", default="INFO")},
        "security": {"level": "INFO"},
    },
}

# Metrics
# Prometheus scrapes /metrics with "Authorization: Bearer <METRICS_TOKEN>";
# without a token set, the page does not exist. Under several gunicorn workers,
# PROMETHEUS_MULTIPROC_DIR (read by prometheus_client itself) names the
# directory the workers' counts meet in; see deltacrown/metrics.py.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "METRICS_TOKEN must be 32 or more random characters, for example from: "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'."
    )
# Bucket edges at the alert thresholds (1 s for settings, 2 s for profiles), so
# the p95 alerts compare against an edge rather than a guess between two.
PROMETHEUS_LATENCY_BUCKETS = (
    0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0,
    float("inf"),
)  # fmt: skip
# django-prometheus counts queries, errors and connections through its own
# PostgreSQL engine, a subclass of Django's; deltacrown.postgresql extends it
# with a health check that costs no query. SQLite keeps Django's engine, which
# the other settings files recognise by name.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "deltacrown.postgresql"
# Django logs every CSRF rejection to django.security.csrf; this counts them.
LOGGING["handlers"]["csrf_rejections"] = {
    "class": "deltacrown.metrics.CsrfRejectionCounter",
    "level": "WARNING",
}
LOGGING["loggers"]["django.security.csrf"] = {
    "handlers": ["csrf_rejections"],
    "level": "WARNING",
}

# Error monitoring
# Sentry starts here, once the settings it reads are known; it stays off
# without SENTRY_DSN. Imported here, not at the top, to keep it with its call.
from deltacrown.sentry import init_sentry  # noqa: E402

init_sentry(env, base_dir=BASE_DIR, debug=DEBUG)
