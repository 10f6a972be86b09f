"""The game catalogue, which settings forms and pages read on every request.

Editors change it rarely, and every change to a game bumps the version all
profile pages share (profiles.signals), which forgets this copy too.
"""

from . import profile_cache
from .models import Game


def games() -> list[Game]:
    """Every game, in the catalogue's order."""
    return profile_cache.cached_catalogue("games", lambda: list(Game.objects.all()))
