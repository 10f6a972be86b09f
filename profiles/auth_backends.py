"""Sign-in backends that load a signed-in player's profile with their account.

Nearly every page a signed-in player opens names their profile (the menu's
link to their page, the settings, the follow buttons), so the account and the
profile come back in the one query Django makes per request for the user.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from allauth.account.auth_backends import AuthenticationBackend


class ProfileJoinedMixin:
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ProfileModelBackend(ProfileJoinedMixin, ModelBackend):
    """Django's username and password sign-in (the admin, the test client)."""


class ProfileAuthenticationBackend(ProfileJoinedMixin, AuthenticationBackend):
    """allauth's sign-in by username or email, with its rate limits."""
