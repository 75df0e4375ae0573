from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "fazhi.metrics"
    label = "metrics"
    verbose_name = "指标"

    def ready(self) -> None:
        # Each domain app defines its indicators in its own metrics.py, as admin.py does for the
        # admin site; importing them here fills the registry once, at start-up.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("metrics")
