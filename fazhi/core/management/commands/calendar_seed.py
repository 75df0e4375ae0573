from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.core.calendar_seed import check_years, covered_years
from fazhi.core.services import calendar_year_load


class Command(BaseCommand):
    help = "从 chinese_calendar 载入国务院放假安排到工作日历（不覆盖人工或地方调整）。"

    def add_arguments(self, parser):
        years = covered_years()
        parser.add_argument("--from", dest="first", type=int, default=2015, help="起始年份（默认2015）")
        parser.add_argument(
            "--to", dest="last", type=int, default=years.stop - 1, help=f"结束年份（默认{years.stop - 1}）"
        )

    def handle(self, *args, first: int, last: int, **options):
        try:
            check_years(first, last)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        totals = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0}
        try:
            with transaction.atomic():  # all the years or none
                for year in range(first, last + 1):
                    result = calendar_year_load(actor=None, year=year)
                    for key in totals:
                        totals[key] += getattr(result, key)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(
            f"已载入{first}年至{last}年工作日历：新增{totals['created']}天，更新{totals['updated']}天，"
            f"未变{totals['unchanged']}天，保留人工或地方调整{totals['kept']}天。"
        )
