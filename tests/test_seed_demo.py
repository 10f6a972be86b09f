"""`manage.py seed_demo` builds a believable community; a second run changes nothing."""

import io
import re

from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import F

from wagtail.models import Page, Revision, Site

import pytest
from allauth.account.models import EmailAddress

from deletions.models import DeletionRequest
from home.models import CommunitySettings, HomePage, NewsPage, StandardPage
from profiles.management import demo_data
from profiles.models import (
    Follow,
    GameProfile,
    MatchParticipant,
    PrivacySettings,
    Profile,
    ProfileVisibility,
    SocialLink,
    User,
    WalletSettings,
    WalletTransaction,
)

# Seeding 45 players and the site's pages takes a few seconds on SQLite.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

BANGLA = re.compile("[\u0980-\u09ff]")


def seed(players=45):
    out = io.StringIO()
    call_command("seed_demo", players=players, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("profiles").get_models(),
        *apps.get_app_config("home").get_models(),
        Page,
        Revision,
        Site,
        EmailAddress,
        Group,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def demo_players():
    return Profile.objects.filter(
        user__email__endswith="@" + demo_data.DEMO_EMAIL_DOMAIN,
        user__is_staff=False,
    )


@pytest.fixture
def seeded():
    summary = seed()
    return summary


def test_seeds_forty_plus_players_with_every_companion(seeded):
    assert demo_players().count() == 45
    assert "45 demo players (45 new)" in seeded

    for name in ("privacy", "notifications", "platform", "wallet"):
        assert not Profile.objects.filter(**{f"{name}__isnull": True}).exists(), name


def test_display_names_mix_bangla_and_english(seeded):
    names = list(demo_players().values_list("display_name", flat=True))

    assert any(BANGLA.search(name) for name in names)
    assert any(name.isascii() for name in names)
    assert Profile.objects.get(user__username="rakib").display_name == "রাকিব হাসান"


def test_follows_come_in_both_states_and_pending_only_where_approval_is_on(seeded):
    statuses = set(Follow.objects.values_list("status", flat=True))
    assert statuses == {Follow.Status.ACCEPTED, Follow.Status.PENDING}

    pending = Follow.objects.filter(status=Follow.Status.PENDING)
    assert not pending.filter(followee__privacy__approve_followers=False).exists()
    assert not Follow.objects.filter(follower=F("followee")).exists()


def test_privacy_varies_and_one_profile_is_hidden(seeded):
    visibilities = set(
        PrivacySettings.objects.values_list("profile_visibility", flat=True)
    )

    assert ProfileVisibility.HIDDEN in visibilities
    assert {ProfileVisibility.MEMBERS, ProfileVisibility.FOLLOWERS} <= visibilities
    assert PrivacySettings.objects.filter(approve_followers=True).exists()
    assert PrivacySettings.objects.filter(show_follower_count=False).exists()
    assert PrivacySettings.objects.exclude(match_history="public").exists()


def test_generated_values_follow_the_formats(seeded):
    for passport in GameProfile.objects.select_related("game"):
        assert passport.game.id_is_valid(passport.in_game_id), passport.in_game_id
    for link in SocialLink.objects.all():
        host = re.match(r"https://([^/]+)/", link.url).group(1)
        assert host in SocialLink.HOSTS[link.platform], link.url
    for wallet in WalletSettings.objects.all():
        for number in (wallet.bkash_number, wallet.nagad_number, wallet.rocket_number):
            assert number == "" or re.fullmatch(r"01[3-9]\d{8}", number)
    for profile in Profile.objects.filter(wallet_ledger__isnull=False).distinct():
        assert WalletTransaction.balance_poisha(profile) >= 0


def test_match_history_varies_and_copies_the_match_time(seeded):
    entries = [profile.match_entries.count() for profile in demo_players()]

    assert min(entries) == 0
    assert max(entries) >= 30
    assert not MatchParticipant.objects.exclude(
        played_at=F("match__played_at")
    ).exists()
    assert MatchParticipant.objects.filter(team__isnull=False).exists()


def test_rakib_has_a_rich_public_profile(seeded):
    rakib = Profile.objects.get(user__username="rakib")

    assert rakib.privacy.profile_visibility == ProfileVisibility.PUBLIC
    assert rakib.game_profiles.count() >= 3
    assert rakib.achievements.count() >= 5
    assert rakib.memberships.filter(is_active=True).exists()
    assert rakib.match_entries.count() >= 30
    assert rakib.social_links.count() >= 3
    assert rakib.wallet.bkash_number.startswith("017")
    assert WalletTransaction.balance_poisha(rakib) > 0
    statuses = set(rakib.follower_set.values_list("status", flat=True))
    assert statuses == {Follow.Status.ACCEPTED, Follow.Status.PENDING}


def test_demo_logins_authenticate_with_verified_emails(seeded):
    for username, password in (
        demo_data.ADMIN_LOGIN,
        demo_data.MODERATOR_LOGIN,
        demo_data.PLAYER_LOGIN,
    ):
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert EmailAddress.objects.filter(
            user=user, verified=True, primary=True
        ).exists()

    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    moderator = User.objects.get(username="moderator")
    assert moderator.is_staff and not moderator.is_superuser
    assert moderator.has_perm("wagtailadmin.access_admin")
    assert moderator.has_perm("moderation.view_player")
    assert not moderator.has_perm("profiles.change_profile")
    assert moderator.groups.filter(name="Moderators").exists()


def test_default_site_serves_the_home_page_with_news_and_pages(seeded):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific

    assert isinstance(home, HomePage)
    assert home.featured_players.count() == 6
    assert not home.featured_players.filter(
        profile__privacy__profile_visibility=ProfileVisibility.HIDDEN
    ).exists()
    assert (
        NewsPage.objects.live().child_of(home.get_children().get(slug="news")).count()
        == 4
    )
    slugs = set(StandardPage.objects.live().values_list("slug", flat=True))
    assert slugs == {"about", "rules", "privacy-policy", "terms"}
    assert CommunitySettings.for_site(site).discord_url.startswith(
        "https://discord.gg/"
    )
    # Wagtail's placeholder page is gone.
    assert not Page.objects.filter(
        title__startswith="Welcome to your new Wagtail"
    ).exists()


def test_second_run_changes_nothing_and_passwords_still_work(seeded):
    before = row_counts()
    rakib_password = User.objects.get(username="rakib").password

    summary = seed()

    assert row_counts() == before
    assert "(0 new)" in summary
    assert User.objects.get(username="rakib").password == rakib_password
    assert authenticate(username="rakib", password=demo_data.PLAYER_LOGIN[1])


def test_a_larger_run_only_adds_players(seeded):
    first = set(demo_players().values_list("user__username", "display_name"))

    seed(players=50)

    after = set(demo_players().values_list("user__username", "display_name"))
    assert len(after) == 50
    assert first <= after


def test_reset_password_is_restored(seeded):
    rakib = User.objects.get(username="rakib")
    rakib.set_password("something-else-entirely")
    rakib.save(update_fields=["password"])

    seed()

    assert authenticate(username="rakib", password=demo_data.PLAYER_LOGIN[1])


def test_seeded_players_are_found_by_site_search(seeded):
    from profiles.discovery import search_players

    # bulk_create sends no save signal; seed_demo indexes the players itself.
    assert [card["username"] for card in search_players("রাকি", None)] == ["rakib"]
    assert "rakib" in [card["username"] for card in search_players("rak", None)]
    call_command("seed_demo", players=45, stdout=io.StringIO(), stderr=io.StringIO())
    assert [card["username"] for card in search_players("রাকিব", None)] == ["rakib"]


def test_moderators_find_deletion_requests_to_decide(seeded):
    pending = DeletionRequest.objects.filter(status=DeletionRequest.Status.REQUESTED)

    assert pending.count() == 2
    assert sum(not deletion.in_grace_period() for deletion in pending) == 1
    seed()
    assert DeletionRequest.objects.count() == 2


def test_moderators_find_open_reports_in_their_queue(seeded):
    from moderation.models import Report

    reports = Report.objects.filter(status=Report.Status.OPEN)

    assert reports.count() == len(demo_data.REPORTS)
    assert all(report.reporter_id != report.profile_id for report in reports)
    seed()
    assert Report.objects.count() == len(demo_data.REPORTS)
