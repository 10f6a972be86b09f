from django.apps import AppConfig


class DeltaCrownConfig(AppConfig):
    name = "deltacrown"
    verbose_name = "DeltaCrown"

    def ready(self):
        from deltacrown import metrics, request_id

        metrics.connect_signals()
        request_id.connect_signals()
