"""The things players do to one another, each in one transaction with one log line.

The HTML views, the JSON views and the admin all call these.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from deltacrown import metrics

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
        metrics.record_follow("unfollow")
        logger.info(
            "Follow ended follower=%s followee=%s",
            follower.public_id,
            followee.public_id,
        )


def accept_follow(owner: Profile, follower: Profile) -> None:
    """Accept a player's request to follow the owner. Safe to repeat."""
    with transaction.atomic():
        relation = (
            Follow.objects.select_for_update()
            .filter(follower=follower, followee=owner)
            .first()
        )
        if relation is None:
            raise ActionRefused("There is no follow request from this player.", 404)
        if relation.status == Follow.Status.ACCEPTED:
            return
        relation.status = Follow.Status.ACCEPTED
        relation.save(update_fields=["status"])

    logger.info(
        "Follow request accepted follower=%s followee=%s",
        follower.public_id,
        owner.public_id,
    )


def decline_follow(owner: Profile, follower: Profile) -> None:
    """Decline a player's request to follow the owner. Safe to repeat."""
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(
            follower=follower, followee=owner, status=Follow.Status.PENDING
        ).delete()

    if deleted:
        metrics.record_follow("decline")
        logger.info(
            "Follow request declined follower=%s followee=%s",
            follower.public_id,
            owner.public_id,
        )


def remove_follower(owner: Profile, follower: Profile) -> None:
    """Stop a player following the owner, or drop their request. Safe to repeat."""
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(follower=follower, followee=owner).delete()

    if deleted:
        metrics.record_follow("remove")
        logger.info(
            "Follower removed follower=%s followee=%s",
            follower.public_id,
            owner.public_id,
        )


def block(blocker: Profile, blocked: Profile) -> None:
    """Block a player: follows both ways end and neither can follow the other."""
    if blocker.pk == blocked.pk:
        raise ActionRefused("You can't block yourself.")

    try:
        with transaction.atomic():
            Follow.objects.filter(
                Q(follower=blocker, followee=blocked)
                | Q(follower=blocked, followee=blocker)
            ).delete()
            _, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        # Two clicks raced; the other one made the block and ended the follows.
        created = False

    if created:
        logger.info(
            "Block created blocker=%s blocked=%s", blocker.public_id, blocked.public_id
        )


def unblock(blocker: Profile, blocked: Profile) -> None:
    """Lift a block the blocker made. Safe to repeat; follows do not come back."""
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()

    if deleted:
        logger.info(
            "Block lifted blocker=%s blocked=%s", blocker.public_id, blocked.public_id
        )
