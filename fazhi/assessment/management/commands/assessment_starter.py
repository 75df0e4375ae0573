from django.core.management.base import BaseCommand, CommandError

from fazhi.assessment.services import tree_load_starter
from fazhi.org.models import User


class Command(BaseCommand):
    help = "载入示范指标体系模板（按纲要和示范指标体系标题整理，草稿状态，须按本地考核办法修改后启用）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--as", dest="username", required=True, help="以哪个法治督察账号载入（写入审计日志）"
        )

    def handle(self, *args, username: str, **options):
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"没有启用的账号 {username}。")
        tree = tree_load_starter(actor=actor)
        self.stdout.write(
            f"指标体系模板：{tree}（{tree.get_status_display()}，{tree.indicators.count()}项指标）。"
        )
