"""The privacy decision itself: roles, audiences, visibility, blocks, follows."""

from django.test import Client

import pytest

from profiles import privacy
from profiles.models import Audience, Block, Follow, PrivacySettings, ProfileVisibility
from profiles.privacy import Access, Relationship, Role
from tests.factories import FollowFactory, UserFactory

ROLES = list(Role)
AUDIENCES = list(Audience)

# The lowest role each audience lets in.
LOWEST = {
    Audience.PUBLIC: Role.ANONYMOUS,
    Audience.MEMBERS: Role.MEMBER,
    Audience.FOLLOWERS: Role.FOLLOWER,
    Audience.ONLY_ME: Role.OWNER,
}


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("role", ROLES)
def test_a_role_reaches_an_audience_at_or_below_it(role, audience):
    assert privacy.reaches(Relationship(role), audience) is (role >= LOWEST[audience])


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.FOLLOWER])
def test_a_block_reaches_no_audience_at_all(role, audience):
    assert privacy.reaches(Relationship(role, blocked=True), audience) is False


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_owner_reaches_every_audience(audience):
    assert privacy.reaches(Relationship(Role.OWNER), audience) is True


def test_reaches_accepts_the_stored_string_value():
    assert privacy.reaches(Relationship(Role.MEMBER), "members") is True
    assert privacy.reaches(Relationship(Role.MEMBER), "followers") is False


@pytest.fixture
def target(db):
    return UserFactory(username="Rakib").profile


def set_visibility(profile, visibility):
    PrivacySettings.objects.filter(profile=profile).update(
        profile_visibility=visibility
    )
    profile.refresh_from_db()


# Who gets the full profile, the locked one, or "not found", by visibility.
EXPECTED_ACCESS = {
    ProfileVisibility.PUBLIC: {
        Role.ANONYMOUS: Access.FULL,
        Role.MEMBER: Access.FULL,
        Role.FOLLOWER: Access.FULL,
    },
    ProfileVisibility.MEMBERS: {
        Role.ANONYMOUS: Access.LOCKED,
        Role.MEMBER: Access.FULL,
        Role.FOLLOWER: Access.FULL,
    },
    ProfileVisibility.FOLLOWERS: {
        Role.ANONYMOUS: Access.LOCKED,
        Role.MEMBER: Access.LOCKED,
        Role.FOLLOWER: Access.FULL,
    },
    ProfileVisibility.HIDDEN: {
        Role.ANONYMOUS: Access.NOT_FOUND,
        Role.MEMBER: Access.NOT_FOUND,
        Role.FOLLOWER: Access.NOT_FOUND,
    },
}


@pytest.mark.parametrize("visibility", list(ProfileVisibility))
@pytest.mark.parametrize("role", [Role.ANONYMOUS, Role.MEMBER, Role.FOLLOWER])
def test_profile_access_by_visibility_and_role(target, visibility, role):
    set_visibility(target, visibility)

    access = privacy.profile_access(target, Relationship(role))

    assert access is EXPECTED_ACCESS[visibility][role]


@pytest.mark.parametrize("visibility", list(ProfileVisibility))
def test_the_owner_always_gets_the_full_profile(target, visibility):
    set_visibility(target, visibility)

    assert privacy.profile_access(target, Relationship(Role.OWNER)) is Access.FULL
    assert privacy.relationship(target, target.user).is_owner


@pytest.mark.parametrize(
    "visibility",
    [ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS, ProfileVisibility.FOLLOWERS],
)
@pytest.mark.parametrize("who_blocks", ["player", "viewer"])
def test_a_block_either_way_locks_the_profile(target, visibility, who_blocks):
    set_visibility(target, visibility)
    viewer = UserFactory()
    FollowFactory(follower=viewer.profile, followee=target)
    pair = (target, viewer.profile)
    blocker, blocked = pair if who_blocks == "player" else pair[::-1]
    Block.objects.create(blocker=blocker, blocked=blocked)

    relation = privacy.relationship(target, viewer)

    assert relation.blocked is True
    assert relation.role is Role.MEMBER  # a follow does not outrank a block
    assert privacy.profile_access(target, relation) is Access.LOCKED


def test_a_block_does_not_turn_a_hidden_profile_into_a_locked_one(target):
    set_visibility(target, ProfileVisibility.HIDDEN)
    viewer = UserFactory()
    Block.objects.create(blocker=target, blocked=viewer.profile)

    relation = privacy.relationship(target, viewer)

    assert privacy.profile_access(target, relation) is Access.NOT_FOUND


def test_anonymous_viewer_is_anonymous(target):
    from django.contrib.auth.models import AnonymousUser

    assert privacy.relationship(target, AnonymousUser()).role is Role.ANONYMOUS
    assert privacy.relationship(target, None).role is Role.ANONYMOUS


def test_signed_in_stranger_is_a_member(target):
    relation = privacy.relationship(target, UserFactory())

    assert relation == Relationship(Role.MEMBER)


def test_accepted_follower_is_a_follower(target):
    fan = UserFactory()
    FollowFactory(follower=fan.profile, followee=target)

    relation = privacy.relationship(target, fan)

    assert relation.role is Role.FOLLOWER
    assert relation.follow_status == Follow.Status.ACCEPTED


def test_pending_follower_is_treated_as_a_member(target):
    hopeful = UserFactory()
    FollowFactory(
        follower=hopeful.profile, followee=target, status=Follow.Status.PENDING
    )

    relation = privacy.relationship(target, hopeful)

    assert relation.role is Role.MEMBER
    assert relation.follow_status == Follow.Status.PENDING
    assert privacy.reaches(relation, Audience.FOLLOWERS) is False
    assert privacy.reaches(relation, Audience.MEMBERS) is True


def test_following_the_viewer_back_does_not_make_them_a_follower(target):
    viewer = UserFactory()
    FollowFactory(follower=target, followee=viewer.profile)

    assert privacy.relationship(target, viewer).role is Role.MEMBER


def test_relationship_costs_one_query(target, django_assert_num_queries):
    viewer = UserFactory()

    with django_assert_num_queries(1):
        privacy.relationship(target, viewer)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_has_a_lock_text(audience):
    assert privacy.lock_text(audience)


@pytest.mark.parametrize("stored", ["me", "", "PUBLIC", "everyone"])
def test_an_audience_no_form_can_store_is_read_as_only_me(stored):
    for role in ROLES:
        assert privacy.reaches(Relationship(role), stored) is (role is Role.OWNER)
    assert privacy.lock_text(stored) == privacy.lock_text(Audience.ONLY_ME)


def test_a_profile_with_settings_written_around_the_site_shows_no_more_than_only_me(
    target,
):
    target.bio = "bio-canary-7731"
    target.save()
    fan = UserFactory(username="fan")
    FollowFactory(follower=fan.profile, followee=target, status="accepted")
    owner_client, fan_client, visitor = Client(), Client(), Client()
    owner_client.force_login(target.user)
    fan_client.force_login(fan)

    PrivacySettings.objects.filter(profile=target).update(about="me")
    for viewer in (visitor, fan_client):
        page = viewer.get("/@Rakib/")
        assert page.status_code == 200
        assert "bio-canary-7731" not in page.content.decode()
    assert "bio-canary-7731" in owner_client.get("/@Rakib/").content.decode()

    PrivacySettings.objects.filter(profile=target).update(profile_visibility="open")
    assert visitor.get("/@Rakib/").status_code == 404
    assert fan_client.get("/@Rakib/").status_code == 404
    assert owner_client.get("/@Rakib/").status_code == 200
