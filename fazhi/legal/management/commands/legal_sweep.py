from datetime import date

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "行政复议的每日规则：审查期限届满未作出不予受理决定的申请依法视为受理（第三十条第二款），"
        "提醒被申请人答复临期、超期。已包含在每日的 fazhi sweep 中，此命令供单独执行，可重复执行。"
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
        self.stdout.write(apps.get_app_config("legal").daily_sweep(today=today))
