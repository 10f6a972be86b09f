"""The username policy, in one place.

A username is 3 to 30 characters of ASCII letters, digits, dots, underscores
and hyphens. It starts and ends with a letter or digit and never has two
punctuation marks in a row. Case is kept for display, but two names that differ
only in case are the same player, and so are names that merely look alike
(``rakib`` and ``rak1b``, ``Iron`` and ``lron``, ``rnim`` and ``mim``). Some names
are reserved for the site itself.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 30

USERNAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*$")

RESERVED = frozenset(
    {
        "about", "abuse", "accounts", "admin", "administrator", "api",
        "deltacrown", "django-admin", "help", "healthz", "login", "logout",
        "me", "media", "metrics", "mod", "moderator", "moderators", "news",
        "official", "password", "readyz", "root", "search", "security",
        "settings", "signin", "signup", "sitemap", "staff", "static",
        "support", "system",
    }
)  # fmt: skip

# Characters that read as one another in most fonts, applied after case folding.
# Names are matched whatever their case, so ``arif`` may be written ``ARIF``,
# whose capital I reads as a small l or a 1: i, l and 1 are one letter here.
_LOOKALIKES = (
    ("rn", "m"),
    ("vv", "w"),
    ("1", "l"),
    ("i", "l"),
    ("0", "o"),
)


def skeleton(username: str) -> str:
    """The form two usernames share when a reader could mistake one for the other."""
    text = unicodedata.normalize("NFKC", username).casefold()
    for seen, meant in _LOOKALIKES:
        text = text.replace(seen, meant)
    return text


def validate_username_shape(value: str) -> None:
    """Refuse a name outside the written policy, saying which rule it breaks."""
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        raise ValidationError(
            f"Usernames are {MIN_LENGTH} to {MAX_LENGTH} characters long.",
            code="length",
        )
    if not value.isascii():
        raise ValidationError(
            "Use only the letters a to z, digits, dots, underscores and hyphens.",
            code="charset",
        )
    if not USERNAME_RE.match(value):
        raise ValidationError(
            "Start and end with a letter or digit, and use dots, underscores "
            "and hyphens one at a time.",
            code="shape",
        )
    if value.casefold() in RESERVED:
        raise ValidationError("That username is reserved.", code="reserved")


USERNAME_VALIDATORS = [validate_username_shape]
