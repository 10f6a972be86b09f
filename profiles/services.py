"""The things players do to one another, each in one transaction with one log line.

The HTML views, the JSON views and the admin all call these.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from .companions import companion
from .models import Block, Follow, Profile

logger = logging.getLogger(__name__)


class ActionRefused(Exception):
    """A player asked for something the rules do not allow; the message says why."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def follow(follower: Profile, followee: Profile) -> str:
    """Follow a player, or ask to when they approve followers. Safe to repeat."""
    if follower.pk == followee.pk:
        raise ActionRefused("You can't follow yourself.")
    if Block.objects.filter(
        Q(blocker=follower, blocked=followee) | Q(blocker=followee, blocked=follower)
    ).exists():
        raise ActionRefused("You can't follow this player.", status=403)

    wants_approval = companion(followee, "privacy").approve_followers
    status = Follow.Status.PENDING if wants_approval else Follow.Status.ACCEPTED
    try:
        with transaction.atomic():
            relation, created = Follow.objects.get_or_create(
                follower=follower, followee=followee, defaults={"status": status}
            )
    except IntegrityError:
        # Two clicks raced; the other one created it.
        relation = Follow.objects.get(follower=follower, followee=followee)
        created = False
    if created:
        logger.info(
            "Follow %s follower=%s followee=%s",
            "requested" if relation.status == Follow.Status.PENDING else "started",
            follower.public_id,
            followee.public_id,
        )
    return relation.status


def unfollow(follower: Profile, followee: Profile) -> None:
    """Stop following a player, or withdraw a request. Safe to repeat."""
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        logger.info(
            "Follow ended follower=%s followee=%s",
            follower.public_id,
            followee.public_id,
        )
