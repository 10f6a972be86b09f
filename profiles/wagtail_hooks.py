"""The game and achievement catalogues and teams, for editors in the Wagtail admin."""

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_forms import AwardForm
from .models import Achievement, Game, Team, UserAchievement


class GameViewSet(SnippetViewSet):
    model = Game
    icon = "site"
    menu_label = "Games"
    list_display = ["icon", "name", "short_name", "id_label", "id_format"]
    search_fields = ["name", "short_name"]
    add_to_admin_menu = True
    menu_order = 300


class AchievementViewSet(SnippetViewSet):
    model = Achievement
    icon = "pick"
    menu_label = "Achievements"
    list_display = ["name", "rarity", "points", "game"]
    list_filter = ["rarity", "game"]
    search_fields = ["name", "description"]
    add_to_admin_menu = True
    menu_order = 310


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = "Teams"
    list_display = ["name", "tag", "game"]
    list_filter = ["game"]
    search_fields = ["name", "tag"]
    add_to_admin_menu = True
    menu_order = 320


class AwardViewSet(SnippetViewSet):
    """Achievements given to players; each award shows on their trophy shelf.

    Creating, editing and deleting awards lands in Wagtail's audit log.
    """

    model = UserAchievement
    icon = "pick"
    menu_label = "Awards"
    add_to_admin_menu = True
    menu_order = 315
    list_display = ["profile", "achievement", "awarded_at"]
    list_filter = ["achievement"]
    # The database, not the search index: awards are found by player or trophy.
    search_backend_name = None
    search_fields = ["profile__slug", "profile__display_name", "achievement__name"]
    edit_handler = ObjectList(
        [FieldPanel("player"), FieldPanel("achievement"), FieldPanel("awarded_at")],
        base_form_class=AwardForm,
    )

    def get_queryset(self, request):
        return UserAchievement.objects.select_related("profile__user", "achievement")


register_snippet(GameViewSet)
register_snippet(AchievementViewSet)
register_snippet(TeamViewSet)
register_snippet(AwardViewSet)
