from datetime import date

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.calendar import CalendarRangeError
from fazhi.core.deadlines import Period, due_date


class Command(BaseCommand):
    help = "按工作日历计算期限届满日，例如：fazhi due 2024-09-27 5wd"

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日（当日不计入），格式 YYYY-MM-DD")
        parser.add_argument("period", help="期限：5wd（工作日）、60d（自然日）或 3m（月）")
        parser.add_argument("--no-roll", action="store_true", help="届满日遇休息日不顺延")

    def handle(self, *args, start: str, period: str, no_roll: bool, **options):
        try:
            start_day = date.fromisoformat(start)
        except ValueError:
            raise CommandError(
                f"起算日「{start}」不是有效日期，请写成 YYYY-MM-DD，例如 2024-09-27。"
            ) from None
        try:
            parsed = Period.parse(period)
            due = due_date(start=start_day, period=parsed, roll_forward=not no_roll)
        except (ValueError, CalendarRangeError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(due.isoformat())
