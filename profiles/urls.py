from django.urls import path, register_converter

from .views import public, settings, social


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
    path("@<username:username>/block/", social.block, name="block"),
    path("@<username:username>/unblock/", social.unblock, name="unblock"),
    path("@<username:username>/followers/", social.followers, name="followers"),
    path("@<username:username>/following/", social.following, name="following"),
    path(
        "@<username:username>/followers/<username:follower_username>/accept/",
        social.follow_request_action,
        {"action": "accept"},
        name="follow-accept",
    ),
    path(
        "@<username:username>/followers/<username:follower_username>/decline/",
        social.follow_request_action,
        {"action": "decline"},
        name="follow-decline",
    ),
    path(
        "@<username:username>/followers/<username:follower_username>/remove/",
        social.follow_request_action,
        {"action": "remove"},
        name="follower-remove",
    ),
    path("me/profile/", public.me, name="me"),
    path("me/follow-requests/", social.follow_requests, name="follow-requests"),
    path("me/settings/", settings.settings_page, name="settings"),
    path(
        "me/settings/<slug:section>/",
        settings.settings_section,
        name="settings-section",
    ),
]
