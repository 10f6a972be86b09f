import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .account_security import client_address, end_all_sessions
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
