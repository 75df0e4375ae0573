from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "平台基础"

    def daily_sweep(self, *, today=None) -> str:
        """First step of `fazhi sweep`: keep the work calendar far enough ahead (ADR 7)."""
        from django.utils import timezone

        from fazhi.core.services import calendar_extend_ahead

        added = calendar_extend_ahead(today=today or timezone.localdate())
        if not added:
            return "工作日历已覆盖所需期间"
        return "工作日历延展：" + "、".join(
            f"{year}年（{'国务院放假安排' if source == 'statutory' else '暂按周休日，待核定'}）"
            for year, source in added
        )
