"""Deletion requests for moderators in the Wagtail admin: a listing, a decision
page, an entry in the audit log for every step, and a panel on the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .models import DeletionRequest

READ_ONLY = {"add", "change", "delete"}


class DeletionPermissionPolicy(ModelPermissionPolicy):
    """Requests come from players: the admin views and decides, never edits."""

    def user_has_permission(self, user, action):
        return action not in READ_ONLY and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


permission_policy = DeletionPermissionPolicy(DeletionRequest)
register_permission_policy(DeletionRequest, permission_policy)


class DecideColumn(Column):
    """A link to the page where a moderator approves or rejects a request."""

    cell_template_name = "deletions/admin/decide_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("deletion_requests:decide", args=[instance.pk])
        context["pending"] = instance.is_pending
        return context


class DecideView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Approve (after the grace period) or reject (with a note) one request."""

    permission_policy = permission_policy
    permission_required = "decide"
    template_name = "deletions/admin/decide.html"
    header_icon = "bin"
    page_title = "Deletion request"

    @cached_property
    def deletion(self) -> DeletionRequest:
        # Looked up after the permission check, so others learn nothing of it.
        return get_object_or_404(
            DeletionRequest.objects.select_related("user", "decided_by"),
            pk=self.kwargs["pk"],
        )

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("deletion_requests:index"), "label": "Deletion requests"},
            {"url": "", "label": f"Request of account {self.deletion.user_id}"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deletion"] = self.deletion
        context["can_approve"] = (
            self.deletion.is_pending and not self.deletion.in_grace_period()
        )
        context["now"] = timezone.now()
        context["index_url"] = reverse("deletion_requests:index")
        return context

    def post(self, request, pk):
        decision = request.POST.get("decision")
        try:
            if decision == "approve" and not request.POST.get("confirm"):
                messages.error(request, "Tick the box to confirm; nothing changed.")
            elif decision == "approve":
                services.approve_deletion(self.deletion.pk, request.user)
                messages.success(request, "Account erased.")
            elif decision == "reject":
                services.reject_deletion(
                    self.deletion.pk, request.user, request.POST.get("note", "")
                )
                messages.success(request, "Request rejected.")
            else:
                messages.error(request, "Choose to approve or reject.")
        except services.DeletionRefused as refused:
            messages.error(request, str(refused))
        return redirect("deletion_requests:decide", pk=self.deletion.pk)


class DeletionRequestViewSet(ModelViewSet):
    model = DeletionRequest
    icon = "bin"
    menu_label = "Deletion requests"
    add_to_admin_menu = True
    menu_order = 410
    inspect_view_enabled = True
    exclude_form_fields = []
    list_filter = ["status"]
    list_display = [
        Column("user_id", label="Account"),
        Column("user", label="Username"),
        Column("status", label="Status", accessor="get_status_display"),
        DateColumn("requested_at", label="Requested"),
        DateColumn("grace_ends_at", label="Grace period ends"),
        DecideColumn("decide", label=""),
    ]

    def get_urlpatterns(self):
        urls = [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name in {"index", "index_results", "inspect"}
        ]
        return [*urls, path("decide/<int:pk>/", DecideView.as_view(), name="decide")]


deletion_request_viewset = DeletionRequestViewSet("deletion_requests")


@hooks.register("register_admin_viewset")
def register_deletion_request_viewset():
    return deletion_request_viewset


@hooks.register("register_log_actions")
def register_deletion_log_actions(actions):
    actions.register_action(
        "deletions.request", "Request account deletion", "Account deletion requested"
    )
    actions.register_action(
        "deletions.cancel", "Cancel account deletion", "Account deletion cancelled"
    )
    actions.register_action(
        "deletions.approve", "Approve account deletion", "Account erased"
    )
    actions.register_action(
        "deletions.reject", "Reject account deletion", "Account deletion rejected"
    )


class PendingDeletionsPanel(Component):
    name = "pending_deletions"
    order = 120

    def __init__(self, requests, total):
        self.requests = requests
        self.total = total

    def render_html(self, parent_context=None):
        return render_to_string(
            "deletions/admin/pending_panel.html",
            {
                "requests": self.requests,
                "total": self.total,
                "index_url": reverse("deletion_requests:index"),
                "now": timezone.now(),
            },
        )


@hooks.register("construct_homepage_panels")
def add_pending_deletions_panel(request, panels):
    if not permission_policy.user_has_permission(request.user, "view"):
        return
    pending = DeletionRequest.objects.filter(status=DeletionRequest.Status.REQUESTED)
    panels.append(PendingDeletionsPanel(list(pending[:10]), pending.count()))
