"""`/me/settings/` and its section endpoints, for the HTML form and the JSON client.

The contract (DESIGN.md, "Settings endpoints"): a POST changes only the fields
it names, inside a transaction; every failure answers in one JSON shape.
"""

import json
import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

import sentry_sdk

from deltacrown.errors import json_error, wants_json
from profiles.sections import SECTIONS, instance_data, section_data

logger = logging.getLogger(__name__)

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SettingsError(Exception):
    """A request the settings endpoints refuse, with its status and a sentence."""

    def __init__(self, status: int, message: str, errors: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


def settings_page(request, section: str | None = None, bound_form=None):
    """The settings page, opened on one section."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    active = section or "basic"
    if active not in SECTIONS:
        raise Http404("No such settings section.")

    profile = request.user.profile
    panels = []
    for spec in SECTIONS.values():
        form = None
        if spec.writable:
            form = (
                bound_form
                if bound_form is not None and spec.key == active
                else spec.form_class(instance=spec.instance(profile))
            )
        panels.append(
            {
                "spec": spec,
                "form": form,
                "data": None if spec.writable else section_data(spec, profile),
                "url": reverse(
                    "profiles:settings-section", kwargs={"section": spec.key}
                ),
            }
        )
    context = {"panels": panels, "active": active, "profile": profile}
    return render(
        request,
        "profiles/settings.html",
        context,
        status=400 if bound_form is not None else 200,
    )


def settings_section(request, section: str):
    """`/me/settings/<section>/`: read (GET) or change (POST) one section."""
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
                return redirect(f"{reverse('account_login')}?next={request.path}")
            raise SettingsError(401, "Sign in to change your settings.")
        if request.method != "POST":
            if not json_client:
                return settings_page(request, section)
            return _success(section_data(spec, request.user.profile))
        if not spec.writable:
            raise SettingsError(405, f"{spec.title} can't be changed here yet.")
        return _save(request, spec, json_client)
    except SettingsError as error:
        if spec is None and not json_client:
            raise Http404("No such settings section.") from None
        response = json_error(error.status, error.message, error.errors)
        if error.status == 405:
            response["Allow"] = "GET, POST" if spec.writable else "GET"
        return response


def _save(request, spec, json_client: bool):
    data, files, named = _read_body(request, spec)
    profile = request.user.profile
    try:
        with transaction.atomic():
            instance = spec.instance(profile, for_update=True)
            if named is not None:
                # A JSON body names only what it changes; the rest keeps its value.
                data = {**_current_values(spec, instance), **data}
            form = spec.form_class(data, files, instance=instance)
            if not form.is_valid():
                raise SettingsError(
                    400,
                    _summary(form),
                    {field: list(errors) for field, errors in form.errors.items()},
                )
            changed = list(form.fields) if named is None else named
            saved = form.save(commit=False)
            concrete = [
                name for name in changed
                if name not in _many_to_many(spec.form_class)
            ]  # fmt: skip
            if concrete:
                if hasattr(saved, "updated_at"):
                    concrete.append("updated_at")
                saved.save(update_fields=concrete)
            if set(changed) & _many_to_many(spec.form_class):
                form.save_m2m()
    except SettingsError as error:
        if json_client:
            raise
        messages.error(request, error.message)
        return settings_page(request, spec.key, bound_form=form)
    except DatabaseError:
        logger.exception("Settings save failed section=%s", spec.key)
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
        return _success(instance_data(spec.form_class, saved))
    messages.success(request, f"{spec.title} saved.")
    return redirect("profiles:settings-section", section=spec.key)


def _read_body(request, spec):
    """Parse the POST into form data; ``named`` lists the fields a JSON body sets."""
    content_type = request.content_type or ""
    if _content_length(request) == 0:
        raise SettingsError(400, "The request body is empty; send a JSON object.")
    try:
        if content_type == "application/json":
            body = request.body
        elif content_type in FORM_CONTENT_TYPES:
            return request.POST, request.FILES, None
        else:
            raise SettingsError(415, "Send the settings as JSON or as a form.", None)
    except (RequestDataTooBig, TooManyFieldsSent):
        raise SettingsError(413, "That request is too large.") from None

    if not body.strip():
        raise SettingsError(400, "The request body is empty; send a JSON object.")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SettingsError(400, "The request body is not valid JSON.") from None
    if not isinstance(payload, dict) or not payload:
        raise SettingsError(400, "Send a JSON object naming the fields to change.")

    form_fields = spec.form_class.base_fields
    errors = {}
    for name, value in payload.items():
        field = form_fields.get(name)
        if field is None or isinstance(field, forms.FileField):
            errors[name] = ["This field can't be set here."]
        elif not _json_type_ok(field, value):
            errors[name] = [_expected(field)]
    if errors:
        raise SettingsError(400, "Some fields have the wrong name or type.", errors)
    return payload, None, list(payload)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _json_type_ok(field, value) -> bool:
    if isinstance(field, forms.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return isinstance(value, list) and all(
            isinstance(item, int | str) and not isinstance(item, bool) for item in value
        )
    if isinstance(field, forms.IntegerField):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _expected(field) -> str:
    if isinstance(field, forms.BooleanField):
        return "Expected true or false."
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "Expected a list."
    if isinstance(field, forms.IntegerField):
        return "Expected a whole number."
    return "Expected text."


def _current_values(spec, instance) -> dict:
    values = {}
    for name, field in spec.form_class.base_fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = getattr(instance, name)
        values[name] = (
            [item.pk for item in value.all()] if hasattr(value, "all") else value
        )
    return values


def _many_to_many(form_class) -> set[str]:
    return {
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField)
    }


def _summary(form) -> str:
    if len(form.errors) == 1:
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else "This change"
        return f"{label}: {errors[0]}"
    return "Some fields need attention; see the messages beside each."


def _success(data: dict) -> JsonResponse:
    return JsonResponse({"success": True, "data": data})
