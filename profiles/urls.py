from django.urls import path, register_converter

from .views import public, settings


class UsernameConverter:
    """Any run of characters a username may hold; the view applies the policy."""

    regex = r"[A-Za-z0-9._\-]{1,60}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UsernameConverter, "username")

app_name = "profiles"
urlpatterns = [
    path("@<username:username>/", public.profile, name="profile"),
    path("@<username:username>/follow/", public.follow, name="follow"),
    path("@<username:username>/unfollow/", public.unfollow, name="unfollow"),
    path("me/profile/", public.me, name="me"),
    path("me/settings/", settings.settings_page, name="settings"),
    path(
        "me/settings/<slug:section>/",
        settings.settings_section,
        name="settings-section",
    ),
]
