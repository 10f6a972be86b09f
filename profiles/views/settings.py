"""`/me/settings/` and its section endpoints, for the HTML form and the JSON client.

The contract: a POST changes only the fields
it names, inside a transaction; every failure answers in one JSON shape.
"""

import json
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

import sentry_sdk
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from deltacrown import metrics
from deltacrown.errors import check_csrf, error_response, not_found, wants_json
from deltacrown.sentry import tag_request
from profiles import account_security, ratelimit
from profiles.companions import COMPANIONS
from profiles.follow_lists import pending_requests_queryset
from profiles.models import Profile
from profiles.sections import SECTIONS

logger = logging.getLogger(__name__)
security_logger = logging.getLogger("security")

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

VERIFY_EMAIL_SENTENCE = (
    "Confirm your email address before saving wallet numbers: open the link we "
    "emailed you, or send a new one from your email settings. Nothing was changed."
)


class SettingsError(Exception):
    """A request the settings endpoints refuse, with its status and a sentence."""

    def __init__(self, status: int, message: str, errors: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


def settings_page(request, section: str | None = None, bound_form=None, status=200):
    """The settings page, opened on one section."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    active = section or "basic"
    if active not in SECTIONS:
        return not_found(request)

    profile = _settings_profile(request.user)
    panels = []
    for key, spec in SECTIONS.items():
        if bound_form is not None and key == active:
            form = bound_form
        else:
            form = spec.form(spec.load(profile))
        url = reverse("profiles:settings-section", kwargs={"section": key})
        panels.append(
            {
                "spec": spec,
                "form": form,
                "url": url,
                "notice": _sensitive_notice(request, spec, url, profile),
            }
        )
    context = {
        "panels": panels,
        "active": active,
        "profile": profile,
        "security": {"two_factor": profile.two_factor},
        "pending_requests": profile.pending_requests or 0,
    }
    return render(request, "profiles/settings.html", context, status=status)


@csrf_exempt  # checked below, once the caller is known to be signed in
def settings_section(request, section: str):
    """`/me/settings/<section>/`: read (GET) or change (POST) one section.

    A stranger learns they must sign in (401) before anything else; a signed-in
    player's POST then needs its CSRF token like any other.
    """
    json_client = wants_json(request)
    spec = SECTIONS.get(section)
    try:
        if spec is None:
            raise SettingsError(404, "There is no such settings section.")
        if request.method not in ("GET", "HEAD", "POST"):
            raise SettingsError(
                405, "Use GET to read this section and POST to change it."
            )
        if not request.user.is_authenticated:
            if not json_client:
                return redirect_to_login(request.get_full_path())
            raise SettingsError(401, "Sign in to change your settings.")
        if request.method == "POST" and (rejection := check_csrf(request)):
            return rejection
        if request.method != "POST":
            if not json_client:
                return settings_page(request, section)
            # The profile came with the account; the section reads its own rows.
            return _success(spec.read(spec.load(request.user.profile)))
        if not ratelimit.allow(f"settings:{request.user.pk}", *_rate()):
            security_logger.warning(
                "Settings save refused, rate limit spent section=%s user_id=%s "
                "client=%s",
                spec.key,
                request.user.pk,
                account_security.client_address(request),
            )
            raise SettingsError(
                429, "You're saving very fast. Wait a minute and try again."
            )
        # The sign-in backend loaded the profile with the account.
        profile = request.user.profile
        if spec.sensitive:
            profile.email_verified = EmailAddress.objects.filter(
                user_id=request.user.pk, primary=True, verified=True
            ).exists()
        if spec.sensitive and (refusal := _guard(request, spec, json_client, profile)):
            return refusal
        return _save(request, spec, json_client, profile)
    except SettingsError as error:
        response = error_response(request, error.status, error.message, error.errors)
        if error.status == 405:
            response["Allow"] = "GET, POST"
        if error.status == 429:
            response["Retry-After"] = str(_rate()[1])
        return response


def _guard(request, spec, json_client: bool, profile):
    """Refuse a sensitive section's save without a verified email or fresh sign-in.

    None lets the save go ahead. A browser that must re-authenticate is sent
    to allauth's page and its post replayed afterwards (see account_security).
    """
    if not profile.email_verified:
        security_logger.info(
            "Sensitive save refused, email not verified section=%s user_id=%s",
            spec.key,
            request.user.pk,
        )
        if json_client:
            raise SettingsError(403, VERIFY_EMAIL_SENTENCE)
        messages.error(request, VERIFY_EMAIL_SENTENCE)
        return settings_page(request, spec.key, status=403)
    next_url = reverse("profiles:settings-section", kwargs={"section": spec.key})
    return account_security.reauthentication_refusal(request, next_url)


def _settings_profile(user) -> Profile:
    """The player's profile, its companion rows and what the page says besides.

    One query: the page then reads each section from the rows joined here.
    """
    pending = (
        pending_requests_queryset(user)
        .order_by()
        .values("followee")
        .annotate(waiting=Count("pk"))
        .values("waiting")
    )
    return (
        Profile.objects.select_related("user", *COMPANIONS)
        .annotate(
            email_verified=_email_verified(),
            two_factor=Exists(
                Authenticator.objects.filter(user_id=OuterRef("user_id"))
            ),
            pending_requests=Subquery(pending),
        )
        .get(user_id=user.pk)
    )


def _email_verified() -> Exists:
    """Whether the profile's player has confirmed their primary email address."""
    return Exists(
        EmailAddress.objects.filter(
            user_id=OuterRef("user_id"), primary=True, verified=True
        )
    )


def _sensitive_notice(request, spec, url: str, profile) -> dict | None:
    """What a sensitive section's panel says the player must do before saving."""
    if not spec.sensitive:
        return None
    if not profile.email_verified:
        return {"kind": "verify_email", "url": reverse("account_email")}
    if account_security.needs_reauthentication(request):
        return {
            "kind": "reauthenticate",
            "url": account_security.reauthentication_url(request, url),
        }
    return None


def _rate() -> tuple[int, int]:
    limit, window = settings.DELTACROWN["SETTINGS_RATE_LIMIT"]
    return limit, window


def _save(request, spec, json_client: bool, profile):
    payload, files = _read_body(request)
    form = None
    try:
        with transaction.atomic():
            state = spec.load(profile, for_update=True)
            if payload is None:
                named = _form_fields_named(request, spec, state)
                data = _merge_form_data(spec.values(state), request.POST, named)
                form = spec.form(state, data, files)
            else:
                errors = spec.check_json(state, payload)
                if errors:
                    _log_refusal(request, spec, errors)
                    raise SettingsError(
                        400, "Some fields have the wrong name or type.", errors
                    )
                # A JSON body names only what it changes; the rest keeps its value.
                changes = spec.flatten(payload)
                named = list(changes)
                form = spec.form(state, {**spec.values(state), **changes}, files)
            if not form.is_valid():
                _log_refusal(request, spec, form.errors, form)
                raise SettingsError(400, _summary(form), _errors(form))
            changed = named
            spec.save(form, state, changed)
    except SettingsError as error:
        if json_client:
            raise
        messages.error(request, error.message)
        return settings_page(request, spec.key, bound_form=form, status=400)
    except DatabaseError:
        logger.exception("Settings save failed section=%s", spec.key)
        tag_request(request)
        sentry_sdk.capture_exception()
        raise SettingsError(
            503,
            "We couldn't save your settings just now. Nothing was changed; try again.",
        ) from None

    logger.info(
        "Settings saved section=%s public_id=%s fields=%s",
        spec.key,
        profile.public_id,
        ",".join(sorted(changed)),
    )
    if json_client:
        return _success(spec.read(spec.saved_state(profile, state)))
    messages.success(request, f"{spec.title} saved.")
    return redirect("profiles:settings-section", section=spec.key)


def _read_body(request):
    """The JSON object a client sent, or None and the files for a form post."""
    content_type = request.content_type or ""
    if _content_length(request) == 0:
        raise SettingsError(400, "The request body is empty; send a JSON object.")
    try:
        if content_type in FORM_CONTENT_TYPES:
            # Reading POST here turns an oversized form into a 413 now.
            request.POST  # noqa: B018
            return None, request.FILES
        if content_type != "application/json":
            raise SettingsError(415, "Send the settings as JSON or as a form.")
        body = request.body
    except (RequestDataTooBig, TooManyFieldsSent):
        raise SettingsError(413, "That request is too large.") from None

    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SettingsError(400, "The request body is not valid JSON.") from None
    if not isinstance(payload, dict) or not payload:
        raise SettingsError(400, "Send a JSON object naming the fields to change.")
    try:
        # JSON escapes can spell half a character (a lone surrogate), which no
        # database can store.
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        raise SettingsError(
            400, "The request body holds text that is not valid."
        ) from None
    return payload, None


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# Form keys that carry no setting of their own.
FORM_META_KEYS = {"csrfmiddlewaretoken", "_fields"}


def _form_fields_named(request, spec, state) -> list[str]:
    """The fields a form post changes.

    The page's own forms list every field they hold in ``_fields``, so an
    unticked box (which browsers leave out) still counts as set to off. Any
    other form post changes only the keys it sends.
    """
    fields = spec.form(state).fields
    uploads = {
        name for name, field in fields.items() if isinstance(field, forms.FileField)
    }
    # A file sent for a text field would leave that field empty, as though
    # the player had cleared it; refuse it instead.
    misplaced = [key for key in request.FILES if key not in uploads]
    if misplaced:
        errors = {name: ["This field takes text, not a file."] for name in misplaced}
        _log_refusal(request, spec, errors)
        raise SettingsError(400, "Some fields were sent as files.", errors)
    declared = request.POST.get("_fields")
    if declared is not None:
        named = [name for name in declared.split(",") if name]
    else:
        named = [key for key in request.POST if key not in FORM_META_KEYS]
        named += [key for key in request.FILES if key not in named]
        for key in request.POST:
            # "<field>-clear" is the clear box of a file input, and of no other.
            if key.endswith("-clear") and key.removesuffix("-clear") in uploads:
                named.append(key.removesuffix("-clear"))
                named.remove(key)
    unknown = [name for name in named if name not in fields]
    if unknown or not named:
        errors = {name: ["This field can't be set here."] for name in unknown}
        _log_refusal(request, spec, errors)
        raise SettingsError(
            400,
            "Some fields have the wrong name." if unknown else "Nothing to change.",
            errors,
        )
    return list(dict.fromkeys(named))


def _merge_form_data(current: dict, posted, named: list[str]) -> QueryDict:
    """The section's current values, with the named fields taken from the post."""
    data = QueryDict(mutable=True)
    for name, value in current.items():
        if name in named:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        else:
            data[name] = "" if value is None else str(value)
    for name in named:
        if name in posted:
            data.setlist(name, posted.getlist(name))
    for key in posted:
        if key.endswith("-clear"):
            data[key] = posted[key]
    return data


def _log_refusal(request, spec, errors, form=None) -> None:
    logger.info(
        "Settings refused section=%s fields=%s",
        spec.key,
        ",".join(sorted(errors)),
    )
    for field, masked in getattr(form, "refused_numbers", {}).items():
        metrics.record_wallet_rejection()
        security_logger.warning(
            "Wallet number refused user_id=%s client=%s field=%s number=%s",
            request.user.pk,
            account_security.client_address(request),
            field,
            masked,
        )


def _errors(form) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in form.errors.items()}


def _summary(form) -> str:
    if len(form.errors) == 1:
        field, errors = next(iter(form.errors.items()))
        label = (form.fields[field].label if field in form.fields else None) or (
            "This change" if field == "__all__" else field
        )
        return f"{label}: {errors[0]}"
    return "Some fields need attention; see the messages beside each."


def _success(data: dict) -> JsonResponse:
    return JsonResponse({"success": True, "data": data})
