"""fazhi metrics rollup [--since DATE] [--full] | list | show CODE [--period P] [--unit ID] [--subtree]

`rollup` is run by the scheduler (e.g. every 15 minutes to hourly) and after bulk loads; it redoes
only the days whose records changed since the previous run, so it can run as often as wanted.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fazhi.metrics import compute, periods
from fazhi.metrics.registry import registry
from fazhi.metrics.rollups import rollup_run
from fazhi.org.models import Unit


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since 须为 YYYY-MM-DD 格式的日期，得到“{value}”。") from None


class Command(BaseCommand):
    help = "指标：更新日汇总（rollup）、列出指标定义、计算某项指标。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        rollup = actions.add_parser("rollup", help="更新日汇总；可重复执行")
        rollup.add_argument(
            "--since", help="另外重算该日（含）以后的全部日期，YYYY-MM-DD（批量导入历史数据后使用）"
        )
        rollup.add_argument("--full", action="store_true", help="全部重算")
        actions.add_parser("list", help="列出全部指标及其口径")
        show = actions.add_parser("show", help="计算一项指标")
        show.add_argument("code")
        show.add_argument(
            "--period", default="", help="2025、2025-Q3、2025-07 或 2025-01-01~2025-06-30；缺省为本年至今"
        )
        show.add_argument("--unit", type=int, help="单位编号；缺省为全部单位")
        show.add_argument("--subtree", action="store_true", help="含下级单位")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_rollup(self, *, since=None, full=False, **options):
        run = rollup_run(since=_day(since) if since else None, full=full)
        what = "全量重算" if run.full else f"重算{run.days}个日期"
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(f"指标日汇总已更新：{what}，写入{run.rows}行，用时{seconds:.1f}秒。")

    def handle_list(self, **options):
        for metric in registry.all():
            self.stdout.write(f"{metric.code}\t{metric.name}（{metric.unit_label}）\n  {metric.definition}")

    def handle_show(self, *, code, period="", unit=None, subtree=False, **options):
        if code not in registry:
            raise CommandError(f"没有代码为 {code} 的指标，可用 `fazhi metrics list` 查看。")
        try:
            span = periods.parse(period)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        units = compute.EVERYTHING
        if unit is not None:
            found = Unit.objects.filter(pk=unit).first()
            if found is None:
                raise CommandError(f"没有编号为 {unit} 的单位。")
            units = compute.subtree(found.path) if subtree else compute.one_unit(found.pk)
        metric = registry.get(code)
        result = compute.figure(metric, units=units, start=span.start, end=span.end)
        counts = f"（{result.numerator}/{result.denominator}）" if metric.is_rate else ""
        self.stdout.write(f"{metric.name} {span.label}：{result.text}{counts}")
