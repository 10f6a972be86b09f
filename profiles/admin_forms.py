"""Forms the editors' workspace in the Wagtail admin uses."""

from django import forms
from django.utils import timezone

from wagtail.admin.forms import WagtailAdminModelForm

from .models import Profile, UserAchievement


class AwardForm(WagtailAdminModelForm):
    """Award an achievement to a player named by username, once per player."""

    player = forms.CharField(
        label="Player's username",
        max_length=150,
        help_text="As in their profile address: rakib for /@rakib/.",
    )

    class Meta:
        model = UserAchievement
        fields = ["achievement", "awarded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["player"].initial = self.instance.profile.user.username
        else:
            self.fields["awarded_at"].initial = timezone.now()

    def clean_player(self):
        username = self.cleaned_data["player"].strip().removeprefix("@")
        profile = (
            Profile.objects.filter(slug=username.lower(), user__is_active=True)
            .select_related("user")
            .first()
        )
        if profile is None:
            raise forms.ValidationError("No active player has that username.")
        return profile

    def clean(self):
        cleaned = super().clean()
        profile, achievement = cleaned.get("player"), cleaned.get("achievement")
        if profile is not None and achievement is not None:
            taken = UserAchievement.objects.filter(
                profile=profile, achievement=achievement
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "achievement",
                    f"{profile.display_name} already has {achievement.name}.",
                )
        return cleaned

    def save(self, commit=True):
        self.instance.profile = self.cleaned_data["player"]
        return super().save(commit=commit)
