import logging

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .companions import create_companions
from .discovery import reindex_profiles
from .models import Profile

logger = logging.getLogger(__name__)


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
