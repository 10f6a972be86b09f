"""A fixed-window request budget kept in the shared cache."""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(key: str, limit: int, window: int) -> bool:
    """Count one more request against ``key``; False once ``limit`` is spent."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    try:
        try:
            # Most requests find their window open: one round trip.
            return cache.incr(bucket) <= limit
        except ValueError:
            pass  # the window's first request
        if cache.add(bucket, 1, timeout=window + 1):
            return True
        # Another request opened the window meanwhile.
        return cache.incr(bucket) <= limit
    except ValueError:
        # The window ended between add and incr; this request opens the next one.
        return True
    except Exception:  # noqa: BLE001 - a cache outage must not lock players out
        logger.warning("Rate limit unavailable key=%s", key.split(":", 1)[0])
        return True
