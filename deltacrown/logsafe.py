"""Keep one-time account keys, and what templates were given, out of log lines.

Email-confirmation and password-reset links carry their key in the URL path,
and both Django (``Not Found: <path>``, ``Internal Server Error: <path>``) and
gunicorn (the access log, ``Error handling request <uri>``) write paths to logs.
A template's context holds the CSRF token, the form's data and the signed-in
player, and Django's template log quotes all of it.
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
    """A logging filter that masks account keys in the message and the traceback.

    The traceback is rendered here, once, and kept on the record (as
    logging.Formatter would), so the formatter that writes it gets the masked
    text, since an exception's message can quote the path as well.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a filter that raises fails the request
            # Arguments that do not fit the message: the JSON formatter writes
            # the bare message alone, so that is what needs masking.
            message = record.msg = str(record.msg)
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_TRACEBACKS = logging.Formatter()


class OmitTemplateContexts(logging.Filter):
    """A logging filter that drops the exception from django.template's lines.

    At DEBUG, Django logs each variable a template could not resolve. The line
    itself names the variable and the template, which is what a reader needs;
    its exception's message is the whole template context.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.template" and record.levelno == logging.DEBUG:
            record.exc_info = record.exc_text = None
        return True
