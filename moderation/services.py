"""What moderators and reporting players do, each in one transaction.

Every moderator action also lands in Wagtail's audit log (who, what, when), and
logs one line without personal data.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail.log_actions import log

from profiles import profile_cache
from profiles.models import Profile, User, WalletSettings

from .models import Report, Suspension

logger = logging.getLogger(__name__)
security_logger = logging.getLogger("security")


class ActionRefused(Exception):
    """The rules do not allow this; the message says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def report_profile(reporter: Profile, profile: Profile, reason: str, note: str = ""):
    """Queue a report about a profile for the moderators.

    A reporter has at most one open report per profile: reporting again while
    one waits is refused, so nobody can flood the queue.
    """
    if reporter.pk == profile.pk:
        raise ActionRefused("You can't report your own profile.")
    if reason not in Report.Reason.values:
        raise ActionRefused("Choose a reason from the list.")
    if len(note) > Report.NOTE_MAX_LENGTH:
        raise ActionRefused(f"Keep the note under {Report.NOTE_MAX_LENGTH} characters.")
    waiting = Report.objects.filter(reporter=reporter, status=Report.Status.OPEN)
    if waiting.count() >= Report.OPEN_PER_REPORTER:
        raise ActionRefused(
            f"You have {Report.OPEN_PER_REPORTER} reports waiting for the "
            "moderators. You can send more once they have looked at them."
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, profile=profile, reason=reason, note=note
            )
    except IntegrityError:
        raise ActionRefused(
            "You have already reported this profile. The moderators will look at it."
        ) from None
    logger.info(
        "Report filed report=%s reporter=%s profile=%s reason=%s",
        report.pk,
        reporter.public_id,
        profile.public_id,
        reason,
    )
    return report


def suspend_player(
    user: User, moderator: User, reason: str, ends_at: datetime | None = None
) -> Suspension:
    """Bar a player from signing in, until ``ends_at`` or until lifted.

    Switching ``is_active`` off through save() ends every session at once
    (profiles.signals) and bumps the profile's cached pages.
    """
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Give a reason for the suspension.")
    if ends_at is not None and ends_at <= timezone.now():
        raise ActionRefused("The end of a suspension must be in the future.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_superuser or user.is_staff:
            raise ActionRefused("Staff accounts can't be suspended here.")
        Suspension.objects.in_force().filter(user=user).update(
            lifted_at=timezone.now(), lifted_by=moderator
        )
        suspension = Suspension.objects.create(
            user=user, reason=reason, ends_at=ends_at, created_by=moderator
        )
        user.is_active = False
        user.save(update_fields=["is_active"])
        log(
            user.profile,
            "moderation.suspend",
            user=moderator,
            data={
                "suspension": suspension.pk,
                "ends_at": ends_at.isoformat() if ends_at else None,
            },
        )
    _bump_profile(user)
    security_logger.info(
        "Player suspended user_id=%s by=%s until=%s",
        user.pk,
        moderator.pk,
        ends_at.isoformat() if ends_at else "lifted",
    )
    return suspension


def lift_suspension(user: User, moderator: User | None = None) -> bool:
    """Let a suspended player sign in again; early by a moderator, or when it ends.

    Returns whether anything was lifted.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        lifted = Suspension.objects.filter(user=user, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=moderator
        )
        if not lifted:
            return False
        user.is_active = True
        user.save(update_fields=["is_active"])
        action = "lift_suspension" if moderator else "suspension_ended"
        log(user.profile, f"moderation.{action}", user=moderator)
    _bump_profile(user)
    security_logger.info(
        "Suspension lifted user_id=%s by=%s",
        user.pk,
        moderator.pk if moderator else "end-date",
    )
    return True


def lift_if_ended(user: User) -> bool:
    """Lift a suspension whose end date has passed. Called when the player signs in.

    An account switched off with no suspension record (in the Django admin,
    say) stays off.
    """
    if user.is_active:
        return False
    suspensions = Suspension.objects.filter(user=user, lifted_at__isnull=True)
    if not suspensions.exists() or suspensions.in_force().exists():
        return False
    return lift_suspension(user)


def current_suspension(user: User) -> Suspension | None:
    """The suspension keeping this player out, if any."""
    return Suspension.objects.in_force().filter(user=user).first()


def resolve_report(
    report: Report,
    moderator: User,
    outcome: str,
    note: str,
    suspension_ends_at: datetime | None = None,
) -> Report:
    """Close a report: dismiss it, warn the player by email, or suspend them.

    A report already resolved (by another moderator a moment ago) is refused.
    """
    if outcome not in (
        Report.Status.DISMISSED,
        Report.Status.WARNED,
        Report.Status.SUSPENDED,
    ):
        raise ActionRefused("Choose dismiss, warn or suspend.")
    note = note.strip()
    if not note:
        raise ActionRefused("Add a note saying why.")
    if len(note) > Report.NOTE_MAX_LENGTH:
        raise ActionRefused(f"Keep the note under {Report.NOTE_MAX_LENGTH} characters.")
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("profile__user")
            .get(pk=report.pk)
        )
        if report.status != Report.Status.OPEN:
            raise ActionRefused("This report has already been resolved.")
        if report.profile.user_id == moderator.pk:
            raise ActionRefused("Another moderator must decide a report about you.")
        if outcome == Report.Status.SUSPENDED:
            suspend_player(
                report.profile.user, moderator, note, ends_at=suspension_ends_at
            )
        report.status = outcome
        report.resolved_by = moderator
        report.resolved_at = timezone.now()
        report.resolution_note = note
        report.save(
            update_fields=["status", "resolved_by", "resolved_at", "resolution_note"]
        )
        log(
            report,
            f"moderation.report.{outcome}",
            user=moderator,
            data={"profile": report.profile.public_id},
        )
        if outcome == Report.Status.WARNED:
            player = report.profile.user
            transaction.on_commit(lambda: _send_warning(player, report))
    logger.info(
        "Report resolved report=%s outcome=%s by=%s", report.pk, outcome, moderator.pk
    )
    return report


def _send_warning(player: User, report: Report) -> None:
    context = {"player": player, "report": report}
    send_mail(
        render_to_string("moderation/email/warning_subject.txt", context).strip(),
        render_to_string("moderation/email/warning_message.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [player.email],
    )


def reveal_wallet_number(moderator: User, profile: Profile, method: str) -> str:
    """A player's full wallet number for one method, recorded in the audit log.

    The caller checks the permission; the number goes to the moderator's page
    only, never to a log line.
    """
    if method not in WalletSettings.Method.values:
        raise ActionRefused("Choose bKash, Nagad or Rocket.")
    wallet = WalletSettings.objects.filter(profile=profile).first()
    number = wallet.number(method) if wallet else ""
    if not number:
        raise ActionRefused("The player has no number for this method.")
    log(
        profile,
        "moderation.reveal_wallet_number",
        user=moderator,
        data={"method": method},
    )
    security_logger.info(
        "Wallet number revealed profile=%s method=%s by=%s",
        profile.public_id,
        method,
        moderator.pk,
    )
    return number


def _bump_profile(user: User) -> None:
    profile_cache.bump([user.profile.pk])
