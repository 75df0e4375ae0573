from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "fazhi.metrics"
    label = "metrics"
    verbose_name = "指标"
    sweep_order = 100  # after the other apps' daily rules, so the rollup sees what they changed

    def daily_sweep(self, *, today=None) -> str:
        """`fazhi sweep`: keep the rollups fresh, so the cockpit never falls back to raw rows."""
        from fazhi.metrics.rollups import rollup_run

        run = rollup_run()
        return f"指标汇总：重算{run.days}天，写入{run.rows}行"

    def ready(self) -> None:
        # Each domain app defines its indicators in its own metrics.py, as admin.py does for the
        # admin site; importing them here fills the registry once, at start-up.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("metrics")
