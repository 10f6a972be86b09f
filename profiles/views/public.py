"""The public profile and the follow actions on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from deltacrown.errors import json_error, wants_json
from profiles import services
from profiles.models import Follow
from profiles.privacy import Access
from profiles.profile_page import build_profile_page, get_profile

MAX_PAGE = 10_000


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def profile(request, username: str):
    """`/@username/`: the player's profile as this viewer may see it."""
    player = get_profile(username)
    if player is None:
        raise Http404("No such player.")
    page = build_profile_page(
        player, request.user, match_page=_page_number(request.GET.get("matches"))
    )
    # Answer a hidden profile exactly like a missing one, before any redirect
    # could reveal that the name exists.
    if page.access is Access.NOT_FOUND:
        raise Http404("No such player.")
    if username != player.user.username:
        target = player.get_absolute_url()
        if request.GET:
            target += "?" + request.GET.urlencode()
        return HttpResponseRedirect(target, status=301)

    response = render(request, "profiles/profile.html", {"page": page})
    if page.noindex:
        response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def me(request):
    """`/me/profile/`: the signed-in player's own profile."""
    return redirect(request.user.profile.get_absolute_url())


@require_POST
def follow(request, username: str):
    return _follow_action(request, username, follow=True)


@require_POST
def unfollow(request, username: str):
    return _follow_action(request, username, follow=False)


def _follow_action(request, username: str, *, follow: bool):
    json_client = wants_json(request)
    if not request.user.is_authenticated:
        if json_client:
            return json_error(401, "Sign in to follow players.")
        return redirect(f"/accounts/login/?next=/@{username}/")

    target = get_profile(username)
    if target is None:
        return _not_found(json_client)
    page = build_profile_page(target, request.user)
    if page.access is Access.NOT_FOUND:
        return _not_found(json_client)

    viewer = request.user.profile
    try:
        if follow:
            status = services.follow(viewer, target)
        else:
            services.unfollow(viewer, target)
            status = None
    except services.ActionRefused as refusal:
        if json_client:
            return json_error(refusal.status, refusal.message)
        messages.error(request, refusal.message)
        return redirect(target.get_absolute_url())

    if json_client:
        header = build_profile_page(target, request.user).header
        return JsonResponse(
            {
                "success": True,
                "data": {
                    "status": status or "none",
                    "follower_count": header.follower_count if header else None,
                },
            }
        )
    if status == Follow.Status.PENDING:
        messages.success(request, "Follow request sent.")
    elif status == Follow.Status.ACCEPTED:
        messages.success(request, f"You follow {target.display_name}.")
    else:
        messages.success(request, f"You no longer follow {target.display_name}.")
    return redirect(target.get_absolute_url())


def _not_found(json_client: bool):
    if json_client:
        return json_error(404, "No such player.")
    raise Http404("No such player.")
