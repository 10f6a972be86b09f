"""The two staff groups the migrations make, and the admin doors each opens."""

from http import HTTPStatus

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import GroupCollectionPermission, GroupPagePermission

import pytest

from tests.factories import UserFactory, signed_in

pytestmark = pytest.mark.django_db

EDITORS = {
    "home.change_communitysettings",
    "wagtailadmin.access_admin",
    *(
        f"profiles.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("achievement", "game", "team", "userachievement")
    ),
    *(
        f"{app}.{action}_{model}"
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in ("add", "change", "choose", "delete")
    ),
}

MODERATORS = {
    "wagtailadmin.access_admin",
    "moderation.view_player",
    "moderation.view_report",
    "moderation.resolve_report",
    "moderation.view_suspension",
    "moderation.add_suspension",
    "moderation.lift_suspension",
    "deletions.view_deletionrequest",
    "deletions.decide_deletionrequest",
    "payouts.view_payoutclaim",
    "payouts.resolve_payoutclaim",
    "payouts.reveal_payoutclaim",
}

# What only moderators run, and what only editors run.
MODERATION_URLS = [
    "/admin/moderation/players/",
    "/admin/moderation/reports/",
    "/admin/deletion_requests/",
    "/admin/payout_claims/",
]
EDITING_URLS = [
    "/admin/pages/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/snippets/profiles/game/",
    "/admin/snippets/profiles/userachievement/add/",
    "/admin/settings/home/communitysettings/",
]
NOBODYS_URLS = ["/admin/users/", "/admin/groups/", "/admin/sites/"]


def permissions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def member_of(name: str) -> Client:
    user = UserFactory(username=name.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    return signed_in(user)


def refused(response) -> bool:
    """The admin turns a user away with 403, or home with a message (302)."""
    if response.status_code == HTTPStatus.FOUND:
        return not response["Location"].startswith("/admin/login/")
    return response.status_code == HTTPStatus.FORBIDDEN


def test_each_group_holds_exactly_its_permissions():
    assert permissions("Editors") == EDITORS
    assert permissions("Moderators") == MODERATORS


def test_moderators_hold_no_page_image_or_document_rights():
    moderators = Group.objects.get(name="Moderators")

    assert not GroupPagePermission.objects.filter(group=moderators).exists()
    assert not GroupCollectionPermission.objects.filter(group=moderators).exists()


def test_editors_publish_under_the_root_and_own_the_media_collection():
    editors = Group.objects.get(name="Editors")

    assert set(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "permission__codename", flat=True
        )
    ) >= {"add_page", "change_page", "publish_page"}
    assert GroupCollectionPermission.objects.filter(group=editors).exists()


@pytest.mark.parametrize("url", MODERATION_URLS + NOBODYS_URLS)
def test_an_editor_is_refused_accounts_and_wallets(url):
    assert refused(member_of("Editors").get(url)), url


@pytest.mark.parametrize("url", EDITING_URLS + NOBODYS_URLS)
def test_a_moderator_is_refused_pages_media_snippets_and_settings(url):
    assert refused(member_of("Moderators").get(url)), url


@pytest.mark.parametrize(
    ("group", "url"),
    [("Moderators", url) for url in MODERATION_URLS]
    + [("Editors", url) for url in EDITING_URLS],
)
def test_each_group_opens_its_own_workspace(group, url):
    response = member_of(group).get(url, follow=True)

    assert response.status_code == HTTPStatus.OK, url
    # The settings page sends on to the default site's; nothing sends home.
    assert response.request["PATH_INFO"].startswith(url), url
