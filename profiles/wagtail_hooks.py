"""The game and achievement catalogues and teams, for editors in the Wagtail admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Achievement, Game, Team


class GameViewSet(SnippetViewSet):
    model = Game
    icon = "site"
    menu_label = "Games"
    list_display = ["name", "short_name", "id_label"]
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


register_snippet(GameViewSet)
register_snippet(AchievementViewSet)
register_snippet(TeamViewSet)
