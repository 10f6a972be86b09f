"""One ID per request: on every log line, in the response, and on the Sentry report.

A load balancer or the client may send an ``X-Request-ID``; it is kept only when
it is a short token, because it is copied into log lines and a response header.
Anything else (too long, a line break, other characters) gets a new ID, so an
operator can always go from a response or a log line to the Sentry event.

This module is imported while logging is configured, before Django's apps are
ready: nothing at import time may read a setting or a model.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

import sentry_sdk

HEADER = "X-Request-ID"
SENTRY_TAG = "request_id"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The ID of the request being answered, or None outside a request."""
    return _current.get()


def request_id_from(header: str | None) -> str:
    """The incoming header's ID when it is a safe token, else a new one."""
    if header is not None and SAFE_REQUEST_ID.fullmatch(header):
        # Imported here: this module loads with the logging settings, before
        # Django is ready.
        from deltacrown.sentry import WALLET_NUMBER

        # The ID reaches the logs and Sentry as it is, so one that reads as a
        # player's mobile number is not taken.
        if not WALLET_NUMBER.search(header):
            return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give the request its ID (``request.request_id``), and answer with it.

    The ID stays current until the response is closed, not only while the
    middleware runs: Django logs a refused request ("Bad Request: /path")
    after the middleware chain has returned, and that line belongs to the
    request too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        _current.set(request_id)
        if sentry_sdk.is_initialized():
            # The isolation scope is this request's own under Sentry's middleware.
            sentry_sdk.get_isolation_scope().set_tag(SENTRY_TAG, request_id)

        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget_request_id(sender=None, **kwargs) -> None:
    """Clear the ID once the response is closed (Django's request_finished)."""
    _current.set(None)


def connect_signals() -> None:
    """Clear the ID when each request ends; DeltaCrownConfig.ready() calls it."""
    from django.core.signals import request_finished

    request_finished.connect(
        forget_request_id, dispatch_uid="deltacrown.request_id.forget"
    )


class RequestIdFilter(logging.Filter):
    """A logging filter that stamps each record with its request's ID (or None)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _current.get()
        return True
