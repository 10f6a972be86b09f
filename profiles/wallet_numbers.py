"""Bangladeshi mobile-wallet numbers, read as typed and stored as 01XXXXXXXXX."""

import re
import unicodedata

from django.dispatch import Signal

import phonenumbers

# Latin and Bengali digits, and the separators people put between them.
_TYPED = re.compile(r"^[0-9\u09e6-\u09ef \u00a0\-().+]+$")
# After the country code: 1, the operator digit 3 to 9, then eight digits.
_OPERATOR_NUMBER = re.compile(r"^1[3-9]\d{8}$")

# Sent inside the saving transaction when a player sets, changes or removes a
# number, with ``profile`` and ``changes``: {method: (old, new)} as stored.
numbers_changed = Signal()

EXPECTED_FORM = (
    "Enter a Bangladeshi mobile number such as 01712345678 or +880 1712-345678."
)


class NotAWalletNumber(ValueError):
    """The text is not a Bangladeshi mobile number on an operator prefix 3 to 9."""


def normalise(typed: str) -> str:
    """Return the number as 01XXXXXXXXX, or raise NotAWalletNumber."""
    text = typed.strip()
    if not text or len(text) > 32 or not _TYPED.match(text):
        raise NotAWalletNumber(EXPECTED_FORM)
    try:
        number = phonenumbers.parse(text, "BD")
    except phonenumbers.NumberParseException as exc:
        raise NotAWalletNumber(EXPECTED_FORM) from exc
    national = str(number.national_number)
    if (
        number.country_code != 880
        or not _OPERATOR_NUMBER.match(national)
        or not phonenumbers.is_valid_number(number)
    ):
        raise NotAWalletNumber(EXPECTED_FORM)
    return "0" + national


def mask(text: str) -> str:
    """Show a number as 017*****678: enough to recognise, never the whole."""
    digits = "".join(
        str(unicodedata.decimal(char)) for char in text if char.isdecimal()
    )
    if digits.startswith("880"):
        digits = "0" + digits[3:]
    if len(digits) < 10:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]
