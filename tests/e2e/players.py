"""The players the browser tests sign in as, written into the site's database.

Run inside the site's own settings (the fixture calls it through `manage.py
shell`), once, after `seed_demo`: each journey gets players of its own, so the
journeys do not depend on each other's order.
"""

from allauth.account.models import EmailAddress

from profiles.models import Audience, User

PASSWORD = "e2e-Browser-pass-2026"

# username: privacy changes made before the browser arrives.
PLAYERS = {
    "settings_sadia": {},
    "nojs_nadia": {},
    "balance_babul": {},
    "locks_lamia": {},
    "follow_farhan": {},
    "follow_omar": {},
    "follow_tania": {"approve_followers": True, "achievements": Audience.FOLLOWERS},
    "nojs_follower": {},
    "nojs_followee": {"approve_followers": True, "teams": Audience.FOLLOWERS},
    "nojs_omar": {},
    "reset_rumana": {},
}


def create() -> None:
    """Create every player above with a confirmed email address and PASSWORD."""
    for username, privacy in PLAYERS.items():
        user = User.objects.create_user(
            username=username, email=f"{username}@example.com", password=PASSWORD
        )
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        profile = user.profile
        profile.display_name = username.replace("_", " ").title()
        profile.save()
        if privacy:
            for name, value in privacy.items():
                setattr(profile.privacy, name, value)
            profile.privacy.save()
