"""The settings sections: what each edits, with which form, and how it reads back.

Every section answers the same five questions, so the HTML and JSON views treat
them alike: load the current state (locked for update when saving), give its
values as form data, build the bound form, save the fields a request named, and
read the state back as JSON.
"""

from __future__ import annotations

from django import forms
from django.db import transaction

from deltacrown.statements import Statement

from . import catalogue, profile_cache, wallet_numbers
from .forms import (
    BasicProfileForm,
    GamePassportsForm,
    NotificationsForm,
    PlatformForm,
    PrivacyForm,
    SocialLinksForm,
    WalletForm,
)
from .models import (
    GameProfile,
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
    SocialLink,
    WalletSettings,
)


class Section:
    """One part of the settings page and its endpoint."""

    key: str
    title: str
    description: str
    form_class: type[forms.Form]

    def __init__(
        self, key: str, title: str, description: str, *, sensitive: bool = False
    ):
        self.key = key
        self.title = title
        self.description = description
        # Saving needs a verified email and a recent re-authentication.
        self.sensitive = sensitive

    def load(self, profile: Profile, *, for_update: bool = False):
        raise NotImplementedError

    def values(self, state) -> dict:
        """The current values, shaped as form data."""
        raise NotImplementedError

    def form(self, state, data=None, files=None) -> forms.Form:
        return self.form_class(data, files, initial=self.values(state))

    def save(self, form: forms.Form, state, fields: list[str]) -> None:
        raise NotImplementedError

    def read(self, state) -> dict:
        """The current values as the JSON client receives them."""
        return self.values(state)

    def saved_state(self, profile: Profile, state):
        """The section's state once a save is done, read again where needed."""
        return self.load(profile)

    def check_json(self, state, payload: dict) -> dict[str, list[str]]:
        """Errors for names a JSON body may not set and values of the wrong type."""
        return json_errors(self.form(state).fields, payload)

    def flatten(self, payload: dict) -> dict:
        """Turn a JSON body into form data; most sections take it as it is."""
        return payload


class ModelSection(Section):
    """A section that edits one row: the profile or one of its companions."""

    def __init__(self, key, title, description, form_class, model, **kwargs):
        super().__init__(key, title, description, **kwargs)
        self.form_class = form_class
        self.model = model
        self._many = [field.name for field in model._meta.many_to_many]
        # Reading a section, and locking its row to save it, is one query
        # each; compiled once, as they run on every use of the endpoint.
        self._read = Statement(
            lambda profile: model.objects.filter(profile_id=profile)[:1],
            profile=-7_000_000_001,
        )
        self._read_locked = Statement(
            lambda profile: model.objects.select_for_update().filter(
                profile_id=profile
            )[:1],
            profile=-7_000_000_001,
        )

    def load(self, profile, *, for_update=False):
        if not for_update:
            # Reading: the profile in hand, or its companion row as loaded
            # with it (the settings page joins them all in).
            if self.model is Profile:
                return profile
            accessor = self.model._meta.get_field("profile").related_query_name()
            if getattr(Profile, accessor).is_cached(profile):
                row = getattr(profile, accessor, None)
            else:
                row = self._read.first(profile=profile.pk)
            if row is not None:
                row.profile = profile
                return row
        elif self.model is not Profile and not self._many:
            if not transaction.get_connection().in_atomic_block:
                raise transaction.TransactionManagementError(
                    "A section's row is locked only inside a transaction."
                )
            row = self._read_locked.first(profile=profile.pk)
            if row is not None:
                row.profile = profile
                return row
        queryset = self.model.objects.all()
        if for_update:
            # Many-to-many values are read for the form, its check and the
            # answer; one query fetches them for all three.
            queryset = queryset.select_for_update().prefetch_related(*self._many)
        if self.model is Profile:
            return queryset.get(pk=profile.pk)
        row = queryset.filter(profile=profile).first()
        if row is None:
            # Older data may lack the companion row; make it now.
            row, _ = self.model.objects.get_or_create(profile=profile)
        # The profile in hand is the row's own: signal handlers that name it
        # (the privacy log line) then need no query of their own.
        row.profile = profile
        return row

    def values(self, state):
        values = {}
        for name, field in self.form_class.base_fields.items():
            value = getattr(state, name)
            if isinstance(field, forms.FileField):
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):
                value = [item.pk for item in value.all()] if state.pk else []
            values[name] = value
        return values

    def saved_state(self, profile, state):
        # The form saved into this very row.
        return state

    def check_json(self, state, payload):
        # A model form's fields are its class's own (its __init__ may dress
        # them, never add any), so none is built just to know them.
        return json_errors(self.form_class.base_fields, payload)

    def read(self, state):
        data = self.values(state)
        for name, field in self.form_class.base_fields.items():
            if isinstance(field, forms.FileField):
                value = getattr(state, name)
                data[name] = value.url if value else ""
        return data

    def form(self, state, data=None, files=None):
        return self.form_class(data, files, instance=state)

    def save(self, form, state, fields):
        many = {
            name
            for name, field in form.fields.items()
            if isinstance(field, forms.ModelMultipleChoiceField)
        }
        files = {
            name
            for name, field in form.fields.items()
            if isinstance(field, forms.FileField)
        }
        # Validation has already put any new upload on the instance; the row
        # still holds the old file's name.
        old_files = (
            type(state).objects.filter(pk=state.pk).values(*(files & set(fields))).get()
            if files & set(fields)
            else {}
        )
        saved = form.save(commit=False)
        concrete = [name for name in fields if name not in many]
        if concrete:
            if hasattr(saved, "updated_at"):
                concrete.append("updated_at")
            saved.save(update_fields=concrete)
        if many & set(fields):
            form.save_m2m()
        for name, old_name in old_files.items():
            if old_name and old_name != getattr(saved, name).name:
                storage = getattr(saved, name).storage
                transaction.on_commit(lambda n=old_name, s=storage: s.delete(n))


class WalletSection(ModelSection):
    """The wallet row; a number set, changed or removed is announced."""

    def load(self, profile, *, for_update=False):
        row = super().load(profile, for_update=for_update)
        # Validation puts the new numbers on this very row; keep the stored ones.
        row.numbers_before = {
            name: getattr(row, name) for name in WalletForm.NUMBER_FIELDS
        }
        return row

    def save(self, form, state, fields):
        super().save(form, state, fields)
        changes = {
            name.removesuffix("_number"): (state.numbers_before[name], new)
            for name in WalletForm.NUMBER_FIELDS
            if name in fields
            and (new := getattr(state, name)) != state.numbers_before[name]
        }
        if changes:
            wallet_numbers.numbers_changed.send(
                sender=WalletSettings, profile=state.profile, changes=changes
            )


class SocialLinksSection(Section):
    """One field per platform; a blank value removes that platform's link."""

    form_class = SocialLinksForm

    def load(self, profile, *, for_update=False):
        queryset = SocialLink.objects.filter(profile=profile)
        if for_update:
            queryset = queryset.select_for_update()
        return profile, {link.platform: link for link in queryset}

    def values(self, state):
        _, links = state
        return {
            platform: links[platform].url if platform in links else ""
            for platform in SocialLink.Platform.values
        }

    def save(self, form, state, fields):
        """Change the rows already locked by load(), in at most three writes."""
        profile, links = state
        order = list(SocialLink.Platform.values)
        changed, added, removed = [], [], []
        for platform in fields:
            url = form.cleaned_data[platform]
            link = links.get(platform)
            if not url:
                if link is not None:
                    removed.append(links.pop(platform))
            elif link is None:
                links[platform] = SocialLink(
                    profile=profile,
                    platform=platform,
                    url=url,
                    position=order.index(platform),
                )
                added.append(links[platform])
            elif link.url != url:
                link.url = url
                changed.append(link)
        if removed:
            SocialLink.objects.filter(pk__in=[link.pk for link in removed]).delete()
        if changed:
            SocialLink.objects.bulk_update(changed, ["url"])
        if added:
            SocialLink.objects.bulk_create(added)
        if removed or changed or added:
            # Bulk writes send no signals.
            profile_cache.bump([profile.pk])

    def saved_state(self, profile, state):
        # save() kept the links it holds up to date.
        return state


class GamePassportsSection(Section):
    """One passport per game in the catalogue, named ``<game>.<part>``.

    A JSON body may send ``{"valorant": {"in_game_id": "Name#TAG"}}`` (only the
    parts it names change) or ``{"valorant": null}`` to remove the passport.
    """

    form_class = GamePassportsForm

    def load(self, profile, *, for_update=False):
        queryset = GameProfile.objects.filter(profile=profile).select_related("game")
        if for_update:
            queryset = queryset.select_for_update()
        return (
            profile,
            catalogue.games(),
            {passport.game_id: passport for passport in queryset},
        )

    def form(self, state, data=None, files=None):
        _, games, _ = state
        return GamePassportsForm(data, files, games=games, initial=self.values(state))

    def values(self, state):
        _, games, passports = state
        values = {}
        for game in games:
            passport = passports.get(game.pk)
            for part in GamePassportsForm.PARTS:
                values[f"{game.slug}.{part}"] = (
                    getattr(passport, part) if passport else ""
                )
        return values

    def read(self, state):
        _, games, passports = state
        return {
            game.slug: (
                {
                    part: getattr(passports[game.pk], part)
                    for part in GamePassportsForm.PARTS
                }
                if game.pk in passports
                else None
            )
            for game in games
        }

    def check_json(self, state, payload):
        _, games, _ = state
        slugs = {game.slug for game in games}
        errors = {}
        for slug, parts in payload.items():
            if slug not in slugs:
                errors[slug] = ["There is no such game."]
            elif parts is not None and not (
                isinstance(parts, dict)
                and set(parts) <= set(GamePassportsForm.PARTS)
                and all(isinstance(value, str) for value in parts.values())
            ):
                errors[slug] = [
                    "Expected null, or an object of in_game_name, in_game_id, "
                    "rank and region as text."
                ]
        return errors

    def flatten(self, payload):
        data = {}
        for slug, parts in payload.items():
            if parts is None:
                data.update({f"{slug}.{part}": "" for part in GamePassportsForm.PARTS})
            else:
                data.update({f"{slug}.{part}": value for part, value in parts.items()})
        return data

    def save(self, form, state, fields):
        """Change the passports already locked by load(), in at most three writes."""
        profile, games, passports = state
        by_slug = {game.slug: game for game in games}
        touched = {name.split(".", 1)[0] for name in fields}
        changed, added, removed = [], [], []
        for slug in sorted(touched):
            game = by_slug[slug]
            parts = {
                part: form.cleaned_data[f"{slug}.{part}"]
                for part in GamePassportsForm.PARTS
            }
            passport = passports.get(game.pk)
            if not parts["in_game_name"] and not parts["in_game_id"]:
                if passport is not None:
                    removed.append(passports.pop(game.pk))
            elif passport is None:
                passports[game.pk] = GameProfile(profile=profile, game=game, **parts)
                added.append(passports[game.pk])
            elif any(getattr(passport, part) != value for part, value in parts.items()):
                for part, value in parts.items():
                    setattr(passport, part, value)
                changed.append(passport)
        if removed:
            GameProfile.objects.filter(pk__in=[p.pk for p in removed]).delete()
        if changed:
            GameProfile.objects.bulk_update(changed, list(GamePassportsForm.PARTS))
        if added:
            GameProfile.objects.bulk_create(added)
        if removed or changed or added:
            # Bulk writes send no signals.
            profile_cache.bump([profile.pk])

    def saved_state(self, profile, state):
        # save() kept the passports it holds up to date.
        return state


SECTIONS: dict[str, Section] = {
    section.key: section
    for section in [
        ModelSection(
            "basic", "Profile", "Your name, bio, country and avatar.",
            BasicProfileForm, Profile,
        ),
        SocialLinksSection(
            "social", "Social links", "Where else people can find you."
        ),
        GamePassportsSection(
            "games", "Game passports", "Who you are in each game."
        ),
        ModelSection(
            "privacy", "Privacy", "Who sees each part of your profile.",
            PrivacyForm, PrivacySettings,
        ),
        ModelSection(
            "notifications", "Notifications", "What we tell you about, and where.",
            NotificationsForm, NotificationPreferences,
        ),
        ModelSection(
            "platform", "Preferences", "Language, time zone, theme and games.",
            PlatformForm, PlatformPreferences,
        ),
        WalletSection(
            "wallet", "Wallet", "The mobile-wallet numbers prizes are paid to.",
            WalletForm, WalletSettings, sensitive=True,
        ),
    ]
}  # fmt: skip


def json_errors(fields: dict[str, forms.Field], payload: dict) -> dict[str, list[str]]:
    """Errors for names a JSON body may not set and values of the wrong type."""
    errors = {}
    for name, value in payload.items():
        field = fields.get(name)
        if field is None or isinstance(field, forms.FileField):
            errors[name] = ["This field can't be set here."]
        elif not json_type_ok(field, value):
            errors[name] = [expected_type(field)]
    return errors


def json_type_ok(field: forms.Field, value) -> bool:
    """True when a JSON value has the type the form field expects."""
    if isinstance(field, forms.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return isinstance(value, list) and all(
            isinstance(item, int | str) and not isinstance(item, bool) for item in value
        )
    if isinstance(field, forms.IntegerField):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def expected_type(field: forms.Field) -> str:
    if isinstance(field, forms.BooleanField):
        return "Expected true or false."
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "Expected a list."
    if isinstance(field, forms.IntegerField):
        return "Expected a whole number."
    return "Expected text."
