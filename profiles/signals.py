import logging

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .account_security import end_all_sessions
from .companions import create_companions
from .discovery import reindex_profiles
from .models import Profile

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
