from django.apps import AppConfig


class DeltaCrownConfig(AppConfig):
    name = "deltacrown"
    verbose_name = "DeltaCrown"
