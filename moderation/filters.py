"""The filters of the players listing in the admin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from wagtail.admin.filters import (
    DateRangePickerWidget,
    NumberRangeWidget,
    WagtailFilterSet,
)

import django_filters

from profiles.forms import COUNTRIES

from .models import Player


def _suspended() -> Q:
    """Players barred from signing in by a suspension nobody has lifted."""
    from .models import Suspension

    return Q(user__is_active=False) & Exists(
        Suspension.objects.filter(user=OuterRef("user"), lifted_at__isnull=True)
    )


def _deletion_requested() -> Q:
    """Players waiting for a moderator to decide their deletion request."""
    from deletions.models import DeletionRequest

    return Q(
        Exists(
            DeletionRequest.objects.filter(
                user=OuterRef("user"), status=DeletionRequest.Status.REQUESTED
            )
        )
    )


# Each status a moderator can filter players by: its label and the condition a
# player in it meets. An erased account is in none of them; a player who asked
# for deletion stays active (or suspended) until a moderator decides.
STATUSES: dict[str, tuple[str, Callable[[], Q]]] = {
    "active": ("Active", lambda: Q(user__is_active=True)),
    "suspended": ("Suspended", _suspended),
    "deletion_requested": ("Deletion requested", _deletion_requested),
}


def _status_choices():
    return [(key, label) for key, (label, _condition) in STATUSES.items()]


JOINED_PRESETS = {
    "today": ("Today", None),
    "7d": ("Last 7 days", 7),
    "30d": ("Last 30 days", 30),
}


class PlayerFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=_status_choices, method="filter_status"
    )
    level = django_filters.RangeFilter(
        label="Level", field_name="level", widget=NumberRangeWidget
    )
    joined = django_filters.ChoiceFilter(
        label="Joined",
        choices=[(key, label) for key, (label, _days) in JOINED_PRESETS.items()],
        method="filter_joined",
    )
    joined_between = django_filters.DateFromToRangeFilter(
        label="Joined between",
        method="filter_joined_between",
        widget=DateRangePickerWidget,
    )
    country = django_filters.ChoiceFilter(
        label="Country", choices=[c for c in COUNTRIES if c[0]]
    )
    has_wallet_number = django_filters.BooleanFilter(
        label="Has a wallet number", method="filter_has_wallet_number"
    )

    class Meta:
        model = Player
        fields = []

    def filter_status(self, queryset, name, value):
        status = STATUSES.get(value)
        return queryset.filter(status[1]()) if status else queryset

    def filter_joined(self, queryset, name, value):
        days = JOINED_PRESETS[value][1]
        if days is None:
            since = timezone.localtime().replace(
                hour=0, minute=0, second=0, microsecond=0
            )
        else:
            since = timezone.now() - timedelta(days=days)
        return queryset.filter(created_at__gte=since)

    def filter_joined_between(self, queryset, name, value):
        # By calendar day in the site's time zone: a day at the edge of what
        # a datetime can hold (0001-01-01 in Dhaka) has no instant in UTC.
        if value.start:
            queryset = queryset.filter(created_at__date__gte=value.start.date())
        if value.stop:
            queryset = queryset.filter(created_at__date__lte=value.stop.date())
        return queryset

    def filter_has_wallet_number(self, queryset, name, value):
        if value is None:
            return queryset
        has_number = (
            ~Q(wallet__bkash_number="")
            | ~Q(wallet__nagad_number="")
            | ~Q(wallet__rocket_number="")
        ) & Q(wallet__isnull=False)
        return queryset.filter(has_number) if value else queryset.exclude(has_number)
