"""Checks before account-sensitive changes, and ending a player's sessions.

Saving wallet numbers needs a verified email address and a recent
re-authentication; so will deleting an account. The checks use allauth's own
records: which email addresses are verified, and when the player last confirmed
their password or a second-factor code on allauth's re-authentication pages.
"""

from __future__ import annotations

import logging
import time

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import (
    did_recently_reauthenticate,
)
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ReauthenticationRequired
from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
from allauth.usersessions.models import UserSession

from deltacrown.errors import wants_json

security_logger = logging.getLogger("security")

REAUTHENTICATE_SENTENCE = (
    "For your safety, confirm it's you with your password or an authenticator "
    "code before making this change. Nothing was changed."
)


def has_verified_primary_email(user: AbstractBaseUser) -> bool:
    """True when the player's primary email address is confirmed."""
    return EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()


def needs_reauthentication(request: HttpRequest) -> bool:
    """True unless the player confirmed who they are in the last few minutes.

    Only allauth's re-authentication pages count (password, or a second-factor
    code), within ACCOUNT_REAUTHENTICATION_TIMEOUT; signing in does not.
    """
    if _reauthenticated_lately(request):
        # allauth would say the same, after three queries for the player's
        # second factors; the session alone answers it here.
        return False
    if request.user.has_usable_password():
        # allauth skips the check only for players with no way to re-enter a
        # secret; the password is one.
        return True
    return not did_recently_reauthenticate(request)


def _reauthenticated_lately(request: HttpRequest) -> bool:
    records = [
        record
        for record in get_authentication_records(request, request.user)
        if record.get("reauthenticated")
    ]
    return bool(records) and (
        time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
    )


def reauthentication_url(request: HttpRequest, next_url: str) -> str:
    """Where the player confirms who they are, coming back to ``next_url``."""
    if request.user.has_usable_password():
        # The password page comes first in allauth's list whenever it is on it.
        page = reverse("account_reauthenticate")
    else:
        methods = get_adapter(request).get_reauthentication_methods(request.user)
        page = methods[0]["url"] if methods else reverse("account_reauthenticate")
    return f"{page}?{urlencode({'next': next_url})}"


def reauthentication_refusal(
    request: HttpRequest, next_url: str, sentence: str = REAUTHENTICATE_SENTENCE
) -> JsonResponse | None:
    """None when the player recently re-authenticated; otherwise ask them to.

    A JSON client gets a 401 in the settings error shape with a
    ``reauthenticate`` URL to send the player to. For a browser this raises
    allauth's ReauthenticationRequired: its middleware keeps the form post,
    shows the re-authentication page and replays the post once it succeeds.
    """
    if not needs_reauthentication(request):
        return None
    security_logger.info(
        "Re-authentication asked path=%s user_id=%s", request.path, request.user.pk
    )
    if not wants_json(request):
        raise ReauthenticationRequired()
    return JsonResponse(
        {
            "success": False,
            "error": sentence,
            "reauthenticate": reauthentication_url(request, next_url),
        },
        status=401,
    )


def client_address(request: HttpRequest) -> str:
    """The client's address as the rate limits see it (trusted proxies applied)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - an address for a log line is never worth a 500
        return "unknown"


def end_all_sessions(user: AbstractBaseUser) -> int:
    """Delete every session the player has open, server-side; how many ended."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    get_sessions_adapter().end_sessions(sessions)
    return len(sessions)
