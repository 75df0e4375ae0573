"""fazhi audit verify | export [--since DATE] [--until DATE] [--output FILE]

Retention: audit records are never deleted by the platform. 网络安全法 Art. 21 requires at least
six months (FAZHI_AUDIT_RETENTION_DAYS ≥ 183); deleting rows would also break the SM3 chain.
Archive by exporting to CSV and backing up the database.
"""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.audit_views import export_rows, last_event_id
from fazhi.core.models import AuditEvent


def _parse_day(value: str, name: str):
    try:
        return timezone.make_aware(datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time.min))
    except ValueError:
        raise CommandError(f"{name} 须为 YYYY-MM-DD 格式的日期，得到“{value}”。") from None


class Command(BaseCommand):
    help = "校验审计记录的 SM3 链，或导出审计记录为 CSV。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="逐条校验摘要链；发现问题时退出码为 1")
        export = actions.add_parser("export", help="导出为 CSV（UTF-8，带 BOM）")
        export.add_argument("--since", help="起始日期（含），YYYY-MM-DD")
        export.add_argument("--until", help="截止日期（不含），YYYY-MM-DD")
        export.add_argument("--output", help="写入文件；缺省写到标准输出")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_verify(self, **options):
        checked, problems = audit.verify_chain()
        audit.record(
            actor="命令行",
            action="audit.verified",
            success=not problems,
            message=f"校验{checked}条，发现{len(problems)}个问题",
        )
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"审计链校验失败：共检查{checked}条记录，发现{len(problems)}个问题。")
        self.stdout.write(f"审计链完整：共检查{checked}条记录。")

    def handle_export(self, *, since=None, until=None, output=None, **options):
        events = AuditEvent.objects.filter(id__lte=last_event_id()).order_by("id")
        if since:
            events = events.filter(occurred_at__gte=_parse_day(since, "--since"))
        if until:
            events = events.filter(occurred_at__lt=_parse_day(until, "--until"))
        audit.record(actor="命令行", action="audit.exported", after={"since": since, "until": until})
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.writelines(export_rows(events))
            self.stderr.write(f"已导出到 {output}。")
        else:
            for line in export_rows(events):
                self.stdout.write(line, ending="")
