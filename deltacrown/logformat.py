"""How log lines look: one JSON object a line in production, plain text locally.

Both name the request a line belongs to, from the ``request_id`` that
deltacrown.request_id.RequestIdFilter puts on each record.

This module is imported while logging is configured, before Django's apps are
ready: nothing at import time may read a setting or a model.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """Each record as one JSON object on one line, for a log collector to parse.

    Fields: time (ISO 8601, UTC), level, logger, message, and when they apply
    request_id, exception (the whole traceback as one string) and stack.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info and not record.exc_text:
            # Kept on the record, as logging.Formatter does, so other handlers
            # (and filters that already masked it) share one rendering.
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # ASCII only: every line break in a message or traceback (\n, and the
        # Unicode separators some tools also split on) is escaped, so one record
        # stays one line whatever was logged.
        return json.dumps(entry, ensure_ascii=True, default=str)


class LineFormatter(logging.Formatter):
    """Readable text for a console, ending in ``request_id=...`` inside a request."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        request_id = getattr(record, "request_id", None)
        return f"{line} request_id={request_id}" if request_id else line


def _utc_time(created: float) -> str:
    moment = datetime.fromtimestamp(created, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # noqa: BLE001 - a bad log call must still leave one line
        # The arguments are left out: they are what did not fit, and may hold
        # anything.
        return f"{record.msg} [log arguments did not match the message]"
