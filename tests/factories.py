"""factory_boy factories for the player-profile data model."""

import datetime

from django.test import Client
from django.utils import timezone

import factory
from allauth.account.models import EmailAddress

from profiles.models import (
    Achievement,
    Follow,
    Game,
    GameProfile,
    Match,
    MatchParticipant,
    SocialLink,
    Team,
    TeamMembership,
    User,
    UserAchievement,
    WalletTransaction,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A player; the signal gives them a profile and its companion rows."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"player{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


def verified_user(**kwargs):
    """A player whose email address is confirmed, as after following the link."""
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def profile_for(**kwargs):
    return UserFactory(**kwargs).profile


class GameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Game
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Game {n}")
    slug = factory.Sequence(lambda n: f"game-{n}")


class GameProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GameProfile

    game = factory.SubFactory(GameFactory)
    in_game_name = factory.Sequence(lambda n: f"Ace{n}")
    in_game_id = factory.Sequence(lambda n: f"{5_000_000 + n}")


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    name = factory.Sequence(lambda n: f"Trophy {n}")
    slug = factory.Sequence(lambda n: f"trophy-{n}")


class UserAchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserAchievement

    achievement = factory.SubFactory(AchievementFactory)
    awarded_at = factory.LazyFunction(timezone.now)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    tag = factory.Sequence(lambda n: f"T{n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    game = factory.SubFactory(GameFactory)


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    joined_at = datetime.date(2026, 1, 10)


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    game = factory.SubFactory(GameFactory)
    title = factory.Sequence(lambda n: f"Dhaka Cup round {n}")
    played_at = factory.LazyFunction(timezone.now)


class MatchParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchParticipant

    match = factory.SubFactory(MatchFactory)
    result = MatchParticipant.Result.WIN
    score = 13
    played_at = factory.LazyAttribute(lambda row: row.match.played_at)


class SocialLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialLink

    platform = SocialLink.Platform.TWITCH
    url = "https://twitch.tv/example"


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    status = Follow.Status.ACCEPTED


class WalletTransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WalletTransaction

    kind = WalletTransaction.Kind.PRIZE
    amount_poisha = 50_000
    description = "Prize"


def deletion_requested(user, *, days_ago: int = 0):
    """A pending deletion request for ``user``, made ``days_ago`` days ago."""
    from deletions.models import DeletionRequest, grace_period

    requested_at = timezone.now() - datetime.timedelta(days=days_ago)
    return DeletionRequest.objects.create(
        user=user,
        requested_at=requested_at,
        grace_ends_at=requested_at + grace_period(),
    )


def payout_moderator(**kwargs):
    """A staff member in the Moderators group, as the payouts migration set it up."""
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def signed_in(user) -> Client:
    """A test client with this user signed in."""
    client = Client()
    client.force_login(user)
    return client
