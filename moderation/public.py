"""What players meet of moderation: the report form, an unavailable profile."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from deltacrown.errors import not_found
from profiles import privacy
from profiles.models import ProfileVisibility, User
from profiles.privacy import Access
from profiles.profile_page import get_profile

from . import services
from .models import Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this profile?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything the moderators should know (optional)",
        required=False,
        max_length=Report.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@login_required
def report_profile(request, username: str):
    """`/@username/report/`: a plain form, so it works without JavaScript."""
    # Only a profile this player could open can be reported; the privacy
    # rules decide that, as they do for the page itself.
    profile = get_profile(username, request.user)
    if profile is None or (
        privacy.profile_access(profile, privacy.relationship(profile, request.user))
        is Access.NOT_FOUND
    ):
        return not_found(request)
    if profile.user_id == request.user.pk:
        messages.error(request, "You can't report your own profile.")
        return redirect(profile.get_absolute_url())
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_profile(
                request.user.profile,
                profile,
                form.cleaned_data["reason"],
                form.cleaned_data["note"],
            )
        except services.ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, "Thank you. The moderators will look at this profile."
            )
        return redirect(profile.get_absolute_url())
    return render(
        request,
        "moderation/report_form.html",
        {"profile": profile, "form": form},
        status=400 if form.errors else 200,
    )


def unavailable_or_not_found(request, username: str):
    """The page for a profile that get_profile() did not return.

    A suspended player's profile says it is unavailable and shows nothing
    else; a suspension whose end has passed is lifted here and the profile
    comes back. Any other missing or hidden name gets the site's 404.
    """
    user = (
        User.objects.select_related("profile__privacy")
        .filter(profile__slug=username.lower(), is_active=False)
        .first()
    )
    if user is None:
        return not_found(request)
    if services.lift_if_ended(user):
        return redirect(request.get_full_path())
    privacy = getattr(user.profile, "privacy", None)
    hidden = privacy is not None and (
        privacy.profile_visibility == ProfileVisibility.HIDDEN
    )
    if hidden or services.current_suspension(user) is None:
        return not_found(request)
    return render(request, "moderation/profile_unavailable.html", status=404)
