from django.apps import AppConfig


class DeletionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deletions"
    verbose_name = "Account deletion"

    def ready(self):
        from . import signals  # noqa: F401 - connects the sign-in receiver
