from django.apps import AppConfig


class DeltaCrownConfig(AppConfig):
    name = "deltacrown"
    verbose_name = "DeltaCrown"

    def ready(self):
        from deltacrown import metrics

        metrics.connect_signals()
