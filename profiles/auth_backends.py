"""Sign-in backends that load a signed-in player's profile with their account.

Nearly every page a signed-in player opens names their profile (the menu's
link to their page, the settings, the follow buttons), so the account and the
profile come back in the one query Django makes per request for the user.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from allauth.account.auth_backends import AuthenticationBackend

from deltacrown.statements import Statement
from moderation.services import lift_if_ended

# Compiled once per process: this query runs on every signed-in request.
ACCOUNT_WITH_PROFILE = Statement(
    lambda pk: (
        get_user_model()._default_manager.select_related("profile").filter(pk=pk)[:1]
    ),
    pk=-7_000_000_001,
)


class ProfileJoinedMixin:
    def get_user(self, user_id):
        try:
            user = ACCOUNT_WITH_PROFILE.first(pk=int(user_id))
        except (TypeError, ValueError):
            return None
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        # Asked only after the right password: a suspension whose end date
        # has passed is lifted here, so the player is let in at once.
        if not user.is_active and lift_if_ended(user):
            user.is_active = True
        return super().user_can_authenticate(user)


class ProfileModelBackend(ProfileJoinedMixin, ModelBackend):
    """Django's username and password sign-in (the admin, the test client)."""


class ProfileAuthenticationBackend(ProfileJoinedMixin, AuthenticationBackend):
    """allauth's sign-in by username or email, with its rate limits."""
