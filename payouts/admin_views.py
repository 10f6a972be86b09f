"""The moderators' payout workspace: the claims listing and its two actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from wagtail.admin.views.generic import HistoryView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import HeaderButton, ListingButton

from . import services
from .forms import MarkPaidForm, RejectForm
from .models import PayoutClaim


class ClaimIndexView(IndexView):
    """Pending claims first; each pending one offers its two actions."""

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.is_pending and self.user_has_permission("resolve"):
            buttons[:0] = [
                ListingButton(
                    "Mark paid",
                    url=reverse("payout_claims:mark_paid", args=[instance.pk]),
                    icon_name="tick",
                    priority=1,
                ),
                ListingButton(
                    "Reject",
                    url=reverse("payout_claims:reject", args=[instance.pk]),
                    icon_name="cross",
                    priority=2,
                ),
            ]
        return buttons


class ClaimInspectView(InspectView):
    """A claim's details, with its two actions while it waits."""

    @cached_property
    def header_buttons(self):
        if not (self.object.is_pending and self.user_has_permission("resolve")):
            return []
        return [
            HeaderButton(
                "Mark paid",
                url=reverse("payout_claims:mark_paid", args=[self.object.pk]),
                icon_name="tick",
            ),
            HeaderButton(
                "Reject",
                url=reverse("payout_claims:reject", args=[self.object.pk]),
                icon_name="cross",
            ),
        ]


class ClaimHistoryView(HistoryView):
    """A claim's audit entries, for anyone who may see the claim."""

    any_permission_required = ["view"]

    def get_edit_url(self, instance):
        # Claims have no edit view; the history links to the claim's details.
        return reverse("payout_claims:inspect", args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return []


class SettleClaimView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm one action on a pending claim; a POST with the form carries it out."""

    model = PayoutClaim
    permission_required = "resolve"
    template_name = "payouts/admin/settle_claim.html"
    header_icon = "form"
    action_label = ""
    success_verb = ""

    @cached_property
    def claim(self) -> PayoutClaim:
        return get_object_or_404(
            PayoutClaim.objects.select_related("profile", "resolved_by"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return f"{self.action_label}: claim #{self.claim.pk}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("payout_claims:index"), "label": "Payout claims"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            claim=self.claim,
            action_label=self.action_label,
            index_url=reverse("payout_claims:index"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            claim = self.settle(form.cleaned_data)
        except services.PayoutRefused as refusal:
            messages.error(self.request, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(
            self.request,
            f"Claim #{claim.pk} for Tk {claim.amount} {self.success_verb}.",
        )
        return redirect("payout_claims:index")

    def settle(self, data) -> PayoutClaim:
        raise NotImplementedError


class MarkPaidView(SettleClaimView):
    """Mark a claim paid; first, for those allowed, show the number to pay."""

    form_class = MarkPaidForm
    action_label = "Mark paid"
    success_verb = "marked paid"
    REVEAL = "reveal"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_reveal=self.user_has_permission(self.REVEAL), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != self.REVEAL:
            return super().post(request, *args, **kwargs)
        if not self.user_has_permission(self.REVEAL):
            raise PermissionDenied
        try:
            number = services.reveal_claim_number(self.claim.pk, request.user)
        except services.PayoutRefused as refusal:
            messages.error(request, refusal.message)
            return self.render_to_response(self.get_context_data(), status=409)
        return self.render_to_response(self.get_context_data(revealed_number=number))

    def settle(self, data):
        return services.mark_claim_paid(
            self.claim.pk, self.request.user, data["reference"]
        )


class RejectView(SettleClaimView):
    form_class = RejectForm
    action_label = "Reject"
    success_verb = "rejected; the amount is back in the player's balance"

    def settle(self, data):
        return services.reject_claim(self.claim.pk, self.request.user, data["reason"])
