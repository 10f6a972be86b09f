"""Followers and following lists, follow requests and blocks."""

from http import HTTPStatus

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt

from deltacrown.errors import check_csrf, error_response, not_found, wants_json
from profiles import follow_lists, privacy, services
from profiles.companions import companion
from profiles.models import Block, Follow, Profile, ProfileVisibility
from profiles.privacy import Access
from profiles.profile_page import get_profile
from profiles.views import public

REQUEST_ACTIONS = {
    "accept": (services.accept_follow, "accepted", "{name} now follows you."),
    "decline": (services.decline_follow, "none", "You declined {name}'s request."),
    "remove": (services.remove_follower, "none", "{name} no longer follows you."),
}


def followers(request, username: str):
    """`/@username/followers/`: who follows the player, as this viewer may see it."""
    return _follow_list(request, username, "followers")


def following(request, username: str):
    """`/@username/following/`: who the player follows, as this viewer may see it."""
    return _follow_list(request, username, "following")


def _follow_list(request, username: str, kind: str):
    player = get_profile(username)
    if player is None:
        return not_found(request)
    page_number = public._page_number(request.GET.get("page"))
    listing = follow_lists.build_follow_list(
        player, request.user, kind, page=page_number
    )

    # The same answers, in the same order, as the profile page itself gives.
    if listing.access is Access.NOT_FOUND:
        return not_found(request)
    if username != player.user.username:
        target = reverse(f"profiles:{kind}", kwargs={"username": player.user.username})
        if request.GET:
            target += "?" + request.GET.urlencode()
        return HttpResponseRedirect(target, status=301)
    if listing.access is Access.LOCKED:
        return public.profile(request, player.user.username)

    response = render(request, "profiles/follow_list.html", {"listing": listing})
    # Lists of people are for visitors, not for search engines.
    response["X-Robots-Tag"] = "noindex"
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def follow_requests(request):
    """`/me/follow-requests/`: the players waiting for the signed-in player."""
    if not request.user.is_authenticated:
        query = urlencode({"next": request.path})
        return redirect(f"{reverse('account_login')}?{query}")
    page_number = public._page_number(request.GET.get("page"))
    listing = follow_lists.pending_requests(request.user, page=page_number)

    response = render(request, "profiles/follow_requests.html", {"listing": listing})
    patch_cache_control(response, private=True, no_cache=True)
    return response


@csrf_exempt  # checked in _refusal, after the 401 for strangers
def follow_request_action(request, username: str, follower_username: str, action):
    """Accept, decline or remove a follower; only the followed player may."""
    if refusal := _refusal(request, "Sign in to manage your followers."):
        return refusal

    owner = get_profile(username)
    if owner is None:
        return error_response(request, HTTPStatus.NOT_FOUND, "No such player.")
    relation = privacy.relationship(owner, request.user)
    if not relation.is_owner:
        if privacy.profile_access(owner, relation) is Access.NOT_FOUND:
            return error_response(request, HTTPStatus.NOT_FOUND, "No such player.")
        return error_response(
            request, HTTPStatus.FORBIDDEN, "Only the player can manage their followers."
        )

    follower = _player_known_to(follower_username, owner)
    if follower is None:
        return error_response(request, HTTPStatus.NOT_FOUND, "No such player.")
    service, status, sentence = REQUEST_ACTIONS[action]
    default_next = reverse("profiles:follow-requests")
    try:
        service(owner, follower)
    except services.ActionRefused as refused:
        return _refused(request, refused, default_next)

    if wants_json(request):
        return JsonResponse({"success": True, "data": {"status": status}})
    messages.success(request, sentence.format(name=follower.display_name))
    return redirect(_next_url(request, default_next))


@csrf_exempt  # checked in _refusal, after the 401 for strangers
def block(request, username: str):
    return _block_action(request, username, block=True)


@csrf_exempt  # checked in _refusal, after the 401 for strangers
def unblock(request, username: str):
    return _block_action(request, username, block=False)


def _block_action(request, username: str, *, block: bool):
    if refusal := _refusal(request, "Sign in to block players."):
        return refusal

    viewer = request.user.profile
    target = _player_known_to(username, viewer)
    if target is None:
        return error_response(request, HTTPStatus.NOT_FOUND, "No such player.")

    try:
        if block:
            services.block(viewer, target)
        else:
            services.unblock(viewer, target)
    except services.ActionRefused as refused:
        return _refused(request, refused, target.get_absolute_url())

    if wants_json(request):
        return JsonResponse({"success": True, "data": {"blocked": block}})
    if block:
        messages.success(request, f"You blocked {target.display_name}.")
    else:
        messages.success(request, f"You unblocked {target.display_name}.")
    return redirect(target.get_absolute_url())


def _refusal(request, sign_in_message: str):
    """The answer to a request these actions refuse before looking at players."""
    if request.method != "POST":
        response = error_response(
            request, HTTPStatus.METHOD_NOT_ALLOWED, "Do this with a POST."
        )
        response["Allow"] = "POST"
        return response
    if not request.user.is_authenticated:
        if wants_json(request):
            return error_response(request, HTTPStatus.UNAUTHORIZED, sign_in_message)
        query = urlencode({"next": _next_url(request, request.path)})
        return redirect(f"{reverse('account_login')}?{query}")
    return check_csrf(request)


def _refused(request, refused: services.ActionRefused, default_next: str):
    if wants_json(request):
        return error_response(request, refused.status, refused.message)
    messages.error(request, refused.message)
    return redirect(_next_url(request, default_next))


def _player_known_to(username: str, viewer: Profile):
    """The player with this username, as far as ``viewer`` may know they exist.

    A hidden player is unknown to everyone, except to a player they follow,
    ask to follow, are followed by, or who has blocked them: that player
    already sees them in a list and must be able to act on them.
    """
    player = get_profile(username)
    if player is None:
        return None
    visibility = companion(player, "privacy").profile_visibility
    if visibility != ProfileVisibility.HIDDEN:
        return player
    linked = (
        Follow.objects.filter(
            Q(follower=player, followee=viewer) | Q(follower=viewer, followee=player)
        ).exists()
        or Block.objects.filter(blocker=viewer, blocked=player).exists()
    )
    return player if linked else None


def _next_url(request, default: str) -> str:
    """Where the form asked to go back to, when that is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
