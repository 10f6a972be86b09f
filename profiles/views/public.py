"""The public profile and the follow actions on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from deltacrown.errors import check_csrf, error_response, not_found, wants_json
from home import popularity, site_settings
from moderation.public import unavailable_or_not_found
from profiles import privacy, profile_cache, services
from profiles.models import Follow
from profiles.privacy import Access, Role
from profiles.profile_page import (
    PREVIEW_ROLES,
    StrangerKey,
    build_profile_page,
    cache_parts,
    get_profile,
    stranger_key,
)

MAX_PAGE = 10_000

PREVIEW_NAMES = {
    Role.ANONYMOUS: "a visitor who is not signed in",
    Role.MEMBER: "a signed-in member",
    Role.FOLLOWER: "a follower",
}


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def profile(request, username: str):
    """`/@username/`: the player's profile as this viewer may see it.

    The owner may add ``?view_as=anonymous|member|follower`` to see it as that
    viewer would; for anyone else the parameter means nothing.
    """
    if _same_for_every_stranger(request):
        key = stranger_key(username)
        if key is not None:
            response = _stranger_page(request, username, key)
            if _counts_as_a_view(request, response):
                popularity.record_view(request, key.profile_id, key.user_id)
            return response
    player = get_profile(username, request.user)
    if player is None:
        return unavailable_or_not_found(request, username)
    if _same_for_every_viewer_like_this(request):
        response = _signed_in_page(request, username, player)
    else:
        response = _profile_response(request, username, player)
    if _counts_as_a_view(request, response):
        popularity.record_view(request, player.pk, player.user_id)
    return response


def _counts_as_a_view(request, response) -> bool:
    """A page someone opened: not a HEAD (link checkers, monitors), not an
    owner's "view as" preview, not a redirect or a refusal."""
    return (
        response.status_code == 200
        and request.method == "GET"
        and "view_as" not in request.GET
    )


def _same_for_every_stranger(request) -> bool:
    """Whether this request gets the page every signed-out visitor gets.

    A visitor with a message waiting (just signed out, say) gets their own.
    """
    return (
        not request.user.is_authenticated
        and request.method in ("GET", "HEAD")
        and not messages.get_messages(request)
    )


def _same_for_every_viewer_like_this(request) -> bool:
    """Whether this signed-in request may get a page shared by others like them.

    Not with a message waiting, and not the owner's "view as" previews.
    """
    return (
        request.user.is_authenticated
        and request.method in ("GET", "HEAD")
        and "view_as" not in request.GET
        and not messages.get_messages(request)
    )


class _SomeoneSignedIn:
    """The viewer a shared signed-in page is rendered for: nobody in particular.

    The templates ask only whether someone is signed in; anything else they
    might ask of this viewer renders as nothing, so no one viewer's details
    can reach a page others are served.
    """

    is_authenticated = True
    is_anonymous = False


SOMEONE_SIGNED_IN = _SomeoneSignedIn()
# What {% csrf_token %} writes; the shared page holds the placeholder, and each
# request gets its own token in its place. Escaped player text cannot hold the
# tag's quotes and brackets, so only the forms' own fields are replaced.
CSRF_FIELD = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
CSRF_PLACEHOLDER = "csrf-token-of-this-request"


def _signed_in_page(request, username: str, player):
    """A signed-in viewer's page, shared with viewers like them.

    Viewers with the same role and the same follow and block state see the
    same page but for their forms' CSRF token. It is rendered once per
    version for someone signed in and nobody in particular, and keyed like
    the profile's other cached parts (the role, the block, the privacy
    settings, the profile's version) and also by the viewer's follow and
    block state. The owner's role is theirs alone, so their page (with their
    balance and follow requests, which bump the version) is kept for them
    only.
    """
    # The key needs only what the profile's query brought: no cache read and
    # no page built until the page is missing.
    relation = privacy.relationship(player, request.user)
    if (
        privacy.profile_access(player, relation) is not Access.FULL
        or username != player.user.username
    ):
        return _profile_response(request, username, player)

    def render_page():
        shared = _profile_response(request, username, player, viewer=SOMEONE_SIGNED_IN)
        if shared.status_code != 200 or shared.cookies:
            return None
        return shared.content.decode(), shared.get("X-Robots-Tag")

    match_page = _page_number(request.GET.get("matches"))
    entry = _kept_page(
        request,
        player.pk,
        (
            *cache_parts(player, relation, match_page),
            relation.follow_status,
            relation.blocking,
            "signed-in page",
        ),
        render_page,
    )
    if entry is None:
        return _profile_response(request, username, player)
    content, robots = entry
    response = _kept_response(
        content.replace(
            format_html(CSRF_FIELD, CSRF_PLACEHOLDER),
            format_html(CSRF_FIELD, get_token(request)),
        ),
        robots,
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _kept_page(request, profile_id: int, parts: tuple, render):
    """A whole profile page from the profile cache, or render() kept there.

    Keyed also by the address it was asked at, which the page names in its
    links, and by the site settings' version, as it shows the community name,
    footer and announcement.
    """
    return profile_cache.cached(
        profile_id,
        (*parts, request.scheme, request.get_host(), request.path),
        render,
        also_versions=(site_settings.VERSION_KEY,),
    )


def _kept_response(content, robots: str | None) -> HttpResponse:
    response = HttpResponse(content)
    if robots:
        response["X-Robots-Tag"] = robots
    return response


def _stranger_page(request, username: str, key: StrangerKey):
    """The signed-out visitor's page, rendered once per version and shared.

    It is keyed like every cached part of the profile (profile_cache): by the
    role, the privacy settings as they stand and the profile's version.
    """
    match_page = _page_number(request.GET.get("matches"))
    rendered = None

    def render_page():
        nonlocal rendered
        player = get_profile(username, request.user)
        if player is None:  # suspended since the key was read
            rendered = unavailable_or_not_found(request, username)
            return None
        rendered = _profile_response(request, username, player)
        if (
            rendered.status_code != 200
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or rendered.cookies
            or StrangerKey.of(player) != key
        ):
            # Only a plain page, with no token and no cookie of its own, is
            # the same for everyone; and only one built from the settings the
            # key names may be stored under it.
            return None
        return rendered.content, rendered.get("X-Robots-Tag")

    entry = _kept_page(
        request, key.profile_id, (*key.cache_parts(match_page), "page"), render_page
    )
    if entry is None:
        return rendered
    return _kept_response(*entry)


def _profile_response(request, username: str, player, viewer=None):
    """The profile page rendered for this request's viewer, or for ``viewer``.

    Given a stand-in viewer, the page is rendered for it alone: no messages,
    and a placeholder for the CSRF token (see _signed_in_page).
    """
    page = build_profile_page(
        player,
        request.user,
        match_page=_page_number(request.GET.get("matches")),
        view_as=PREVIEW_ROLES.get(request.GET.get("view_as", "")),
    )
    # Answer a hidden profile exactly like a missing one, before any redirect
    # could reveal that the name exists.
    if page.access is Access.NOT_FOUND and page.preview is None:
        return not_found(request)
    if username != player.user.username:
        target = player.get_absolute_url()
        if request.GET:
            target += "?" + request.GET.urlencode()
        return HttpResponseRedirect(target, status=301)

    context = {
        "page": page,
        # The previewed page is rendered for the viewer it imitates, so the
        # parts that ask "is someone signed in?" answer as that viewer would.
        "page_user": AnonymousUser()
        if page.preview is Role.ANONYMOUS
        else viewer or request.user,
        "preview_name": PREVIEW_NAMES.get(page.preview, ""),
        "preview_choices": _preview_choices(page),
    }
    if viewer is not None:
        context.update(user=viewer, messages=(), csrf_token=CSRF_PLACEHOLDER)
    context["sections_html"] = _sections_html(player, page, context["page_user"])
    if page.access is Access.NOT_FOUND:
        response = render(request, "profiles/profile_preview_hidden.html", context)
    else:
        response = render(request, "profiles/profile.html", context)
    if page.noindex:
        response["X-Robots-Tag"] = "noindex"
    if request.user.is_authenticated:
        # What a signed-in viewer sees is theirs alone; no shared cache keeps it.
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _sections_html(player, page, page_user) -> str:
    """The profile's sections as HTML, rendered once per role and version.

    They are most of the page's rendering, and they depend only on what the
    role may see (the keys of the data they show), so every viewer in the role
    shares one rendering.
    """
    if page.access is not Access.FULL:
        return ""
    return mark_safe(  # noqa: S308 - rendered by our own autoescaping template
        profile_cache.cached(
            player.pk,
            (*page.cache_parts, "sections.html"),
            lambda: render_to_string(
                "profiles/includes/profile_sections.html",
                {"page": page, "user": page_user},
            ),
        )
    )


def _preview_choices(page) -> list[dict]:
    """The owner's "view as" switcher; nobody else gets one."""
    if not page.is_owner and page.preview is None:
        return []
    return [
        {"key": key, "label": PREVIEW_NAMES[role], "current": role is page.preview}
        for key, role in PREVIEW_ROLES.items()
    ]


@login_required
def me(request):
    """`/me/profile/`: the signed-in player's own profile."""
    return redirect(request.user.profile.get_absolute_url())


@csrf_exempt  # checked in _follow_action, after the 401 for strangers
def follow(request, username: str):
    return _follow_action(request, username, follow=True)


@csrf_exempt  # checked in _follow_action, after the 401 for strangers
def unfollow(request, username: str):
    return _follow_action(request, username, follow=False)


def _follow_action(request, username: str, *, follow: bool):
    json_client = wants_json(request)
    if request.method != "POST":
        response = error_response(request, 405, "Follow and unfollow with a POST.")
        response["Allow"] = "POST"
        return response
    if not request.user.is_authenticated:
        if json_client:
            return error_response(request, 401, "Sign in to follow players.")
        return redirect(f"/accounts/login/?next=/@{username}/")
    if rejection := check_csrf(request):
        return rejection

    target = get_profile(username, request.user)
    page = build_profile_page(target, request.user) if target else None
    if page is None or page.access is Access.NOT_FOUND:
        return error_response(request, 404, "No such player.")

    viewer = request.user.profile
    try:
        if follow:
            status = services.follow(viewer, target)
        else:
            services.unfollow(viewer, target)
            status = None
    except services.ActionRefused as refusal:
        if json_client:
            return error_response(request, refusal.status, refusal.message)
        messages.error(request, refusal.message)
        return redirect(target.get_absolute_url())

    if json_client:
        # The relationship read with the profile predates this action.
        target.annotated_for = None
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
