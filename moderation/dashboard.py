"""The moderators' panel on the admin's home page."""

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.ui.components import Component

from profiles.models import Profile

from .models import Report

SIGNUP_DAYS = 30


def signups_per_day(days: int = SIGNUP_DAYS) -> list[tuple]:
    """Sign-ups on each of the last ``days`` days, today last, in one query."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    counts = dict(
        Profile.objects.filter(created_at__date__gte=first)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    return [
        (day, counts.get(day, 0))
        for day in (first + timedelta(days=n) for n in range(days))
    ]


class ModerationPanel(Component):
    name = "moderation"
    order = 90
    template_name = "moderation/dashboard_panel.html"

    def get_context_data(self, parent_context):
        days = signups_per_day()
        tallest = max((count for _day, count in days), default=0) or 1
        return {
            "open_reports": Report.objects.filter(status=Report.Status.OPEN).count(),
            "reports_url": reverse("moderation_reports:index") + "?status=open",
            "days": [
                {
                    "day": day,
                    "count": count,
                    "height": round(count * 100 / tallest),
                    "y": 100 - round(count * 100 / tallest),
                    "x": index * 10,
                }
                for index, (day, count) in enumerate(days)
            ],
            "total": sum(count for _day, count in days),
        }
