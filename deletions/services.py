"""Requesting, cancelling, approving and rejecting account deletion.

Approval erases the player's personal data and keeps the rows other people's
records lean on: the profile row stays (named "Deleted player", hidden, its
account unable to sign in) so match results and the wallet ledger keep their
player, and the accounting stays whole.
"""

from __future__ import annotations

import logging
import uuid

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail.log_actions import log

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from profiles import profile_cache
from profiles.account_security import end_all_sessions
from profiles.models import (
    Block,
    Follow,
    GameProfile,
    PrivacySettings,
    Profile,
    ProfileVisibility,
    SocialLink,
    User,
    WalletSettings,
)

from .models import DeletionRequest, grace_period

logger = logging.getLogger(__name__)

DELETED_NAME = "Deleted player"


class DeletionRefused(Exception):
    """A deletion step that cannot be taken now, with a sentence for a person."""


@transaction.atomic
def request_deletion(user: User) -> DeletionRequest:
    """Ask for the account to be erased; asking twice keeps the first request."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    existing = DeletionRequest.objects.filter(user=locked).first()
    if existing is not None and existing.is_pending:
        return existing
    if existing is not None and existing.status == DeletionRequest.Status.APPROVED:
        raise DeletionRefused("This account has already been deleted.")

    now = timezone.now()
    deletion = existing or DeletionRequest(user=locked)
    deletion.status = DeletionRequest.Status.REQUESTED
    deletion.requested_at = now
    deletion.grace_ends_at = now + grace_period()
    deletion.decided_by = None
    deletion.decided_at = None
    deletion.note = ""
    deletion.save()

    log(deletion, "deletions.request", user=locked)
    logger.info("Deletion requested user_id=%s request_id=%s", user.pk, deletion.pk)
    return deletion


@transaction.atomic
def cancel_deletion(user: User) -> DeletionRequest:
    """Withdraw a pending request; the account stays as it was."""
    deletion = _pending_for_update(DeletionRequest.objects.filter(user_id=user.pk))
    deletion.status = DeletionRequest.Status.CANCELLED
    deletion.save(update_fields=["status"])

    log(deletion, "deletions.cancel", user=user)
    logger.info("Deletion cancelled user_id=%s request_id=%s", user.pk, deletion.pk)
    return deletion


@transaction.atomic
def approve_deletion(deletion_id: int, moderator: User) -> DeletionRequest:
    """Erase the account's personal data for good; only after the grace period."""
    deletion = _pending_for_update(DeletionRequest.objects.filter(pk=deletion_id))
    now = timezone.now()
    if deletion.in_grace_period(now):
        raise DeletionRefused(
            "The player can still cancel this request; approve it once the "
            "grace period has ended."
        )

    erase_account(deletion.user_id)
    deletion.status = DeletionRequest.Status.APPROVED
    deletion.decided_by = moderator
    deletion.decided_at = now
    deletion.save(update_fields=["status", "decided_by", "decided_at"])

    log(deletion, "deletions.approve", user=moderator)
    logger.info(
        "Deletion approved user_id=%s request_id=%s moderator_id=%s",
        deletion.user_id,
        deletion.pk,
        moderator.pk,
    )
    return deletion


@transaction.atomic
def reject_deletion(deletion_id: int, moderator: User, note: str) -> DeletionRequest:
    """Refuse a pending request, saying why; the account stays as it was."""
    note = note.strip()
    if not note:
        raise DeletionRefused("Say why the request is rejected; the note is kept.")
    deletion = _pending_for_update(DeletionRequest.objects.filter(pk=deletion_id))
    deletion.status = DeletionRequest.Status.REJECTED
    deletion.decided_by = moderator
    deletion.decided_at = timezone.now()
    deletion.note = note
    deletion.save(update_fields=["status", "decided_by", "decided_at", "note"])

    log(deletion, "deletions.reject", user=moderator)
    logger.info(
        "Deletion rejected user_id=%s request_id=%s moderator_id=%s",
        deletion.user_id,
        deletion.pk,
        moderator.pk,
    )
    return deletion


def _pending_for_update(queryset) -> DeletionRequest:
    deletion = queryset.select_for_update().first()
    if deletion is None or not deletion.is_pending:
        raise DeletionRefused("There is no pending deletion request.")
    return deletion


def erase_account(user_id: int) -> None:
    """Remove a player's personal data; the caller holds the transaction.

    Kept: the profile row (hidden, named "Deleted player") with its match
    results, trophies, team places and wallet ledger, which other players'
    records and the accounts refer to.
    """
    user = User.objects.select_for_update().get(pk=user_id)
    profile = Profile.objects.get(user=user)
    follows = Follow.objects.filter(Q(follower=profile) | Q(followee=profile))
    others = {
        pk
        for pair in follows.values_list("follower_id", "followee_id")
        for pk in pair
        if pk != profile.pk
    }
    avatar_name = profile.avatar.name

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    SocialLink.objects.filter(profile=profile).delete()
    GameProfile.objects.filter(profile=profile).delete()
    follows.delete()
    Block.objects.filter(Q(blocker=profile) | Q(blocked=profile)).delete()
    WalletSettings.objects.filter(profile=profile).update(
        bkash_number="", nagad_number="", rocket_number="", preferred_method=""
    )
    PrivacySettings.objects.filter(profile=profile).update(
        profile_visibility=ProfileVisibility.HIDDEN, searchable=False
    )

    profile.display_name = DELETED_NAME
    profile.bio = ""
    profile.avatar = ""
    profile.country = ""
    profile.save()

    user.username = f"deleted-{uuid.uuid4().hex[:12]}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    end_all_sessions(user)

    profile_cache.bump([profile.pk, *others])
    if avatar_name:
        # The file goes only once the erasure is committed: a rollback keeps it.
        transaction.on_commit(lambda: default_storage.delete(avatar_name))
