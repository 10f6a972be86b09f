"""Payout claims counted by outcome, for the Prometheus page.

Labels come from the fixed list below, never from what a player typed.
"""

from prometheus_client import Counter

CLAIM_OUTCOMES = ("claimed", "too_small", "too_large", "refused", "paid", "rejected")

PAYOUT_CLAIMS = Counter(
    "deltacrown_payout_claims",
    "Payout claims by outcome: claimed, refused (too_small, too_large or "
    "refused for another reason), then paid or rejected by a moderator.",
    ["outcome"],
)


def record_claim(outcome: str) -> None:
    """Count one payout claim event with its outcome."""
    if outcome not in CLAIM_OUTCOMES:
        raise ValueError(f"{outcome!r} is not a known payout outcome for metrics.")
    PAYOUT_CLAIMS.labels(outcome=outcome).inc()
