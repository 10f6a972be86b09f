"""Taka as people write it, poisha as the ledger keeps it."""

from decimal import ROUND_DOWN, Decimal


def to_poisha(taka: Decimal) -> int:
    """Whole poisha in an amount of taka (at most two decimals, as forms allow)."""
    return int((taka * 100).to_integral_value(rounding=ROUND_DOWN))


def taka(poisha: int) -> str:
    """An amount as 1,500.50, with the minus sign of a debit."""
    sign = "-" if poisha < 0 else ""
    whole, part = divmod(abs(poisha), 100)
    return f"{sign}{whole:,}.{part:02d}"
