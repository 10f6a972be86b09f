"""The moderators' workspace in the Wagtail admin."""

from django.urls import path

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .dashboard import ModerationPanel
from .filters import PlayerFilterSet
from .models import Player, Report


class ReadOnlyViewSet(ModelViewSet):
    """A listing and a page per row, without Wagtail's add, edit and delete views.

    Moderators act through the named actions (suspend, resolve...), which
    check their own permission and write the audit log.
    """

    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            *self.get_extra_urlpatterns(),
        ]

    def get_extra_urlpatterns(self):
        return []


class PlayerViewSet(ReadOnlyViewSet):
    model = Player
    name = "moderation_players"
    url_prefix = "moderation/players"
    icon = "user"
    menu_label = "Players"
    menu_order = 100
    index_view_class = views.PlayerIndexView
    inspect_view_class = views.PlayerView
    inspect_view_enabled = True
    filterset_class = PlayerFilterSet
    # The ORM's icontains, not the search index: moderators look players up by
    # email and public ID, which the public search never sees.
    search_backend_name = None
    search_fields = ["user__username", "display_name", "public_id", "user__email"]
    list_display = [
        "display_name",
        "username",
        "public_id",
        "level",
        "country",
        "created_at",
        "status",
    ]
    list_export = []
    list_per_page = 50

    def get_extra_urlpatterns(self):
        return [
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/reveal/", views.reveal_wallet_number, name="reveal"),
            path("<int:pk>/suspend/", views.suspend, name="suspend"),
            path("<int:pk>/lift/", views.lift, name="lift"),
        ]


class ReportViewSet(ReadOnlyViewSet):
    model = Report
    name = "moderation_reports"
    url_prefix = "moderation/reports"
    icon = "warning"
    menu_label = "Reports"
    menu_order = 110
    index_view_class = views.ReportIndexView
    list_filter = ["status", "reason"]
    list_display = ["__str__", "profile", "reporter", "status", "created_at"]
    list_export = []
    list_per_page = 50

    def get_extra_urlpatterns(self):
        return [path("<int:pk>/", views.resolve_report, name="inspect")]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            inspect_url_name=self.get_url_name("inspect"), **kwargs
        )


class ModerationGroup(ViewSetGroup):
    items = (PlayerViewSet, ReportViewSet)
    menu_label = "Moderation"
    menu_icon = "warning"
    menu_order = 250


@hooks.register("register_admin_viewset")
def register_moderation_viewsets():
    return ModerationGroup()


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    actions.register_action(
        "moderation.reveal_wallet_number",
        "Reveal wallet number",
        "Revealed a full wallet number",
    )
    actions.register_action("moderation.suspend", "Suspend", "Suspended the player")
    actions.register_action(
        "moderation.lift_suspension", "Lift suspension", "Lifted the suspension"
    )
    actions.register_action(
        "moderation.suspension_ended", "Suspension ended", "The suspension ended"
    )
    actions.register_action(
        "moderation.report.dismissed", "Dismiss report", "Dismissed the report"
    )
    actions.register_action(
        "moderation.report.warned", "Warn player", "Warned the player"
    )
    actions.register_action(
        "moderation.report.suspended", "Suspend from report", "Suspended the player"
    )


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    if request.user.has_perm("moderation.view_report"):
        panels.append(ModerationPanel())
