"""Canaries: a unique marker in every field of every section, looked for everywhere.

For every role, every audience and every section, a marker must be in the
answer when the role reaches the section's audience and nowhere in it
otherwise: the profile page (its <title> and <meta> tags included), the
owner's "view as" preview, site search, the sitemap, the follow endpoint and
the followers and following list pages.
Each test plants the data once and checks every role and output against it.
"""

from http import HTTPStatus

from django.test import Client

import pytest

from profiles.models import Follow, PrivacySettings
from tests.factories import (
    FollowFactory,
    GameFactory,
    GameProfileFactory,
    MatchParticipantFactory,
    SocialLinkFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserAchievementFactory,
    UserFactory,
    WalletTransactionFactory,
)

AUDIENCES = ["public", "members", "followers", "only_me"]
AUDIENCE_LEVEL = {"public": 0, "members": 1, "followers": 2, "only_me": 3}
ROLE_LEVEL = {"anonymous": 0, "member": 1, "pending": 1, "follower": 2, "owner": 3}
# The owner's preview that stands for each role; a pending follower is a member.
PREVIEW_OF = {"anonymous": "anonymous", "member": "member", "pending": "member"}
PREVIEW_OF["follower"] = "follower"

MARKERS = {
    "about": ["kxAboutBio71", "Nepal"],
    "social_links": ["https://twitch.tv/kxsociallink72"],
    "game_passports": [
        "kxPassportIgn73",
        "kxPassportId74",
        "kxPassportRank75",
        "kxPassportRegion76",
        "kxPassportGame77",
    ],
    "achievements": ["kxTrophyName78", "kxTrophyDesc79"],
    "teams": ["kxTeamName80", "KX81", "kxTeamGame82"],
    "match_history": ["kxMatchTitle83", "kxMatchTeam84", "kxMatchGame85"],
}
SECTIONS = list(MARKERS)
WALLET_MARKER = "9,876.54"


def plant_canaries(user) -> None:
    """Fill every section of the player's profile with markers."""
    profile = user.profile
    profile.bio = "kxAboutBio71"
    profile.country = "NP"
    profile.save()
    SocialLinkFactory(profile=profile, url="https://twitch.tv/kxsociallink72")
    GameProfileFactory(
        profile=profile,
        game=GameFactory(name="kxPassportGame77", slug="kx-passport-game"),
        in_game_name="kxPassportIgn73",
        in_game_id="kxPassportId74",
        rank="kxPassportRank75",
        region="kxPassportRegion76",
    )
    UserAchievementFactory(
        profile=profile,
        achievement__name="kxTrophyName78",
        achievement__description="kxTrophyDesc79",
    )
    TeamMembershipFactory(
        profile=profile,
        team__name="kxTeamName80",
        team__tag="KX81",
        team__game=GameFactory(name="kxTeamGame82", slug="kx-team-game"),
    )
    match_game = GameFactory(name="kxMatchGame85", slug="kx-match-game")
    MatchParticipantFactory(
        profile=profile,
        match__title="kxMatchTitle83",
        match__game=match_game,
        team=TeamFactory(name="kxMatchTeam84", game=match_game),
    )
    WalletTransactionFactory(profile=profile, amount_poisha=987_654)


@pytest.fixture
def cast(db):
    """The player with canaries, and one viewer for each role."""
    owner = UserFactory(username="Kanak", first_name="")
    plant_canaries(owner)
    follower = UserFactory()
    FollowFactory(follower=follower.profile, followee=owner.profile)
    pending = UserFactory()
    FollowFactory(
        follower=pending.profile,
        followee=owner.profile,
        status=Follow.Status.PENDING,
    )
    return {
        "owner": owner,
        "anonymous": None,
        "member": UserFactory(),
        "pending": pending,
        "follower": follower,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def set_privacy(owner, **values) -> None:
    PrivacySettings.objects.filter(profile=owner.profile).update(**values)


class Findings:
    """Every marker check, collected, so one run reports all the leaks at once."""

    def __init__(self):
        self.checked = 0
        self.problems: list[str] = []

    def expect(self, body: str, marker: str, present: bool, where: str) -> None:
        self.checked += 1
        if (marker in body) is not present:
            state = "missing from" if present else "leaked into"
            self.problems.append(f"{marker!r} {state} {where}")

    def sections(self, body: str, audiences: dict, level: int, where: str) -> None:
        for section, markers in MARKERS.items():
            allowed = level >= AUDIENCE_LEVEL[audiences[section]]
            for marker in markers:
                self.expect(body, marker, allowed, f"{where} [{section}]")

    def nothing(self, body: str, where: str) -> None:
        for markers in MARKERS.values():
            for marker in markers:
                self.expect(body, marker, False, where)
        self.expect(body, WALLET_MARKER, False, where)


def head_of(html: str) -> str:
    return html.split("</head>", 1)[0]


@pytest.mark.parametrize("shift", range(len(AUDIENCES)))
def test_every_marker_reaches_exactly_its_audience(cast, shift):
    # Each section gets a different audience; across the four runs, each
    # section meets every audience once.
    audiences = {
        section: AUDIENCES[(number + shift) % len(AUDIENCES)]
        for number, section in enumerate(SECTIONS)
    }
    set_privacy(cast["owner"], **audiences)
    findings = Findings()

    for role, user in cast.items():
        level = ROLE_LEVEL[role]
        response = client_for(user).get("/@Kanak/")
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        findings.sections(html, audiences, level, f"page as {role}")
        findings.expect(html, WALLET_MARKER, role == "owner", f"page as {role}")
        about_shown = level >= AUDIENCE_LEVEL[audiences["about"]]
        findings.expect(head_of(html), "kxAboutBio71", about_shown, f"<head> {role}")

        if role in PREVIEW_OF:
            preview = client_for(cast["owner"]).get(
                f"/@Kanak/?view_as={PREVIEW_OF[role]}"
            )
            body = preview.content.decode()
            findings.sections(body, audiences, level, f"preview as {role}")
            findings.expect(body, WALLET_MARKER, False, f"preview as {role}")

        results = client_for(user).get("/search/", {"q": "kanak"})
        assert [card["username"] for card in results.context["players"]] == ["Kanak"]
        findings.nothing(results.content.decode(), f"search as {role}")

        sitemap = client_for(user).get("/sitemap.xml").content.decode()
        assert "/@Kanak/" in sitemap
        findings.nothing(sitemap, f"sitemap as {role}")

    # Following changes who is who, so the follow endpoint goes last.
    for role, user in cast.items():
        answer = client_for(user).post(
            "/@Kanak/follow/", HTTP_ACCEPT="application/json"
        )
        assert answer["Content-Type"] == "application/json"
        findings.nothing(answer.content.decode(), f"follow JSON as {role}")

    assert not findings.problems, "\n".join(findings.problems)
    assert findings.checked > 150


# The followers and following lists: a marker in the display name of a public
# player on each list, looked for on both list pages.
LIST_MARKERS = {"followers": "kxFollowerName86", "following": "kxFollowedName87"}
LIST_AUDIENCE_FIELD = {"followers": "followers_list", "following": "following_list"}


def plant_list_canaries(owner) -> None:
    """A public player who follows the owner and one the owner follows."""
    for kind, marker in LIST_MARKERS.items():
        other = UserFactory(first_name="")
        profile = other.profile
        profile.display_name = marker
        profile.save(update_fields=["display_name"])
        if kind == "followers":
            FollowFactory(follower=profile, followee=owner.profile)
        else:
            FollowFactory(follower=owner.profile, followee=profile)


def check_list_pages(findings, user, role, allowed: dict, where: str) -> None:
    """Each list page holds its own marker iff allowed, and never the other's."""
    for kind in LIST_MARKERS:
        response = client_for(user).get(f"/@Kanak/{kind}/")
        assert response.status_code == HTTPStatus.OK, (kind, role)
        body = response.content.decode()
        for marker_kind, marker in LIST_MARKERS.items():
            present = marker_kind == kind and allowed[kind]
            findings.expect(body, marker, present, f"{where} {kind} page as {role}")
        findings.nothing(body, f"{where} {kind} page as {role}")


@pytest.mark.parametrize("shift", range(len(AUDIENCES)))
def test_follow_list_markers_reach_exactly_their_audience(cast, shift):
    # Across the four runs each list meets every audience once, the two lists
    # never with the same audience.
    audiences = {
        kind: AUDIENCES[(number + shift) % len(AUDIENCES)]
        for number, kind in enumerate(LIST_MARKERS)
    }
    set_privacy(
        cast["owner"],
        **{LIST_AUDIENCE_FIELD[kind]: audience for kind, audience in audiences.items()},
    )
    plant_list_canaries(cast["owner"])
    findings = Findings()

    for role, user in cast.items():
        level = ROLE_LEVEL[role]
        allowed = {
            kind: level >= AUDIENCE_LEVEL[audience]
            for kind, audience in audiences.items()
        }
        check_list_pages(findings, user, role, allowed, "list")

    assert not findings.problems, "\n".join(findings.problems)
    assert findings.checked == len(cast) * len(LIST_MARKERS) * (
        len(LIST_MARKERS) + sum(map(len, MARKERS.values())) + 1
    )


@pytest.mark.parametrize("visibility", ["members", "followers", "hidden"])
def test_a_locked_or_hidden_profile_lists_no_follow_marker(cast, visibility):
    set_privacy(
        cast["owner"],
        profile_visibility=visibility,
        followers_list="public",
        following_list="public",
    )
    plant_list_canaries(cast["owner"])
    lowest = {"members": 1, "followers": 2, "hidden": 3}[visibility]
    findings = Findings()

    for role, user in cast.items():
        if ROLE_LEVEL[role] >= lowest:
            # Full access: with the lists public, both markers are listed.
            check_list_pages(
                findings, user, role, dict.fromkeys(LIST_MARKERS, True), "open"
            )
            continue
        for kind in LIST_MARKERS:
            response = client_for(user).get(f"/@Kanak/{kind}/")
            expected = HTTPStatus.NOT_FOUND if visibility == "hidden" else HTTPStatus.OK
            assert response.status_code == expected, (kind, role)
            body = response.content.decode()
            for marker in LIST_MARKERS.values():
                findings.expect(body, marker, False, f"locked {kind} page as {role}")
            findings.nothing(body, f"locked {kind} page as {role}")
        profile_page = client_for(user).get("/@Kanak/").content.decode()
        for marker in LIST_MARKERS.values():
            findings.expect(profile_page, marker, False, f"locked profile as {role}")

    assert not findings.problems, "\n".join(findings.problems)


@pytest.mark.parametrize("visibility", ["members", "followers"])
def test_a_locked_profile_shows_no_marker_of_any_section(cast, visibility):
    set_privacy(cast["owner"], profile_visibility=visibility)
    lowest = {"members": 1, "followers": 2}[visibility]
    findings = Findings()

    for role, user in cast.items():
        locked = ROLE_LEVEL[role] < lowest
        html = client_for(user).get("/@Kanak/").content.decode()
        audiences = dict.fromkeys(SECTIONS, "only_me" if locked else "public")
        findings.sections(html, audiences, ROLE_LEVEL[role], f"page as {role}")
        if role in PREVIEW_OF:
            preview = client_for(cast["owner"]).get(
                f"/@Kanak/?view_as={PREVIEW_OF[role]}"
            )
            body = preview.content.decode()
            findings.sections(body, audiences, ROLE_LEVEL[role], f"preview {role}")

        found = client_for(user).get("/search/", {"q": "kanak"}).context["players"]
        assert bool(found) is not locked, role

    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "/@Kanak/" not in sitemap
    assert not findings.problems, "\n".join(findings.problems)


def test_a_hidden_profile_shows_nothing_to_anyone_but_the_owner(cast):
    set_privacy(cast["owner"], profile_visibility="hidden")
    findings = Findings()

    for role, user in cast.items():
        response = client_for(user).get("/@Kanak/")
        if role == "owner":
            assert response.status_code == HTTPStatus.OK
            continue
        assert response.status_code == HTTPStatus.NOT_FOUND
        findings.nothing(response.content.decode(), f"page as {role}")
        findings.expect(response.content.decode(), "Kanak", False, f"404 as {role}")
        results = client_for(user).get("/search/", {"q": "kanak"})
        assert results.context["players"] == []

    for role in ("anonymous", "member", "follower"):
        preview = client_for(cast["owner"]).get(f"/@Kanak/?view_as={role}")
        findings.nothing(preview.content.decode(), f"hidden preview as {role}")
    assert "/@Kanak/" not in Client().get("/sitemap.xml").content.decode()
    assert not findings.problems, "\n".join(findings.problems)


def test_opting_out_of_search_hides_the_player_from_search_and_sitemap(cast):
    set_privacy(cast["owner"], searchable=False)

    for role, user in cast.items():
        html = client_for(user).get("/@Kanak/").content.decode()
        results = client_for(user).get("/search/", {"q": "kanak"})
        assert '<meta name="robots" content="noindex">' in html, role
        assert results.context["players"] == [], role
    assert "/@Kanak/" not in Client().get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("show_followers", [True, False])
@pytest.mark.parametrize("show_following", [True, False])
def test_counts_obey_their_switches(cast, show_followers, show_following):
    set_privacy(
        cast["owner"],
        show_follower_count=show_followers,
        show_following_count=show_following,
    )
    FollowFactory(follower=cast["owner"].profile, followee=UserFactory().profile)

    for role, user in cast.items():
        header = client_for(user).get("/@Kanak/").context["page"].header
        shown_followers = show_followers or role == "owner"
        shown_following = show_following or role == "owner"
        assert header.follower_count == (1 if shown_followers else None), role
        assert header.following_count == (1 if shown_following else None), role

    for role in ("anonymous", "member", "follower"):
        preview = client_for(cast["owner"]).get(f"/@Kanak/?view_as={role}")
        header = preview.context["page"].header
        assert (header.follower_count is not None) is show_followers, role
        assert (header.following_count is not None) is show_following, role

    answer = client_for(cast["member"]).post(
        "/@Kanak/follow/", HTTP_ACCEPT="application/json"
    )
    data = answer.json()["data"]
    assert set(data) == {"status", "follower_count"}
    assert data["follower_count"] == (2 if show_followers else None)


def test_readiness_check_followers_only_trophies(cast):
    """The readiness checklist: followers-only trophies, anonymous vs follower."""
    set_privacy(cast["owner"], achievements="followers")

    anonymous = Client().get("/@Kanak/").content.decode()
    follower = client_for(cast["follower"]).get("/@Kanak/").content.decode()

    assert "kxTrophyName78" not in anonymous
    assert "Only followers can see this" in anonymous
    assert "kxTrophyName78" in follower
