import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.search import signal_handlers as search_signals

from . import profile_cache
from .account_security import client_address, end_all_sessions
from .companions import create_companions
from .discovery import reindex_profiles
from .models import (
    Achievement,
    Block,
    Follow,
    Game,
    GameProfile,
    Match,
    MatchParticipant,
    PrivacySettings,
    Profile,
    SocialLink,
    Team,
    TeamMembership,
    UserAchievement,
    WalletTransaction,
)

logger = logging.getLogger(__name__)
security_logger = logging.getLogger("security")


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    """Give every new account its profile and companion rows.

    User.save() runs inside a transaction, so an account never exists without
    them.
    """
    if raw:
        return
    if created:
        profile = Profile.objects.create(
            user=instance,
            slug=instance.username.lower(),
            display_name=instance.get_full_name() or instance.username,
        )
        create_companions(profile)
        logger.info("Profile created public_id=%s", profile.public_id)
    elif (
        hasattr(instance, "profile")
        and instance.profile.slug != instance.username.lower()
    ):
        Profile.objects.filter(user=instance).update(slug=instance.username.lower())
        # The profile is indexed for search under its username; update() sends
        # no signal, so re-index it here.
        reindex_profiles([instance.profile.pk])
        profile_cache.bump([instance.profile.pk])


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def end_sessions_of_suspended_player(sender, instance, created, raw=False, **kwargs):
    """A suspended account (is_active off) is signed out everywhere at once.

    Its sessions are deleted from the session store, not merely refused, so
    lifting the suspension later does not bring them back. Code that suspends
    with ``update()`` sends no signal and must call end_all_sessions itself.
    """
    if raw or created or instance.is_active:
        return
    ended = end_all_sessions(instance)
    if ended:
        security_logger.info(
            "Sessions ended for suspended account user_id=%s sessions=%s",
            instance.pk,
            ended,
        )


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials=None, request=None, **kwargs):
    """A wrong password, on the sign-in page, the admin's or re-authentication.

    The login that was typed is left out: it is an email address as often as
    not, and it may be someone's password typed into the wrong box.
    """
    client = client_address(request) if request is not None else "unknown"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        security_logger.warning(
            "Re-authentication failed user_id=%s client=%s", user.pk, client
        )
    else:
        path = request.path if request is not None else "unknown"
        security_logger.warning("Sign-in failed path=%s client=%s", path, client)


# The fields of a profile whose change alters its search index entry.
INDEXED_PROFILE_FIELDS = {"display_name", "slug", "user"}


@receiver(post_save, sender=Profile)
def reindex_profile(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the search index in step with a profile's names, and only then."""
    if update_fields is None or INDEXED_PROFILE_FIELDS & set(update_fields):
        search_signals.post_save_signal_handler(instance, raw=raw)


@receiver(post_delete, sender=Profile)
def unindex_profile(sender, instance, **kwargs):
    search_signals.post_delete_signal_handler(instance)


# Cached profile pages (profiles.profile_cache): every change that could alter
# what anyone sees of a profile bumps that profile's version.


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def forget_pages_of_account(
    sender, instance, created=False, raw=False, update_fields=None, **kwargs
):
    """A renamed, suspended or restored account changes its page and its follows'.

    Follower counts leave out suspended players, so suspending one changes the
    counts on the pages of everyone they follow or who follows them.
    """
    if (
        raw
        or created
        or (
            update_fields is not None
            and not {"username", "is_active"} & set(update_fields)
        )
    ):
        return
    profile_id = (
        Profile.objects.filter(user_id=instance.pk).values_list("pk", flat=True).first()
    )
    if profile_id is not None:
        profile_cache.bump([profile_id, *_connected(profile_id)])


@receiver(post_save, sender=Profile)
@receiver(post_delete, sender=Profile)
def forget_pages_of_profile(sender, instance, raw=False, **kwargs):
    if not raw:
        profile_cache.bump([instance.pk])


@receiver(post_save, sender=PrivacySettings)
@receiver(post_delete, sender=PrivacySettings)
def forget_pages_after_privacy_change(
    sender, instance, raw=False, update_fields=None, **kwargs
):
    """Privacy is part of every cache key; a hidden player also leaves counts."""
    if raw:
        return
    ids = [instance.profile_id]
    if update_fields is None or "profile_visibility" in update_fields:
        ids += _connected(instance.profile_id)
    profile_cache.bump(ids)


@receiver(post_save, sender=Follow)
@receiver(post_delete, sender=Follow)
@receiver(post_save, sender=Block)
@receiver(post_delete, sender=Block)
def forget_pages_of_both_sides(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender is Follow:
        profile_cache.bump([instance.follower_id, instance.followee_id])
    else:
        profile_cache.bump([instance.blocker_id, instance.blocked_id])


@receiver(post_save, sender=WalletTransaction)
@receiver(post_delete, sender=WalletTransaction)
@receiver(post_save, sender=SocialLink)
@receiver(post_delete, sender=SocialLink)
@receiver(post_save, sender=GameProfile)
@receiver(post_delete, sender=GameProfile)
@receiver(post_save, sender=UserAchievement)
@receiver(post_delete, sender=UserAchievement)
@receiver(post_save, sender=TeamMembership)
@receiver(post_delete, sender=TeamMembership)
@receiver(post_save, sender=MatchParticipant)
@receiver(post_delete, sender=MatchParticipant)
def forget_pages_of_owner(sender, instance, raw=False, **kwargs):
    """A link, passport, trophy, team place, match or ledger entry changed."""
    if not raw:
        profile_cache.bump([instance.profile_id])


@receiver(post_save, sender=Match)
def forget_pages_of_players(sender, instance, created, raw=False, **kwargs):
    """An edited match changes the history of everyone who played it."""
    if raw or created:
        return
    profile_cache.bump(
        MatchParticipant.objects.filter(match=instance).values_list(
            "profile_id", flat=True
        )
    )


@receiver(post_save, sender=Game)
@receiver(post_delete, sender=Game)
@receiver(post_save, sender=Achievement)
@receiver(post_delete, sender=Achievement)
@receiver(post_save, sender=Team)
@receiver(post_delete, sender=Team)
def forget_all_pages(sender, instance, raw=False, **kwargs):
    """Games, trophies and teams are shown on many pages; edits are rare."""
    if not raw:
        profile_cache.bump_all()


def _connected(profile_id: int) -> list[int]:
    """Everyone whose follower or following count may include this profile."""
    # Requests too: an owner's page counts the requests waiting for them.
    rows = Follow.objects.filter(
        Q(follower_id=profile_id) | Q(followee_id=profile_id)
    ).values_list("follower_id", "followee_id")
    return [pk for pair in rows for pk in pair if pk != profile_id]
