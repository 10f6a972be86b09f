"""Payout claims in the Wagtail admin: the moderators' listing, its two actions,
their audit-log entries and the admin home panel."""

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import path

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .admin_views import (
    ClaimHistoryView,
    ClaimIndexView,
    ClaimInspectView,
    MarkPaidView,
    RejectView,
)
from .models import PayoutClaim


class ClaimPermissionPolicy(ModelPermissionPolicy):
    """Moderators view and settle claims; nobody adds, edits or deletes one.

    A claim and its ledger entries change only through the payout services,
    so the ledger and the claims always agree.
    """

    NEVER = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.NEVER and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.NEVER]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


register_permission_policy(PayoutClaim, ClaimPermissionPolicy(PayoutClaim))


class PayoutClaimViewSet(ModelViewSet):
    model = PayoutClaim
    index_view_class = ClaimIndexView
    icon = "form"
    menu_label = "Payout claims"
    menu_order = 250
    add_to_admin_menu = True
    name = "payout_claims"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "profile",
        "method",
        "destination_masked",
        "status",
        "created_at",
    ]
    list_filter = ["status", "method"]
    inspect_view_fields = [
        "profile",
        "amount",
        "method",
        "destination_masked",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
        "reference",
        "reason",
    ]

    history_view_class = ClaimHistoryView
    inspect_view_class = ClaimInspectView

    def get_urlpatterns(self):
        # No add, edit or delete views: claims change only through their actions.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path(
                "history-results/<int:pk>/",
                self.history_results_view,
                name="history_results",
            ),
            path("<int:pk>/mark-paid/", MarkPaidView.as_view(), name="mark_paid"),
            path("<int:pk>/reject/", RejectView.as_view(), name="reject"),
        ]


@hooks.register("register_admin_viewset")
def register_payout_claims():
    return PayoutClaimViewSet()


@hooks.register("register_log_actions")
def register_payout_actions(actions):
    actions.register_action(
        "payouts.claim.paid", "Mark payout paid", "Payout claim marked paid"
    )
    actions.register_action(
        "payouts.claim.rejected", "Reject payout", "Payout claim rejected"
    )
    actions.register_action(
        "payouts.claim.number_revealed",
        "Reveal payout number",
        "Full payout number shown",
    )


class PendingClaimsPanel(Component):
    """The admin home's count and oldest few of the claims waiting for staff."""

    name = "pending_payout_claims"
    order = 120
    SHOWN = 5

    def __init__(self, claims: list[PayoutClaim], count: int):
        self.claims = claims
        self.count = count

    def render_html(self, parent_context=None):
        return render_to_string(
            "payouts/admin/home_panel.html",
            {"claims": self.claims, "count": self.count},
        )


@hooks.register("construct_homepage_panels")
def add_pending_claims_panel(request, panels):
    if not request.user.has_perm("payouts.view_payoutclaim"):
        return
    pending = PayoutClaim.objects.filter(status=PayoutClaim.Status.PENDING)
    oldest = list(
        pending.select_related("profile").order_by("created_at")[
            : PendingClaimsPanel.SHOWN
        ]
    )
    panels.append(PendingClaimsPanel(oldest, pending.count()))
