from django.core.cache import cache
from django.test import Client

import pytest

from home import popularity
from tests.factories import (
    PASSWORD,
    GameProfileFactory,
    MatchParticipantFactory,
    SocialLinkFactory,
    TeamMembershipFactory,
    UserAchievementFactory,
    WalletTransactionFactory,
    verified_user,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit windows, cached pages and counted views never carry over
    between tests."""
    cache.clear()
    popularity.forget_counted_lately()
    yield
    cache.clear()
    popularity.forget_counted_lately()


@pytest.fixture
def player(db):
    """A signed-up player with a verified email."""
    return verified_user(username="Rakib")


@pytest.fixture
def player_client(player):
    """Rakib, signed in, who has just confirmed his password again.

    Saving wallet numbers asks for a recent re-authentication.
    """
    client = Client()
    client.force_login(player)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


@pytest.fixture
def csrf_client(player):
    """A signed-in client that enforces CSRF checks as a browser would meet them."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(player)
    return client


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def rich_player(player):
    """Rakib, with something in every section of his profile and a wallet."""
    profile = player.profile
    profile.bio = "Valorant IGL from Chattogram."
    profile.save()
    SocialLinkFactory(profile=profile, url="https://twitch.tv/rakib")
    GameProfileFactory(profile=profile, in_game_name="PhantomBD")
    UserAchievementFactory(profile=profile, achievement__name="Ace Machine")
    TeamMembershipFactory(profile=profile, team__name="Dhaka Dragons")
    MatchParticipantFactory(profile=profile, match__title="Dhaka Open final")
    WalletTransactionFactory(profile=profile, amount_poisha=150_050)
    return player


@pytest.fixture
def moderator(db):
    """A staff member in the "Moderators" group the migrations create."""
    from tests.factories import payout_moderator

    return payout_moderator(username="mod")


@pytest.fixture
def deletion_moderator(db):
    """A staff member of the Moderators group, who decides deletion requests."""
    from django.contrib.auth.models import Group

    user = verified_user(username="mod.nadia", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def payee(player):
    """Rakib with Tk 1,500.00 of prizes and a bKash number that has settled."""
    from profiles.models import WalletSettings

    WalletSettings.objects.filter(profile=player.profile).update(
        bkash_number="01712345678", preferred_method="bkash"
    )
    WalletTransactionFactory(profile=player.profile, amount_poisha=150_000)
    return player


@pytest.fixture
def moderator_client(moderator):
    """A signed-in member of the Moderators group."""
    from tests.factories import signed_in

    return signed_in(moderator)
