"""Keep one-time account keys out of log lines.

Email-confirmation and password-reset links carry their key in the URL path,
and both Django (``Not Found: <path>``, ``Internal Server Error: <path>``) and
gunicorn (the access log, ``Error handling request <uri>``) write paths to logs.
"""

import logging
import re

# allauth's /accounts/confirm-email/<key>/ and /accounts/password/reset/key/<key>/
# ("done/" is the page after a reset, not a key).
ACCOUNT_KEY_IN_PATH = re.compile(
    r"(/accounts/(?:confirm-email|password/reset/key)/)(?!done/)[^/?#\s\"]+"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """Return ``text`` with the keys of account links replaced by a marker."""
    return ACCOUNT_KEY_IN_PATH.sub(rf"\1{REDACTED}", text)


class RedactAccountKeys(logging.Filter):
    """A logging filter that masks account keys in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
