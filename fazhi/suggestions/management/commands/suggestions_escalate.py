from django.core.management.base import BaseCommand

from fazhi.suggestions.services import overdue_escalate


class Command(BaseCommand):
    help = "按超期督办规则，对超期未回复的司法建议、检察建议和未答复的代表建议、政协提案发出催办、督办（由定时任务调用，可重复执行）。"

    def handle(self, *args, **options):
        counts = overdue_escalate()
        self.stdout.write(
            f"发出督办 {counts['issued']} 件；督办人无权督办的 {counts['refused']} 件；"
            f"期限超出工作日历的 {counts['beyond_calendar']} 件。"
        )
