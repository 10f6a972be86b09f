"""Liveness and readiness for load balancers and orchestrators.

Probes arrive every few seconds from every balancer, so neither answer is
cached, logged or traced per request: readiness logs a line only when a
component starts or stops failing.
"""

import logging
import threading
from http import HTTPStatus

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

# The probes' paths, for anything that should leave them out (traces, metrics).
PROBE_PATHS = frozenset({"/healthz", "/readyz"})
CACHE_KEY = "readyz"

_failing: frozenset[str] = frozenset()
_failing_lock = threading.Lock()


class CacheReadBackFailed(Exception):
    """The cache accepted a value but did not give it back."""


def healthz(request):
    """The process is up and answering."""
    return _probe_answer({"status": "ok"}, HTTPStatus.OK)


def readyz(request):
    """The database and the cache both answer; a 503 names each one that did not."""
    errors = {}
    for component, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            check()
        except Exception as error:  # whatever a dependency raises, it is not ready
            errors[component] = type(error).__name__
    _log_changes(errors)

    checks = {
        component: "unavailable" if component in errors else "ok"
        for component in ("database", "cache")
    }
    if errors:
        body = {"status": "unavailable", "checks": checks, "failed": sorted(errors)}
        return _probe_answer(body, HTTPStatus.SERVICE_UNAVAILABLE)
    return _probe_answer({"status": "ok", "checks": checks}, HTTPStatus.OK)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    # Every process writes the same value, so concurrent probes cannot disagree.
    cache.set(CACHE_KEY, "ok", 30)
    if cache.get(CACHE_KEY) != "ok":
        raise CacheReadBackFailed


def _log_changes(errors: dict[str, str]) -> None:
    """One line when a component starts failing and one when it recovers."""
    global _failing
    now = frozenset(errors)
    with _failing_lock:
        before, _failing = _failing, now
    for component in sorted(now - before):
        logger.warning(
            "Readiness check failing component=%s error=%s",
            component,
            errors[component],
        )
    for component in sorted(before - now):
        logger.info("Readiness check passing again component=%s", component)


def _probe_answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx answer as an error ("Service Unavailable: /readyz");
    # a balancer probing every few seconds would bury the log, and _log_changes
    # has already said what changed. This is the flag Django itself sets once
    # it has logged a response.
    response._has_been_logged = True
    return response
