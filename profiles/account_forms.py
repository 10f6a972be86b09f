"""allauth's forms, where this site needs them stricter."""

from __future__ import annotations

import string

from django import forms

from allauth.account import fields as allauth_fields
from allauth.account import forms as allauth_forms
from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.account.models import EmailAddress

from .models import User

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def same_address(stored: str, typed: str) -> bool:
    """True when two addresses differ at most in the case of ASCII letters.

    Unicode case rules would make ``JOHN@GİTHUB.COM`` or ``john@gıthub.com``
    (dotless ı) equal to ``john@github.com``; here any character outside ASCII
    must match exactly.
    """
    return stored.translate(_ASCII_LOWER) == typed.translate(_ASCII_LOWER)


def accounts_at_address(typed: str) -> list[tuple[User, str]]:
    """The active accounts holding ``typed``, each with the address as stored.

    The database lookup may fold more than ASCII case (PostgreSQL's UPPER does),
    so every row it finds is checked again with ``same_address``. Verified
    addresses win over unverified ones, as in allauth.
    """
    rows = [
        row
        for row in EmailAddress.objects.filter(email__iexact=typed).select_related(
            "user"
        )
        if same_address(row.email, typed)
    ]
    verified = [row for row in rows if row.verified]
    found: dict[int, tuple[User, str]] = {}
    for row in verified or rows:
        found.setdefault(row.user_id, (row.user, row.email))
    if not verified:
        for user in User.objects.filter(email__iexact=typed):
            if same_address(user.email, typed):
                found.setdefault(user.pk, (user, user.email))
    return [(user, address) for user, address in found.values() if user.is_active]


class TypedEmailField(allauth_fields.EmailField):
    """allauth's email field, keeping the address as typed.

    allauth lower-cases with Unicode rules, which turns a Kelvin sign (K) into
    a plain k before any comparison could refuse it.
    """

    def clean(self, value):
        return forms.EmailField.clean(self, value)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """Password reset that mails a link only to an address an account holds.

    The link goes to the address as stored, never as typed. An unknown address
    gets allauth's "no account here" email, so the answer in the browser is
    the same either way.
    """

    email = TypedEmailField(required=True)

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"]
        self.recipients = accounts_at_address(typed)
        self.users = [user for user, _ in self.recipients]
        return typed

    def save(self, request, **kwargs) -> str:
        typed = self.cleaned_data["email"]
        tokens = kwargs.get("token_generator", allauth_forms.default_token_generator)
        if not self.recipients:
            request_password_reset(request, typed, [], tokens)
        for user, address in self.recipients:
            request_password_reset(request, address, [user], tokens)
        return typed
