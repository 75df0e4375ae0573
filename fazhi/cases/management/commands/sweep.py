from django.core.management.base import BaseCommand

from fazhi.cases.services import reminders_sweep


class Command(BaseCommand):
    help = "扫描临期、超期案件，向承办单位收件箱发送提醒（由定时任务调用，可重复执行）。"

    def handle(self, *args, **options):
        created = reminders_sweep()
        self.stdout.write(f"临期提醒 {created['due_soon']} 条，超期提醒 {created['overdue']} 条。")
