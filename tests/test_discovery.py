"""Finding players: "view as" previews, site search, the sitemap, robots.txt."""

import json
import re
from http import HTTPStatus

from django.test import Client

import pytest

from profiles import discovery
from profiles.models import Block, Follow, PrivacySettings, Profile
from profiles.privacy import Access, Role
from profiles.profile_page import build_profile_page, get_profile
from tests.factories import (
    FollowFactory,
    UserFactory,
)

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
SITE_HEADER = re.compile(r'<header class="site-header">.*?</header>', re.S)
PREVIEW_BAR = re.compile(r'<aside class="preview-bar.*?</aside>', re.S)
NOINDEX = '<meta name="robots" content="noindex">'


@pytest.fixture
def rich_player(rich_player):
    """The shared rich player, with one follower besides."""
    FollowFactory(follower=UserFactory().profile, followee=rich_player.profile)
    return rich_player


def set_privacy(user, **values):
    PrivacySettings.objects.filter(profile=user.profile).update(**values)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def comparable(html: str) -> str:
    """The page without what only the owner's own request adds to it."""
    html = SITE_HEADER.sub("", html)
    html = PREVIEW_BAR.sub("", html)
    html = html.replace(NOINDEX, "")
    return CSRF_VALUE.sub(r"\1\2", html)


# "View as"


@pytest.mark.parametrize("role", ["anonymous", "member", "follower"])
@pytest.mark.parametrize("visibility", ["public", "members", "followers"])
def test_preview_is_exactly_what_that_viewer_sees(rich_player, role, visibility):
    set_privacy(
        rich_player,
        profile_visibility=visibility,
        about="members",
        achievements="followers",
        match_history="only_me",
    )
    viewer = {"anonymous": None, "member": UserFactory(), "follower": UserFactory()}
    if role == "follower":
        FollowFactory(follower=viewer[role].profile, followee=rich_player.profile)

    seen = client_for(viewer[role]).get("/@Rakib/").content.decode()
    preview = client_for(rich_player).get(f"/@Rakib/?view_as={role}")

    assert preview.status_code == HTTPStatus.OK
    assert comparable(preview.content.decode()) == comparable(seen)


def test_preview_shows_a_banner_and_a_way_back(rich_player):
    html = client_for(rich_player).get("/@Rakib/?view_as=member").content.decode()

    assert "You are viewing your profile as a signed-in member." in html
    assert 'href="/@Rakib/">Back to your view</a>' in html
    assert "1,500.50" not in html
    assert "Edit profile" not in html


def test_preview_is_never_indexed(rich_player):
    response = client_for(rich_player).get("/@Rakib/?view_as=anonymous")

    assert NOINDEX in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "private" in response["Cache-Control"]


def test_owner_gets_the_switcher_and_nobody_else_does(rich_player):
    own = client_for(rich_player).get("/@Rakib/").content.decode()
    other = client_for(UserFactory()).get("/@Rakib/").content.decode()

    assert 'href="?view_as=anonymous"' in own
    assert 'href="?view_as=follower"' in own
    assert "view_as" not in other


@pytest.mark.parametrize("role", ["anonymous", "member", "follower", "owner", "x"])
def test_view_as_means_nothing_to_anyone_but_the_owner(rich_player, role):
    set_privacy(rich_player, achievements="only_me")
    stranger = UserFactory()

    plain = client_for(stranger).get("/@Rakib/").content.decode()
    asked = client_for(stranger).get(f"/@Rakib/?view_as={role}").content.decode()
    page = build_profile_page(get_profile("Rakib"), stranger, view_as=Role.OWNER)

    assert comparable(asked) == comparable(plain)
    assert "Ace Machine" not in asked
    assert page.role is Role.MEMBER
    assert page.preview is None


def test_owner_cannot_preview_as_owner_or_nonsense(rich_player):
    response = client_for(rich_player).get("/@Rakib/?view_as=owner")

    assert response.context["page"].is_owner
    assert response.context["page"].preview is None


def test_preview_of_a_hidden_profile_says_others_get_not_found(rich_player):
    set_privacy(rich_player, profile_visibility="hidden")

    response = client_for(rich_player).get("/@Rakib/?view_as=member")

    assert response.status_code == HTTPStatus.OK
    assert "answers exactly like a username that does not exist" in (
        response.content.decode()
    )
    assert "Valorant IGL" not in response.content.decode()
    assert Client().get("/@Rakib/?view_as=anonymous").status_code == (
        HTTPStatus.NOT_FOUND
    )


# Empty and hidden sections look alike


def test_a_locked_section_looks_the_same_whether_or_not_it_has_content(
    rich_player,
):
    sections = ("about", "social_links", "game_passports", "achievements")
    sections += ("teams", "match_history")
    set_privacy(rich_player, **dict.fromkeys(sections, "followers"))
    with_content = Client().get("/@Rakib/").content.decode()

    profile = rich_player.profile
    profile.bio = ""
    profile.country = ""
    profile.save()
    for related in ("social_links", "game_profiles", "achievements", "memberships"):
        getattr(profile, related).all().delete()
    profile.match_entries.all().delete()
    empty = Client().get("/@Rakib/").content.decode()

    assert with_content == empty
    assert "Only followers can see this" in empty


# noindex


@pytest.mark.parametrize(
    ("changes", "viewer_signed_in", "noindex"),
    [
        ({}, False, False),
        ({"searchable": False}, False, True),
        ({"searchable": False}, True, True),
        ({"profile_visibility": "members"}, False, True),
        ({"profile_visibility": "members"}, True, False),
        ({"profile_visibility": "followers"}, True, True),
    ],
)
def test_noindex_unless_the_page_is_full_and_searchable(
    rich_player, changes, viewer_signed_in, noindex
):
    set_privacy(rich_player, **changes)

    response = client_for(UserFactory() if viewer_signed_in else None).get("/@Rakib/")

    assert (NOINDEX in response.content.decode()) is noindex
    assert (response.get("X-Robots-Tag") == "noindex") is noindex


# Site search


def search(client: Client, query: str):
    return client.get("/search/", {"q": query})


def found(response) -> list[str]:
    return [card["username"] for card in response.context["players"]]


def test_search_finds_players_by_username_or_display_name(rich_player):
    rich_player.profile.display_name = "Rakib Hasan"
    rich_player.profile.save()

    by_name = search(Client(), "hasan")
    by_username = search(Client(), "RAKI")

    assert by_name.status_code == HTTPStatus.OK
    assert found(by_name) == found(by_username) == ["Rakib"]
    assert "@Rakib" in by_name.content.decode()
    assert by_name["X-Robots-Tag"] == "noindex"


def test_a_name_saved_in_settings_is_found_at_once_and_a_bio_save_keeps_it(
    player, player_client
):
    def save(data):
        response = player_client.post(
            "/me/settings/basic/",
            json.dumps(data),
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == HTTPStatus.OK, response.content

    save({"display_name": "Shohag Crown"})
    assert found(search(Client(), "shohag")) == ["Rakib"]

    save({"bio": "Support main."})
    assert found(search(Client(), "shohag")) == ["Rakib"]

    save({"display_name": "Tanvir"})
    assert found(search(Client(), "shohag")) == []
    assert found(search(Client(), "tanvir")) == ["Rakib"]


def test_search_cards_hold_the_name_card_only(rich_player):
    card = discovery.search_players("rakib", None)[0]

    assert set(card) == {
        "username",
        "display_name",
        "initials",
        "avatar_url",
        "level",
        "url",
    }
    assert card["url"] == "/@Rakib/"


def test_search_leaves_out_players_who_opted_out(rich_player):
    set_privacy(rich_player, searchable=False)

    assert found(search(Client(), "rakib")) == []
    assert found(search(client_for(UserFactory()), "rakib")) == []


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member", "follower"),
    [
        ("public", True, True, True),
        ("members", False, True, True),
        ("followers", False, False, True),
        ("hidden", False, False, False),
    ],
)
def test_search_lists_a_player_only_to_viewers_with_the_full_profile(
    rich_player, visibility, anonymous, member, follower
):
    set_privacy(rich_player, profile_visibility=visibility)
    fan = UserFactory()
    FollowFactory(follower=fan.profile, followee=rich_player.profile)
    hopeful = UserFactory()
    FollowFactory(
        follower=hopeful.profile,
        followee=rich_player.profile,
        status=Follow.Status.PENDING,
    )

    assert bool(found(search(Client(), "rakib"))) is anonymous
    assert bool(found(search(client_for(UserFactory()), "rakib"))) is member
    assert bool(found(search(client_for(hopeful), "rakib"))) is member
    assert bool(found(search(client_for(fan), "rakib"))) is follower


@pytest.mark.parametrize("who_blocks", ["player", "viewer"])
def test_search_never_shows_either_side_of_a_block(rich_player, who_blocks):
    viewer = UserFactory(username="Nadia")
    pair = (rich_player.profile, viewer.profile)
    blocker, blocked = pair if who_blocks == "player" else pair[::-1]
    Block.objects.create(blocker=blocker, blocked=blocked)

    assert found(search(client_for(viewer), "rakib")) == []
    assert found(search(client_for(rich_player), "nadia")) == []
    assert found(search(Client(), "rakib")) == ["Rakib"]


def test_search_ignores_inactive_players_and_caps_results(db):
    for number in range(discovery.SEARCH_LIMIT + 3):
        UserFactory(username=f"crowd{number}")
    UserFactory(username="crowdgone", is_active=False)

    names = found(search(Client(), "crowd"))

    assert len(names) == discovery.SEARCH_LIMIT
    assert "crowdgone" not in names


# Site search through Wagtail's index


def named(username: str, display_name: str):
    """A player with this display name, saved as the settings page saves it."""
    user = UserFactory(username=username)
    user.profile.display_name = display_name
    user.profile.save(update_fields=["display_name"])
    return user


@pytest.mark.parametrize(
    "query",
    [
        "Tanvir",
        "tanv",
        "Karim",
        "KAR",
        "tanvir kar",
        "তানভীর",
        "তানভ",
        "করিম",
        "তানভীর কর",
    ],
)
def test_search_finds_a_player_by_part_of_the_display_name(db, query):
    named("tk07", "Tanvir Karim")
    named("tk08", "তানভীর করিম")
    named("someone", "Someone Else")

    names = {card["display_name"] for card in found_cards(search(Client(), query))}

    expected = "তানভীর করিম" if query[0] >= "\u0980" else "Tanvir Karim"
    assert names == {expected}


def found_cards(response) -> list[dict]:
    return response.context["players"]


@pytest.mark.parametrize("query", ["nadia_bd", "nadia", "NADIA_B", "nad"])
def test_search_finds_a_player_by_username(db, query):
    named("nadia_bd", "তাসনিম")

    assert found(search(Client(), query)) == ["nadia_bd"]


def test_bangla_search_matches_whole_words_not_scattered_letters(db):
    named("rakibh", "রাকিব হাসান")
    # র at the end of one word and ক at the start of the next: the letters of
    # "রাকি" without its vowel signs, which a plain tokenizer would match.
    named("tanvirk", "তানভীর কবির")

    assert found(search(Client(), "রাকি")) == ["rakibh"]
    assert found(search(Client(), "কবি")) == ["tanvirk"]


@pytest.mark.parametrize(
    ("changes", "viewer"),
    [
        ({"searchable": False}, "anonymous"),
        ({"searchable": False}, "member"),
        ({"profile_visibility": "hidden"}, "member"),
        ({"profile_visibility": "members"}, "anonymous"),
        ({"profile_visibility": "followers"}, "member"),
        ({}, "blocked"),
        ({}, "blocker"),
    ],
)
def test_search_never_finds_a_player_it_may_not_list(db, changes, viewer):
    hidden = named("shadowcat", "Shadow Catcher শ্যাডো")
    set_privacy(hidden, **changes)
    visitor = None if viewer == "anonymous" else UserFactory()
    if viewer == "blocked":
        Block.objects.create(blocker=hidden.profile, blocked=visitor.profile)
    if viewer == "blocker":
        Block.objects.create(blocker=visitor.profile, blocked=hidden.profile)

    for query in ("shadowcat", "shad", "Catcher", "শ্যাডো", "শ্যা"):
        assert found(search(client_for(visitor), query)) == [], query
        assert discovery.search_players(query, visitor) == [], query


def test_a_renamed_player_is_found_by_the_new_name_on_the_next_request(db):
    user = named("renamer", "Old Moniker")
    assert found(search(Client(), "moniker")) == ["renamer"]

    profile = user.profile
    profile.display_name = "Fresh Handle"
    profile.save(update_fields=["display_name"])

    assert found(search(Client(), "fresh")) == ["renamer"]
    assert found(search(Client(), "moniker")) == []


def test_a_new_username_is_found_at_once(db):
    user = named("oldhandle", "Quiet Player")

    user.username = "newhandle"
    user.save(update_fields=["username"])

    assert found(search(Client(), "newhand")) == ["newhandle"]
    assert found(search(Client(), "oldhand")) == []


def test_search_reads_the_index_so_rows_written_without_save_need_reindexing(db):
    user = named("bulkrow", "Before Bulk")
    Profile.objects.filter(pk=user.profile.pk).update(display_name="After Bulk")

    assert found(search(Client(), "after")) == []

    assert discovery.reindex_profiles([user.profile.pk]) == 1
    assert found(search(Client(), "after")) == ["bulkrow"]
    assert found(search(Client(), "before")) == []


@pytest.mark.parametrize("query", ['"', '"rak*" OR (', "NEAR(a b)", "a:b -c ^d", "*"])
def test_search_syntax_in_a_query_is_only_text(player, query):
    response = search(Client(), query)

    assert response.status_code == HTTPStatus.OK
    assert found(response) == []


def test_search_finds_live_pages(db):
    from wagtail.models import Page

    from home.models import StandardPage

    root = Page.objects.get(depth=1)
    root.add_child(instance=StandardPage(title="Tournament rules", slug="rules"))
    draft = StandardPage(title="Tournament secrets", slug="secrets", live=False)
    root.add_child(instance=draft)

    response = search(Client(), "tournament")

    titles = [page.title for page in response.context["pages"]]
    assert titles == ["Tournament rules"]


@pytest.mark.django_db
def test_empty_search_shows_the_form_without_results():
    response = Client().get("/search/")

    assert response.status_code == HTTPStatus.OK
    assert response.context["players"] == response.context["pages"] == []
    assert 'name="q"' in response.content.decode()


# Sitemap and robots.txt


def test_sitemap_lists_public_searchable_active_players_only(rich_player):
    UserFactory(username="membersonly")
    set_privacy(UserFactory(username="optedout"), searchable=False)
    set_privacy(UserFactory(username="fansonly"), profile_visibility="followers")
    set_privacy(UserFactory(username="ghost"), profile_visibility="hidden")
    UserFactory(username="gone", is_active=False)
    set_privacy(
        PrivacySettings.objects.get(profile__slug="membersonly").profile.user,
        profile_visibility="members",
    )

    response = Client().get("/sitemap.xml")

    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "http://testserver/@Rakib/" in body
    for absent in ("membersonly", "optedout", "fansonly", "ghost", "gone"):
        assert f"/@{absent}/" not in body
    listed = [entry["url"] for entry in discovery.sitemap_profiles()]
    assert "/@Rakib/" in listed
    assert not [url for url in listed if url.strip("/@") in ("ghost", "gone")]


def test_sitemap_keeps_wagtail_pages(db):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)

    body = Client().get("/sitemap.xml").content.decode()

    assert site.root_page.get_full_url() in body


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap():
    response = Client().get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /me/" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_a_privacy_change_shows_on_the_very_next_request(rich_player):
    assert "/@Rakib/" in Client().get("/sitemap.xml").content.decode()
    assert found(search(Client(), "rakib")) == ["Rakib"]

    set_privacy(rich_player, searchable=False)

    assert "/@Rakib/" not in Client().get("/sitemap.xml").content.decode()
    assert found(search(Client(), "rakib")) == []
    page = build_profile_page(get_profile("Rakib"), None)
    assert page.access is Access.FULL
    assert page.noindex
