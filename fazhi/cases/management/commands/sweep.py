"""`fazhi sweep`: the one periodic job. Each domain app's own daily rules run first, then the
engine's 临期/超期 reminders, so reminders see the clocks those rules have just started.

An app takes part by giving its AppConfig a `daily_sweep(*, today)` method that returns one
line for the log; the steps run in INSTALLED_APPS order. Every step is idempotent, so the job
may run as often as the scheduler likes; one failing step is reported and the others still run.
"""

import logging
from datetime import date

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from fazhi.cases.services import reminders_sweep

logger = logging.getLogger(__name__)


def sweep_steps() -> list:
    """The apps with periodic rules, in INSTALLED_APPS order; an app that must see the others'
    changes (the metrics rollup) sets a higher `sweep_order` to run after them."""
    steps = [config for config in apps.get_app_configs() if callable(getattr(config, "daily_sweep", None))]
    return sorted(steps, key=lambda config: getattr(config, "sweep_order", 0))


class Command(BaseCommand):
    help = (
        "每日例行扫描：各业务模块的定时规则（如行政复议视为受理、超期督办），"
        "再扫描临期、超期案件并向承办单位发送提醒（由定时任务调用，可重复执行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期执行（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期。") from None
        failed = []
        for config in sweep_steps():
            try:
                line = config.daily_sweep(today=today)
            except Exception:
                # the other rules and the reminders must still run; the exit status reports it
                logger.exception("daily sweep step %s failed", config.label)
                failed.append(config.verbose_name)
                continue
            self.stdout.write(f"{config.verbose_name}：{line}")
        created = reminders_sweep(today=today)
        self.stdout.write(f"临期提醒 {created['due_soon']} 条，超期提醒 {created['overdue']} 条。")
        if failed:
            raise CommandError(f"以下模块的定时规则执行失败（详见日志），其余已完成：{'、'.join(failed)}。")
