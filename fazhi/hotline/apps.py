from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "fazhi.hotline"
    label = "hotline"
    verbose_name = "12345热线"

    def ready(self) -> None:
        # Import records and Open311 clients live in their own module (records.py).
        from fazhi.hotline import records  # noqa: F401

    def daily_sweep(self, *, today=None) -> str:
        """`fazhi sweep`: escalation by rule, rectification tasks for bad ratings, hotspot warnings.

        Supervision is issued in the name of FAZHI_HOTLINE_SUPERVISOR; without that account the
        escalations wait (and say so), the hotspot warnings still go out.
        """
        from datetime import timedelta

        from fazhi.hotline import escalation, ratings
        from fazhi.hotline.hotspots import hotspot_warnings_issue

        # the hotspot window ends before `end`: the last 7 days up to and including today
        warned = len(hotspot_warnings_issue(end=today + timedelta(days=1) if today else None))
        actor = escalation.configured_supervisor()
        if actor is None:
            return f"热点预警{warned}处；未配置督办账号（FAZHI_HOTLINE_SUPERVISOR），超期督办未执行"
        counts = escalation.escalation_sweep(actor=actor, today=today)
        opened = ratings.rectifications_open_missing(actor=actor)
        return (
            f"催办{counts['urge']}件，督办{counts['supervise']}件，挂牌督办{counts['listed']}件；"
            f"差评整改任务{opened}件；热点预警{warned}处"
        )
