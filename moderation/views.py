"""The moderators' pages in the Wagtail admin: players, their details, reports."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wagtail.admin.views.generic.models import IndexView, InspectView

from profiles.companions import companion
from profiles.models import Follow, WalletSettings
from profiles.wallet_numbers import mask

from . import services
from .models import Player, Report, Suspension

FOLLOWS_PER_PAGE = 20


class SuspendForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=Suspension.REASON_MAX_LENGTH,
        help_text="The player is told the end date, not this reason.",
    )
    ends_on = forms.DateField(
        required=False,
        label="Suspended until",
        help_text="Leave empty to suspend until a moderator lifts it.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on is not None and ends_on <= timezone.localdate():
            raise forms.ValidationError("Choose a day after today.")
        return ends_on

    def ends_at(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on is None:
            return None
        return timezone.make_aware(datetime.combine(ends_on, time.min))


class ResolveForm(SuspendForm):
    outcome = forms.ChoiceField(
        choices=[
            (Report.Status.DISMISSED, "Dismiss"),
            (Report.Status.WARNED, "Warn the player by email"),
            (Report.Status.SUSPENDED, "Suspend the player"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=Report.NOTE_MAX_LENGTH,
        help_text="Why you decided so. A warning email quotes it.",
    )
    field_order = ["outcome", "reason", "ends_on"]


class PlayerIndexView(IndexView):
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return Player.objects.select_related("user", "user__deletion_request", "wallet")


class PlayerView(InspectView):
    """Everything a moderator needs to judge one account, wallet numbers masked."""

    template_name = "moderation/player.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Player.objects.select_related(
                "user", "user__deletion_request", "privacy", "wallet"
            ),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        player = self.object
        user = self.request.user
        side = self.request.GET.get("follows")
        side = "following" if side == "following" else "followers"
        if side == "followers":
            follows = Follow.objects.filter(followee=player).select_related(
                "follower__user"
            )
        else:
            follows = Follow.objects.filter(follower=player).select_related(
                "followee__user"
            )
        counts = Follow.objects.aggregate(
            followers=Count("pk", filter=Q(followee=player)),
            following=Count("pk", filter=Q(follower=player)),
        )
        follows = follows.order_by("-created_at", "-pk")
        page = Paginator(follows, FOLLOWS_PER_PAGE).get_page(self.request.GET.get("p"))
        wallet = companion(player, "wallet")
        context.update(
            player=player,
            privacy=companion(player, "privacy"),
            follow_side=side,
            follow_page=page,
            follow_counts=counts,
            wallet=wallet,
            wallet_numbers=[
                (method, label, mask(wallet.number(method)))
                for method, label in WalletSettings.Method.choices
                if wallet and wallet.number(method)
            ],
            revealed=self.request.session.pop("moderation_revealed", None),
            can_reveal=user.has_perm("moderation.reveal_wallet_number"),
            reports=Report.objects.filter(profile=player).select_related(
                "reporter__user", "resolved_by"
            )[:50],
            suspensions=Suspension.objects.filter(user=player.user).select_related(
                "created_by", "lifted_by"
            ),
            current_suspension=services.current_suspension(player.user),
            can_suspend=user.has_perm("moderation.add_suspension"),
            can_lift=user.has_perm("moderation.lift_suspension"),
            suspend_form=SuspendForm(),
        )
        return context


def _player_url(player_pk) -> str:
    return reverse("moderation_players:inspect", args=[player_pk])


def _player_for(request, pk, permission: str) -> Player:
    """The player a moderator acts on, once their permission is checked."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(Player.objects.select_related("user"), pk=pk)


@require_POST
def reveal_wallet_number(request, pk):
    """Show one full wallet number once, to a moderator allowed to see it."""
    player = _player_for(request, pk, "moderation.reveal_wallet_number")
    method = request.POST.get("method", "")
    try:
        number = services.reveal_wallet_number(request.user, player, method)
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        # Shown on the next page only, then gone from the session.
        request.session["moderation_revealed"] = {"method": method, "number": number}
    return redirect(_player_url(pk))


@require_POST
def suspend(request, pk):
    player = _player_for(request, pk, "moderation.add_suspension")
    form = SuspendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_player_url(pk))
    try:
        services.suspend_player(
            player.user, request.user, form.cleaned_data["reason"], form.ends_at()
        )
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "The player is suspended and signed out everywhere.")
    return redirect(_player_url(pk))


@require_POST
def lift(request, pk):
    player = _player_for(request, pk, "moderation.lift_suspension")
    if services.lift_suspension(player.user, request.user):
        messages.success(request, "The suspension is lifted; the player can sign in.")
    else:
        messages.error(request, "This player is not suspended.")
    return redirect(_player_url(pk))


class ReportIndexView(IndexView):
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return Report.objects.select_related(
            "profile__user", "reporter__user", "resolved_by"
        )


def resolve_report(request, pk):
    """A report with its resolution form: dismiss, warn or suspend, with a note."""
    if not request.user.has_perm("moderation.view_report"):
        raise PermissionDenied
    report = get_object_or_404(
        Report.objects.select_related("profile__user", "reporter__user", "resolved_by"),
        pk=pk,
    )
    can_resolve = request.user.has_perm("moderation.resolve_report")
    form = ResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_resolve:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.resolve_report(
                    report,
                    request.user,
                    form.cleaned_data["outcome"],
                    form.cleaned_data["reason"],
                    suspension_ends_at=form.ends_at(),
                )
            except services.ActionRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, "The report is resolved.")
                return redirect("moderation_reports:index")
    return TemplateResponse(
        request,
        "moderation/report.html",
        {
            "report": report,
            "form": form,
            "can_resolve": can_resolve and report.status == Report.Status.OPEN,
            "player_url": _player_url(report.profile_id),
            "header_title": f"Report {report.pk}",
            "page_title": f"Report {report.pk}",
            "header_icon": "warning",
        },
    )
