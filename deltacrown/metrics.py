"""Prometheus metrics: the product's own counters, the private /metrics page, and
the gunicorn hooks that add several workers' counts together.

django-prometheus measures requests, responses, latency and the database by
view; this module adds what only the product knows. Every label takes a value
from a fixed list of words, never a username or anything a player typed, so the
number of series stays small.

Under gunicorn each worker counts for itself. With PROMETHEUS_MULTIPROC_DIR
naming an empty directory before gunicorn starts, the workers write their
counts there and /metrics adds them up; the gunicorn hooks at the end of this
module keep that directory in order.

This module is imported by gunicorn's master process too (for the hooks), where
Django is not set up: nothing at import time may read a setting or a model.
"""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    multiprocess,
    start_http_server,
)
from prometheus_client.exposition import choose_encoder

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"

security_logger = logging.getLogger("security")

if MULTIPROC_DIR in os.environ and not os.path.isdir(os.environ[MULTIPROC_DIR]):
    # prometheus_client would fail on its first metric with a bare file error.
    raise ImproperlyConfigured(
        f"{MULTIPROC_DIR} must name an existing directory that the app can write "
        f"to (it holds each worker's counts); it names {os.environ[MULTIPROC_DIR]!r}."
    )

# Prometheus does not use the *_created series, and multiprocess mode cannot
# report them; without them one worker and several answer alike.
disable_created_metrics()

PROFILE_ROLES = ("anonymous", "member", "owner")
SETTINGS_OUTCOMES = ("saved", "invalid", "refused", "rate_limited", "error")
FOLLOW_ACTIONS = ("follow", "request", "accept", "decline", "unfollow", "remove")
LOGIN_OUTCOMES = ("success", "failure")
# The privacy label for the profile as a whole; the others are its sections.
WHOLE_PROFILE = "profile"

# Requests that are not pages: probes, the scrape itself.
UNMEASURED_VIEWS = frozenset({"metrics", "healthz", "readyz"})

PROFILE_VIEWS = Counter(
    "deltacrown_profile_views",
    "Profile pages shown, by the viewer: anonymous, member (any signed-in "
    "player but the owner, followers included) or owner.",
    ["role"],
)
SETTINGS_SAVES = Counter(
    "deltacrown_settings_saves",
    "Settings saves (POSTs to /me/settings/<section>/), by section and outcome.",
    ["section", "outcome"],
)
WALLET_VALIDATION_FAILURES = Counter(
    "deltacrown_wallet_validation_failures",
    "Wallet numbers refused by validation.",
)
PRIVACY_CHANGES = Counter(
    "deltacrown_privacy_changes",
    "Audiences changed, by section (or 'profile' for the whole profile) and the "
    "new audience.",
    ["section", "audience"],
)
FOLLOWS = Counter(
    "deltacrown_follows",
    "Follow actions: follow, request, accept, decline, unfollow, remove.",
    ["action"],
)
CSRF_REJECTIONS = Counter(
    "deltacrown_csrf_rejections",
    "Requests refused for a missing or wrong CSRF token.",
)
LOGINS = Counter(
    "deltacrown_logins",
    "Sign-in attempts, by outcome: success or failure.",
    ["outcome"],
)
PASSWORD_RESET_REQUESTS = Counter(
    "deltacrown_password_reset_requests",
    "Password-reset emails asked for (accepted requests, known address or not).",
)
DB_QUERIES = Histogram(
    "deltacrown_db_queries_per_request",
    "Database queries one request made, by view.",
    ["view"],
    buckets=(1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500),
)


def _checked(value: str, allowed, what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not a known {what} for metrics.")
    return value


def _settings_sections():
    from profiles.sections import SECTIONS

    return SECTIONS


def _privacy_audiences() -> dict[str, tuple[str, ...]]:
    """Each privacy label's section and the audiences it may take."""
    from profiles.models import Audience, PrivacySettings, ProfileVisibility

    sections = dict.fromkeys(PrivacySettings.SECTIONS, tuple(Audience.values))
    return {**sections, WHOLE_PROFILE: tuple(ProfileVisibility.values)}


def record_profile_view(role: str) -> None:
    """Count a profile page shown to a viewer in this role."""
    PROFILE_VIEWS.labels(role=_checked(role, PROFILE_ROLES, "viewer role")).inc()


def record_settings_save(section: str, outcome: str) -> None:
    """Count one settings save of a section, with how it ended."""
    SETTINGS_SAVES.labels(
        section=_checked(section, _settings_sections(), "settings section"),
        outcome=_checked(outcome, SETTINGS_OUTCOMES, "settings outcome"),
    ).inc()


def record_wallet_rejection() -> None:
    """Count one wallet number refused by validation."""
    WALLET_VALIDATION_FAILURES.inc()


def record_privacy_change(section: str, audience: str) -> None:
    """Count one privacy audience changed to ``audience``."""
    audiences = _privacy_audiences()
    _checked(section, audiences, "privacy section")
    PRIVACY_CHANGES.labels(
        section=section, audience=_checked(audience, audiences[section], "audience")
    ).inc()


def record_follow(action: str) -> None:
    """Count one follow action."""
    FOLLOWS.labels(action=_checked(action, FOLLOW_ACTIONS, "follow action")).inc()


def record_csrf_rejection() -> None:
    """Count one request refused by the CSRF check."""
    CSRF_REJECTIONS.inc()


def record_login(outcome: str) -> None:
    """Count one sign-in attempt."""
    LOGINS.labels(outcome=_checked(outcome, LOGIN_OUTCOMES, "login outcome")).inc()


def record_password_reset_request() -> None:
    """Count one accepted request for a password-reset email."""
    PASSWORD_RESET_REQUESTS.inc()


# Counting from signals and Django's security log.


class CsrfRejectionCounter(logging.Handler):
    """Counts the CSRF rejections Django logs to ``django.security.csrf``.

    Django logs each rejection there once, whichever path refused it (the
    middleware or a view that runs the check itself).
    """

    def emit(self, record: logging.LogRecord) -> None:
        record_csrf_rejection()


def connect_signals() -> None:
    """Count logins, follows and privacy changes; DeltaCrownConfig.ready() calls it.

    Privacy changes are also written to the security log, from the same
    comparison that counts them.
    """
    from django.contrib.auth.signals import user_logged_in, user_login_failed
    from django.db.models.signals import post_save, pre_save

    from profiles.models import Follow, PrivacySettings

    user_logged_in.connect(_logged_in, dispatch_uid="deltacrown.metrics.logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="deltacrown.metrics.failed")
    post_save.connect(_follow_saved, sender=Follow, dispatch_uid="deltacrown.follows")
    pre_save.connect(
        _privacy_saving, sender=PrivacySettings, dispatch_uid="deltacrown.privacy.pre"
    )
    post_save.connect(
        _privacy_saved, sender=PrivacySettings, dispatch_uid="deltacrown.privacy.post"
    )
    _start_series_at_zero()


def _start_series_at_zero() -> None:
    """Create every known label set at 0.

    A series that first appears at 1 shows no increase to Prometheus's
    increase() and rate(), so the first event after a restart would be lost
    to the alerts.
    """
    for role in PROFILE_ROLES:
        PROFILE_VIEWS.labels(role=role)
    for section in _settings_sections():
        for outcome in SETTINGS_OUTCOMES:
            SETTINGS_SAVES.labels(section=section, outcome=outcome)
    for section, audiences in _privacy_audiences().items():
        for audience in audiences:
            PRIVACY_CHANGES.labels(section=section, audience=audience)
    for action in FOLLOW_ACTIONS:
        FOLLOWS.labels(action=action)
    for outcome in LOGIN_OUTCOMES:
        LOGINS.labels(outcome=outcome)


def _logged_in(sender, **kwargs) -> None:
    record_login("success")


def _login_failed(sender, **kwargs) -> None:
    record_login("failure")


def _follow_saved(sender, instance, created, raw=False, update_fields=None, **kw):
    """A new follow, a new request, or a request accepted.

    Follows that end are deleted rows, which do not say who ended them (an
    unfollow, a decline, a removal); the code ending them calls record_follow().
    """
    if raw:
        return
    if created:
        pending = instance.status == sender.Status.PENDING
        record_follow("request" if pending else "follow")
    elif (
        update_fields is not None
        and "status" in update_fields
        and instance.status == sender.Status.ACCEPTED
    ):
        record_follow("accept")


def _privacy_fields(sender) -> dict[str, str]:
    """Audience-holding field of PrivacySettings -> its metrics label."""
    return {**{name: name for name in sender.SECTIONS}, "profile_visibility": "profile"}


# Read with the audiences in _privacy_saving, to name the profile in the log.
PRIVACY_PUBLIC_ID = "profile__public_id"


def _privacy_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Read the audiences as they stand, to compare once the save is done.

    No query for a row read from the database, which keeps what it read; one
    small query otherwise, which also reads the profile's public ID for the log.
    """
    if raw or instance._state.adding:
        return
    fields = [
        name
        for name in _privacy_fields(sender)
        if update_fields is None or name in update_fields
    ]
    loaded = getattr(instance, "loaded_values", {})
    if fields and all(name in loaded for name in fields):
        # Read from the database already; no need to ask it again.
        instance._audiences_before = {name: loaded[name] for name in fields}
    elif fields:
        instance._audiences_before = (
            sender.objects.filter(pk=instance.pk)
            .values(*fields, PRIVACY_PUBLIC_ID)
            .first()
        )


def _privacy_saved(sender, instance, created, raw=False, **kwargs):
    before = instance.__dict__.pop("_audiences_before", None)
    if created or raw or not before:
        return
    public_id = before.pop(PRIVACY_PUBLIC_ID, None)
    if hasattr(instance, "loaded_values"):
        # The row now holds these; a second save compares against them.
        instance.loaded_values.update(
            {name: getattr(instance, name) for name in before}
        )
    labels = _privacy_fields(sender)
    for name, old in before.items():
        new = getattr(instance, name)
        if new != old:
            record_privacy_change(labels[name], new)
            if public_id is None:
                public_id = _public_id(instance)
            security_logger.info(
                "Privacy changed section=%s audience=%s public_id=%s",
                labels[name],
                new,
                public_id,
            )


def _public_id(privacy) -> str:
    """The public ID of the profile whose privacy changed, for the log line.

    Asked of the database only when the profile is not loaded already, and
    only once a change is known, which is rare next to the saves.
    """
    if type(privacy).profile.is_cached(privacy):
        return privacy.profile.public_id
    return (
        type(privacy)
        .objects.filter(pk=privacy.pk)
        .values_list(PRIVACY_PUBLIC_ID, flat=True)
        .first()
    )


# Per-request measurements.


class _QueryCounter:
    """A database execute wrapper that only counts."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestMetricsMiddleware:
    """Counts each request's database queries, and what the product counts by page.

    Profile views, settings saves and password-reset requests are counted
    from the answer the page gave, so every way a request ends (refused
    before the view, rate-limited, the database down) is counted alike.
    Probes, the scrape itself and static files are left out.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.unmeasured_prefixes = tuple(
            prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix
        )

    def __call__(self, request):
        if request.path.startswith(self.unmeasured_prefixes):
            return self.get_response(request)

        queries = _QueryCounter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(queries))
            response = self.get_response(request)

        match = request.resolver_match
        view = match.view_name if match is not None else "unresolved"
        if view not in UNMEASURED_VIEWS:
            DB_QUERIES.labels(view=view).observe(queries.count)
            _record_page(request, view, response)
        return response


def _record_page(request, view: str, response) -> None:
    method, status = request.method, response.status_code
    if view == "profiles:profile" and method in ("GET", "HEAD") and status == 200:
        record_profile_view(_viewer_role(request))
    elif view == "profiles:settings-section" and method == "POST":
        section = request.resolver_match.kwargs.get("section")
        if section in _settings_sections():
            record_settings_save(section, _save_outcome(request, response))
    elif view == "account_reset_password" and method == "POST" and 300 <= status < 400:
        # allauth redirects once it has accepted the request, whether or not
        # the address belongs to an account; a form it refuses comes back 200.
        record_password_reset_request()


def _viewer_role(request) -> str:
    """anonymous, owner or member, from what the request already knows."""
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    username = request.resolver_match.kwargs.get("username", "")
    return "owner" if user.get_username().lower() == username.lower() else "member"


def _save_outcome(request, response) -> str:
    status = response.status_code
    if not request.user.is_authenticated:
        return "refused"  # 401, or the sign-in page for a browser
    if 300 <= status < 400:
        # A saved form comes back to its own section; any other redirect (to
        # confirm the password first, say) means nothing was saved yet.
        back = urlsplit(response.get("Location", "")).path == request.path
        return "saved" if back else "refused"
    if status < 300:
        return "saved"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "error"
    if status in (400, 413, 415):
        return "invalid"
    return "refused"  # the CSRF check


# The /metrics page.


def metrics_view(request):
    """Prometheus's scrape: with ``Authorization: Bearer <METRICS_TOKEN>`` only.

    To anyone else, and to everyone when METRICS_TOKEN is unset, it is a
    missing page like any other.
    """
    if not _has_metrics_token(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response

    # The text format Prometheus asks for, as prometheus_client's own server does.
    encode, content_type = choose_encoder(request.headers.get("Accept"))
    response = HttpResponse(encode(_registry()), content_type=content_type)
    patch_cache_control(response, no_store=True)
    return response


def _has_metrics_token(request) -> bool:
    expected = settings.METRICS_TOKEN
    if not expected:
        return False
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and constant_time_compare(token.strip(), expected)


def _registry():
    """All workers' counts under multiprocess mode, else this process's own."""
    if MULTIPROC_DIR not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


# gunicorn hooks. site/gunicorn.conf.py assigns them:
#     on_starting = metrics.gunicorn_on_starting
#     when_ready = metrics.gunicorn_when_ready
#     child_exit = metrics.gunicorn_child_exit


def gunicorn_on_starting(server) -> None:
    """Empty the metrics directory of a previous run's counts."""
    path = os.environ.get(MULTIPROC_DIR)
    if not path:
        return
    stale = list(Path(path).glob("*.db"))
    for file in stale:
        file.unlink()
    server.log.info("Metrics directory emptied path=%s files=%d", path, len(stale))


def gunicorn_when_ready(server) -> None:
    """Check the metrics set-up, and serve METRICS_PORT from the master if set.

    The port serves every worker's counts without a token, for a Prometheus
    on a private network; METRICS_ADDR (default 127.0.0.1) is where it listens.
    """
    path = os.environ.get(MULTIPROC_DIR)
    if not path and server.cfg.workers > 1:
        server.log.warning(
            "Metrics: %d workers without %s; each scrape sees one worker's counts",
            server.cfg.workers,
            MULTIPROC_DIR,
        )

    raw_port = os.environ.get("METRICS_PORT", "").strip()
    if not raw_port:
        return
    if not path:
        raise RuntimeError(
            f"METRICS_PORT needs {MULTIPROC_DIR}: the master can only serve the "
            "workers' counts when they write them to that directory."
        )
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise RuntimeError("METRICS_PORT must be a port number from 1 to 65535.")
    address = os.environ.get("METRICS_ADDR", "127.0.0.1")
    try:
        start_http_server(int(raw_port), addr=address, registry=_registry())
    except OSError as error:
        # A re-executed master (USR2) finds the old one still on the port.
        server.log.error(
            "Metrics port not served address=%s port=%s error=%s",
            address,
            raw_port,
            error,
        )
        return
    server.log.info("Metrics served address=%s port=%s", address, raw_port)


def gunicorn_child_exit(server, worker) -> None:
    """Let prometheus_client forget a finished worker's live gauges.

    Its counters stay in the directory, so totals never go backwards.
    """
    if os.environ.get(MULTIPROC_DIR):
        multiprocess.mark_process_dead(worker.pid)
