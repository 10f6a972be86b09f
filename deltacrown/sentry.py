"""Error reports to Sentry: set up from the environment, scrubbed before they leave.

Sentry is on only when ``SENTRY_DSN`` is set. Every event, breadcrumb and trace
passes through ``scrub_event`` on its way out, which removes wallet numbers,
emails, passwords, tokens, cookies, account keys and profile usernames wherever
they appear, by the name of the field that holds them and by the look of the
value. A report that cannot be scrubbed is dropped, never sent as it was.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import got_request_exception

import environ
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.utils import BadDsn, Dsn

from deltacrown.logsafe import redact

logger = logging.getLogger(__name__)

FILTERED = "[Filtered]"
DEV_SETTINGS = "deltacrown.settings.dev"

# A field whose name contains one of these holds something that never leaves.
SENSITIVE_PARTS = (
    "password", "passwd", "secret", "token", "key", "csrf", "xsrf", "session",
    "cookie", "auth", "credential", "signature", "mail", "wallet", "number",
    "phone", "mobile", "msisdn", "bkash", "nagad", "rocket", "dsn", "login",
    "username", "recovery", "totp", "ip_address", "remote_addr", "forwarded",
    "real_ip",
)  # fmt: skip
# Names matched whole: too short to look for inside other names ("code" is the
# MFA form's field), or a person's name ("name" alone is also Sentry's own).
SENSITIVE_NAMES = frozenset(
    {"code", "otp", "pin", "pwd", "ip", "sid", "display_name", "first_name",
     "last_name", "full_name"}
)  # fmt: skip

# Sentry's own identifiers, timestamps and metadata (the trace's sampling
# context, an exception's errno), and source lines (code, not data): left as
# they are, so events still group and link up.
EVENT_METADATA = frozenset(
    {
        "event_id", "timestamp", "start_timestamp", "received", "release", "dist",
        "environment", "platform", "level", "type", "logger", "server_name", "sdk",
        "modules", "debug_meta", "_meta", "transaction_info", "measurements",
    }
)  # fmt: skip
# The request ID tag is ours: a uuid4 hex, or a caller's token that
# deltacrown.request_id checked, shown in every log line of the request.
UNTOUCHED_KEYS = frozenset(
    {
        "event_id", "trace_id", "span_id", "parent_span_id", "timestamp",
        "start_timestamp", "dynamic_sampling_context", "mechanism",
        "pre_context", "context_line", "post_context", "request_id",
    }
)  # fmt: skip

_PARTS = "|".join(SENSITIVE_PARTS)
# "'password': 'x'" and '"token": "x"', as reprs and JSON put them.
QUOTED_PAIR = re.compile(
    rf"""(?i)(['"])([\w.-]*(?:{_PARTS})[\w.-]*)\1(\s*:\s*)"""
    r"""("[^"]*"|'[^']*'|\[[^\]]*\]|[^,}\s]+)"""
)
# "password=x", "Authorization: Bearer x", and query strings ("?email=...&...").
KEY_VALUE = re.compile(
    rf"""(?i)(?<![\w-])([\w.-]*(?:{_PARTS})[\w.-]*)(\s*[=:]\s*)"""
    r"""((?:(?:Bearer|Basic|Digest|Token)\s+)?(?:"[^"]*"|'[^']*'|[^\s&;,'"]+))"""
)
EMAIL = re.compile(r"[\w.!#$%&*+?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Bangladeshi mobile numbers however they are typed: 01712345678, +8801712345678,
# 8801712345678, +880 1712-345678, (+88) 017-1234-5678, and in Bengali digits.
_SEP = r"[\s()\-]{0,3}"
WALLET_NUMBER = re.compile(
    rf"(?<!\d)(?:\(?(?:\+|00){_SEP})?(?:[8৮]{_SEP}[8৮]{_SEP})?"
    rf"[0০]{_SEP}[1১]{_SEP}[3-9৩-৯](?:{_SEP}\d){{8}}(?!\d)"
)
# Session keys, CSRF tokens, API keys: long runs of letters mixed with digits.
TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[^\W\d_])[\w-]{32,}(?![\w-])")
# /@username/ in a URL; the public ID tag says which profile it was.
PROFILE_PATH = re.compile(r"""(/@)(?!\{)[^/?#\s"'{}]+""")
# A SHA-1 or SHA-256 commit name.
COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def init_sentry(env: environ.Env, *, base_dir: Path, debug: bool) -> bool:
    """Start reporting errors to Sentry if SENTRY_DSN is set; True when started."""
    options = sentry_options(env, base_dir=base_dir, debug=debug)
    if options is None:
        return False

    # Connected before the SDK connects its own receiver, so the tags are on the
    # scope by the time it captures the error.
    got_request_exception.connect(
        _tag_failed_request, dispatch_uid="deltacrown.sentry.tag_failed_request"
    )
    sentry_sdk.init(**options)
    # A warning about a dropped report must not become a breadcrumb of its own.
    ignore_logger(__name__)
    # Scanners send made-up Host headers all day; each would be an event.
    ignore_logger("django.security.DisallowedHost")
    return True


def sentry_options(env: environ.Env, *, base_dir: Path, debug: bool) -> dict | None:
    """The keyword arguments for sentry_sdk.init, or None when no DSN is set."""
    dsn = env.str("SENTRY_DSN", default="").strip()
    if not dsn:
        return None
    try:
        Dsn(dsn)
    except BadDsn:
        # The DSN is not repeated: it is a credential.
        raise ImproperlyConfigured(
            "SENTRY_DSN is not a Sentry DSN; copy it from the project's "
            "Client Keys page (https://<key>@<host>/<project>)."
        ) from None

    environment = env.str("SENTRY_ENVIRONMENT", default="").strip()
    if not environment:
        if os.environ.get("DJANGO_SETTINGS_MODULE") == DEV_SETTINGS:
            # dev.py turns DEBUG on by default, after base.py has called this.
            debug = env.bool("DEBUG", default=True)
        environment = "development" if debug else "production"
    release = env.str("SENTRY_RELEASE", default="").strip() or git_commit(base_dir)
    return {
        "dsn": dsn,
        "environment": environment,
        "release": release or None,
        "traces_sampler": TracesSampler(_sample_rate(env)),
        # Transactions are named by URL pattern (/@{username}/), not by the path.
        "integrations": [DjangoIntegration(transaction_style="url")],
        # send_default_pii stays unset, which means off: no user, IP address or
        # cookies are collected. This SDK version deprecates setting it at all
        # (in favour of data_collection), so it is not spelled out as False.
        # Settings posts (a few hundred bytes) are kept, scrubbed, to show what
        # was sent; avatar uploads and the page editor's long posts are not.
        "max_request_body_size": "medium",
        "include_local_variables": True,
        "in_app_include": ["deltacrown", "home", "profiles"],
        # The site calls no services of its own; third parties (oEmbed providers)
        # get no trace headers.
        "trace_propagation_targets": [],
        "custom_repr": short_repr,
        "before_send": before_send,
        "before_send_transaction": before_send_transaction,
        "before_breadcrumb": before_breadcrumb,
    }


def _sample_rate(env: environ.Env) -> float:
    raw = env.str("SENTRY_TRACES_SAMPLE_RATE", default="0.1").strip()
    try:
        rate = float(raw)
    except ValueError:
        rate = -1.0
    if not 0 <= rate <= 1:
        raise ImproperlyConfigured(
            "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1, such as 0.1."
        )
    return rate


def git_commit(base_dir: Path) -> str | None:
    """The commit checked out at base_dir, or None when git cannot say."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        # A fixed command with no shell; only the working directory varies.
        result = subprocess.run(  # noqa: S603
            [git, "rev-parse", "HEAD"],
            cwd=base_dir,
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    if result.returncode != 0 or not COMMIT.fullmatch(commit):
        return None
    return commit


# Machines' requests, made every few seconds: not worth a trace.
UNTRACED_PATHS = frozenset({"/metrics"})


class TracesSampler:
    """Trace a share of requests, never health probes, scrapes or static files."""

    def __init__(self, rate: float):
        self.rate = rate

    def __call__(self, sampling_context: dict) -> float:
        from django.conf import settings

        from deltacrown.health import PROBE_PATHS

        path = (sampling_context.get("wsgi_environ") or {}).get("PATH_INFO", "")
        if path in PROBE_PATHS | UNTRACED_PATHS or path.startswith(settings.STATIC_URL):
            return 0.0
        parent_sampled = sampling_context.get("parent_sampled")
        if parent_sampled is not None:
            return float(parent_sampled)
        return self.rate


def before_send(event: dict, hint: dict) -> dict | None:
    return _scrubbed_or_dropped(event, "error")


def before_send_transaction(event: dict, hint: dict) -> dict | None:
    return _scrubbed_or_dropped(event, "transaction")


def before_breadcrumb(crumb: dict, hint: dict) -> dict | None:
    return _scrubbed_or_dropped(crumb, "breadcrumb")


def _scrubbed_or_dropped(data: dict, kind: str) -> dict | None:
    try:
        return scrub_event(data)
    except Exception as error:  # anything at all: a report we cannot clean stays here
        logger.warning(
            "Error report dropped, scrubbing failed kind=%s error=%s",
            kind,
            type(error).__name__,
        )
        return None


def scrub_event(event: Mapping) -> dict:
    """A copy of a Sentry event or breadcrumb without personal data or secrets."""
    return {
        key: value if key in EVENT_METADATA else _scrub(value, key)
        for key, value in event.items()
    }


def is_sensitive_key(name: str) -> bool:
    """True for a field name that says its value is a secret or personal data."""
    normal = name.lower().replace("-", "_")
    return normal in SENSITIVE_NAMES or any(part in normal for part in SENSITIVE_PARTS)


def scrub_text(text: str) -> str:
    """The text with secrets, emails, wallet numbers and account keys replaced."""
    text = redact(text)
    text = QUOTED_PAIR.sub(rf"\1\2\1\3{FILTERED}", text)
    text = KEY_VALUE.sub(rf"\1\2{FILTERED}", text)
    text = EMAIL.sub(FILTERED, text)
    text = WALLET_NUMBER.sub(FILTERED, text)
    text = TOKEN.sub(FILTERED, text)
    return PROFILE_PATH.sub(rf"\1{FILTERED}", text)


def _scrub(value, key=None):
    if key is not None:
        name = str(key)
        if name in UNTOUCHED_KEYS:
            return value
        if is_sensitive_key(name):
            return value if value is None else FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {
            (scrub_text(name) if isinstance(name, str) else name): _scrub(item, name)
            for name, item in value.items()
        }
    if isinstance(value, list | tuple):
        if _is_pairs(value):
            # Headers and query strings in list form: [["Cookie", "..."], ...].
            return [[name, _scrub(item, name)] for name, item in value]
        return [_scrub(item) for item in value]
    return value


def _is_pairs(items) -> bool:
    return bool(items) and all(
        isinstance(item, list | tuple) and len(item) == 2 and isinstance(item[0], str)
        for item in items
    )


def short_repr(value) -> str | None:
    """Model instances by class and primary key, not by __str__ (names, emails)."""
    from django.db.models import Model

    if isinstance(value, Model):
        return f"<{value.__class__.__name__} pk={value.pk}>"
    return None


# Views about the signed-in player's own profile, whatever the URL says.
OWN_PROFILE_VIEWS = frozenset({"settings", "settings-section", "me", "follow-requests"})


def request_tags(request, *, may_query: bool = True) -> dict[str, str]:
    """The view, and for profile and settings views the profile and viewer's role.

    Only the profile's public ID names it; the role is the viewer's relation to
    that profile (anonymous, member, follower, owner). Finding them may cost a
    query or two, so ``may_query=False`` (the database is what failed) names the
    view only.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    tags = {"view": match.view_name}
    if match.namespace != "profiles" or not may_query:
        return tags

    from profiles.privacy import relationship
    from profiles.profile_page import get_profile

    user = getattr(request, "user", None)
    if user is None:
        return tags
    if match.url_name in OWN_PROFILE_VIEWS:
        if user.is_authenticated:
            tags["profile.public_id"] = user.profile.public_id
            tags["viewer.role"] = "owner"
        else:
            tags["viewer.role"] = "anonymous"
    elif "username" in match.kwargs:
        profile = get_profile(match.kwargs["username"])
        if profile is not None:
            tags["profile.public_id"] = profile.public_id
            tags["viewer.role"] = relationship(profile, user).role.name.lower()
    return tags


def tag_request(request, *, may_query: bool = True) -> None:
    """Put request_tags on the current request's Sentry scope."""
    tags = request_tags(request, may_query=may_query)
    scope = sentry_sdk.get_isolation_scope()
    for name, value in tags.items():
        scope.set_tag(name, value)
    if "viewer.role" in tags:
        scope.set_context(
            "profile",
            {
                "public_id": tags.get("profile.public_id"),
                "viewer_role": tags["viewer.role"],
            },
        )


def _tag_failed_request(sender, request=None, **kwargs) -> None:
    """Name the profile and the viewer's role on the report of an unhandled error."""
    if request is None or not sentry_sdk.is_initialized():
        return
    from django.db import DatabaseError

    try:
        tag_request(request, may_query=not isinstance(sys.exc_info()[1], DatabaseError))
    except Exception as error:  # the error report matters more than its tags
        logger.warning("Error report left untagged error=%s", type(error).__name__)
