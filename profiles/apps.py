from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Players"

    def ready(self):
        from . import signals  # noqa: F401
