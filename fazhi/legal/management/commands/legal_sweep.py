from datetime import date

from django.core.management.base import BaseCommand, CommandError

from fazhi.legal.services import lapsed_reviews_sweep


class Command(BaseCommand):
    help = "行政复议审查期限届满未作出不予受理决定的申请，依法视为受理（第三十条第二款）。由定时任务每日调用，可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期执行（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期。") from None
        done = lapsed_reviews_sweep(today=today)
        self.stdout.write(f"视为受理 {done['deemed']} 件。")
        if done["skipped"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{done['skipped']} 件因决定期限超出已载入的工作日历而未处理，请先维护下一年度日历。"
                )
            )
