"""Validation for every settings section, shared by the HTML and JSON paths."""

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from . import catalogue, images, wallet_numbers
from .models import (
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
    SocialLink,
    WalletSettings,
)

COUNTRIES = [
    ("", "Not shown"),
    ("BD", "Bangladesh"),
    ("IN", "India"),
    ("NP", "Nepal"),
    ("PK", "Pakistan"),
    ("LK", "Sri Lanka"),
    ("MY", "Malaysia"),
    ("SG", "Singapore"),
    ("SA", "Saudi Arabia"),
    ("AE", "United Arab Emirates"),
    ("QA", "Qatar"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
]


# Characters that draw nothing although Unicode does not call them spaces.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def has_visible_text(value: str) -> bool:
    """True when the text would show at least one mark on screen."""
    return any(
        unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LOOKING
        for char in value
    )


def reject_control_characters(value: str, *, allow_newlines: bool = False) -> str:
    for char in value:
        if allow_newlines and char in "\r\n":
            continue
        if unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200c\u200d":
            raise forms.ValidationError("Remove the invisible control characters.")
    return value


class BasicProfileForm(forms.ModelForm):
    """Display name, bio, country and avatar."""

    country = forms.ChoiceField(label="Country", choices=COUNTRIES, required=False)
    # A plain file field: images.clean_avatar decides by decoding, not by the
    # file's name, which the image field would check first.
    avatar = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
        help_text="A JPEG, PNG or WebP picture, up to 2 MB.",
    )

    class Meta:
        model = Profile
        fields = ["display_name", "bio", "country", "avatar"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "display_name": "Shown on your profile, in Bangla or English.",
            "bio": "Up to 500 characters. Links and HTML show as plain text.",
        }

    def clean_display_name(self):
        value = " ".join(self.cleaned_data["display_name"].split())
        if not has_visible_text(value):
            raise forms.ValidationError("Enter a display name.")
        return reject_control_characters(value)

    def clean_bio(self):
        return reject_control_characters(
            self.cleaned_data["bio"].strip(), allow_newlines=True
        )

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):
            return images.clean_avatar(avatar)
        return avatar


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = [
            "profile_visibility",
            *PrivacySettings.SECTIONS,
            "show_follower_count",
            "show_following_count",
            "approve_followers",
            "searchable",
        ]


class NotificationsForm(forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = NotificationPreferences.switch_names()


class CatalogueChoices(forms.models.ModelChoiceIterator):
    """The game choices from the cached catalogue, not a query per form."""

    def __iter__(self):
        for game in catalogue.games():
            yield self.choice(game)

    def __len__(self):
        return len(catalogue.games())

    def __bool__(self):
        return bool(catalogue.games())


class GameChoiceField(forms.ModelMultipleChoiceField):
    """Games by primary key, checked against the catalogue; a value that is not
    a plausible key is refused before anything looks it up."""

    iterator = CatalogueChoices

    def _check_values(self, value):
        games = {str(game.pk): game for game in catalogue.games()}
        chosen = []
        for pk in value:
            text = str(pk)
            if not text.isascii() or not text.isdigit() or len(text) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
            if text not in games:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
            chosen.append(games[text])
        return list(dict.fromkeys(chosen))


class PlatformForm(forms.ModelForm):
    class Meta:
        model = PlatformPreferences
        fields = ["language", "time_zone", "theme", "preferred_games"]
        field_classes = {"preferred_games": GameChoiceField}
        widgets = {"preferred_games": forms.CheckboxSelectMultiple}

    def clean_time_zone(self):
        import zoneinfo

        value = self.cleaned_data["time_zone"].strip()
        # Region/City names only: the zone database also holds aliases such as
        # "localtime" and "Factory" that mean nothing to a player.
        if "/" not in value or value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                "Choose a time zone from the list, such as Asia/Dhaka."
            )
        return value


class WalletForm(forms.ModelForm):
    """Payout numbers, typed any way people write them, stored as 01XXXXXXXXX."""

    NUMBER_FIELDS = ("bkash_number", "nagad_number", "rocket_number")

    # No length limit here: wallet_numbers refuses long text with the message
    # that shows the expected form, and logs it masked like any other refusal.
    bkash_number = forms.CharField(label="bKash number", required=False)
    nagad_number = forms.CharField(label="Nagad number", required=False)
    rocket_number = forms.CharField(label="Rocket number", required=False)

    class Meta:
        model = WalletSettings
        fields = ["bkash_number", "nagad_number", "rocket_number", "preferred_method"]
        help_texts = {"preferred_method": "Where prizes go first."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.NUMBER_FIELDS:
            self.fields[name].help_text = "For example 01712345678 or +880 1712-345678."
            self.fields[name].widget.attrs.update(
                {"inputmode": "tel", "autocomplete": "tel-national"}
            )

    def _clean_number(self, name: str) -> str:
        typed = self.cleaned_data.get(name, "")
        if not typed.strip():
            return ""
        try:
            return wallet_numbers.normalise(typed)
        except wallet_numbers.NotAWalletNumber as refusal:
            self.refused_numbers[name] = wallet_numbers.mask(typed)
            raise forms.ValidationError(str(refusal), code="wallet_number") from None

    def full_clean(self):
        self.refused_numbers: dict[str, str] = {}
        super().full_clean()

    def clean_bkash_number(self):
        return self._clean_number("bkash_number")

    def clean_nagad_number(self):
        return self._clean_number("nagad_number")

    def clean_rocket_number(self):
        return self._clean_number("rocket_number")

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("preferred_method")
        if method and not self.errors and not cleaned.get(f"{method}_number"):
            label = WalletSettings.Method(method).label
            self.add_error(
                "preferred_method", f"Add a {label} number before choosing {label}."
            )
        return cleaned


class SocialLinksForm(forms.Form):
    """One https link per platform, on that platform's own hosts; blank removes it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for platform, label in SocialLink.Platform.choices:
            hosts = SocialLink.HOSTS[platform]
            self.fields[platform] = forms.CharField(
                label=label,
                required=False,
                max_length=300,
                widget=forms.URLInput(attrs={"placeholder": f"https://{hosts[0]}/"}),
            )

    def clean(self):
        cleaned = super().clean()
        for platform in SocialLink.Platform.values:
            url = (cleaned.get(platform) or "").strip()
            if not url:
                cleaned[platform] = ""
                continue
            try:
                cleaned[platform] = _check_link(platform, url)
            except forms.ValidationError as error:
                self.add_error(platform, error)
        return cleaned


def _check_link(platform: str, url: str) -> str:
    label = SocialLink.Platform(platform).label
    hosts = SocialLink.HOSTS[platform]
    reject_control_characters(url)
    try:
        URLValidator(schemes=["https"])(url)
        parts = urlsplit(url)
    except (ValidationError, ValueError):
        parts = None
    if parts is None or parts.scheme != "https":
        raise forms.ValidationError(
            f"Enter a full https link, such as https://{hosts[0]}/yourname."
        )
    host = (parts.hostname or "").lower()
    if host not in hosts or parts.username or parts.password or parts.port:
        raise forms.ValidationError(
            f"A {label} link must be on {' or '.join(hosts[:2])}, "
            f"such as https://{hosts[0]}/yourname."
        )
    if parts.path.strip("/") == "":
        raise forms.ValidationError(
            f"Link to your own page, such as https://{hosts[0]}/yourname."
        )
    return urlunsplit(("https", host, parts.path, parts.query, ""))


class GamePassportsForm(forms.Form):
    """One passport per game: in-game name and ID (checked against the game's
    format), rank and region. Leaving name and ID blank removes the passport."""

    PARTS = ("in_game_name", "in_game_id", "rank", "region")

    def __init__(self, *args, games, **kwargs):
        super().__init__(*args, **kwargs)
        self.games = list(games)
        for game in self.games:
            prefix = game.slug
            self.fields[f"{prefix}.in_game_name"] = forms.CharField(
                label="In-game name", required=False, max_length=50
            )
            self.fields[f"{prefix}.in_game_id"] = forms.CharField(
                label=game.id_label,
                required=False,
                max_length=60,
                help_text=f"For example {game.id_example}." if game.id_example else "",
            )
            self.fields[f"{prefix}.rank"] = forms.CharField(
                label="Rank", required=False, max_length=40
            )
            self.fields[f"{prefix}.region"] = forms.CharField(
                label="Region", required=False, max_length=40
            )

    def groups(self):
        """Each game with its bound fields, for the template."""
        return [
            (game, [self[f"{game.slug}.{part}"] for part in self.PARTS])
            for game in self.games
        ]

    def clean(self):
        cleaned = super().clean()
        for game in self.games:
            values = {}
            for part in self.PARTS:
                name = f"{game.slug}.{part}"
                if name not in cleaned:
                    continue
                try:
                    values[part] = reject_control_characters(
                        " ".join(cleaned[name].split())
                    )
                except forms.ValidationError as error:
                    self.add_error(name, error)
                cleaned[name] = values.get(part, "")
            if not any(self.has_error(f"{game.slug}.{part}") for part in self.PARTS):
                self._check_passport(game, values, cleaned)
        return cleaned

    def _check_passport(self, game, values: dict, cleaned: dict) -> None:
        name = values.get("in_game_name", "")
        in_game_id = values.get("in_game_id", "")
        if not name and not in_game_id:
            # No name and no ID: the passport goes, rank and region with it.
            for part in self.PARTS:
                cleaned[f"{game.slug}.{part}"] = ""
            return
        if not name:
            self.add_error(f"{game.slug}.in_game_name", "Enter your in-game name.")
        if not in_game_id:
            self.add_error(f"{game.slug}.in_game_id", f"Enter your {game.id_label}.")
        elif not game.id_is_valid(in_game_id):
            example = f" such as {game.id_example}" if game.id_example else ""
            self.add_error(
                f"{game.slug}.in_game_id",
                f"That is not a valid {game.id_label}; enter one{example}.",
            )
