"""Counting profile views for the home page's "popular this week".

A viewer counts once a day for each profile they open: a signed-in player by
account, a visitor by their address (kept only as a hash, in the cache, for a
day). Owners looking at their own page never count. The count is a ranking
aid, not an audit: when the cache is down nothing is counted.

Each process also remembers the views it counted in the last few minutes, so
a viewer's repeat visits (a refresh, the next page of matches) cost no cache
round trip there. What it remembers the cache holds too, so no view is
counted twice; if the cache is emptied meanwhile, a repeat visit within
those minutes goes uncounted.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from profiles.account_security import client_address

from .models import ProfileViews

logger = logging.getLogger(__name__)

DAY = 24 * 60 * 60
REMEMBERED_VIEWS = 4096
REMEMBERED_SECONDS = 10 * 60

_counted_lately: OrderedDict[str, float] = OrderedDict()
_counted_lately_lock = threading.Lock()


def record_view(request, profile_id: int, owner_id: int) -> None:
    """Count this request's viewer for this profile, once a day."""
    user = request.user
    if user.is_authenticated and user.pk == owner_id:
        return
    who = f"user:{user.pk}" if user.is_authenticated else client_address(request)
    day = timezone.localdate()
    seen = hashlib.sha256(f"{day}|{profile_id}|{who}".encode()).hexdigest()[:32]
    if _counted_here_lately(seen):
        return
    try:
        first_today = cache.add(f"profile-viewed:{seen}", 1, DAY)
    except Exception:
        logger.warning("Profile view not counted, cache unavailable")
        return
    _remember_counted(seen)
    if not first_today:
        return
    rows = ProfileViews.objects.filter(profile_id=profile_id, day=day)
    if rows.update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ProfileViews.objects.create(profile_id=profile_id, day=day, views=1)
    except IntegrityError:
        # Another request made today's row first.
        rows.update(views=F("views") + 1)


def _counted_here_lately(seen: str) -> bool:
    with _counted_lately_lock:
        counted_at = _counted_lately.get(seen)
    return counted_at is not None and time.monotonic() - counted_at < REMEMBERED_SECONDS


def _remember_counted(seen: str) -> None:
    with _counted_lately_lock:
        _counted_lately[seen] = time.monotonic()
        _counted_lately.move_to_end(seen)
        while len(_counted_lately) > REMEMBERED_VIEWS:
            _counted_lately.popitem(last=False)


def forget_counted_lately() -> None:
    """Forget what this process remembers counting (for an emptied cache)."""
    with _counted_lately_lock:
        _counted_lately.clear()
