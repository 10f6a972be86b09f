from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site content"

    def ready(self):
        # Connects the receivers that forget cached site settings on a change.
        from . import site_settings  # noqa: F401
