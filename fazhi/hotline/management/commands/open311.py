"""fazhi open311 key create NAME [--as USERNAME] | key revoke PREFIX | key list

`key create` prints only the api_key on stdout, so a script can capture it.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fazhi.hotline.open311 import client_key_create, client_key_revoke
from fazhi.hotline.records import Open311Client
from fazhi.org.models import Role, User


class Command(BaseCommand):
    help = "Open311 接入方：登记（打印 api_key）、吊销、列出。"

    def add_arguments(self, parser):
        resources = parser.add_subparsers(dest="resource", required=True)
        key = resources.add_parser("key", help="接入方密钥")
        actions = key.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="登记接入方，只在标准输出打印 api_key")
        create.add_argument("name", help="接入方名称，如“市民通 App”")
        create.add_argument(
            "--as", dest="username", default="", help="以哪个12345话务员账号登记诉求（默认第一个在岗话务员）"
        )
        revoke = actions.add_parser("revoke", help="按前缀吊销")
        revoke.add_argument("prefix")
        actions.add_parser("list", help="列出接入方（不含密钥）")

    def handle(self, *args, resource, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, name, username, **options):
        operators = User.objects.filter(
            is_active=True, memberships__role=Role.OPERATOR, memberships__is_active=True
        ).order_by("id")
        operator = (operators.filter(username=username) if username else operators).first()
        if operator is None:
            raise CommandError(
                f"账号“{username}”不是在岗的12345话务员。"
                if username
                else "没有在岗的12345话务员账号，请先开设。"
            )
        try:
            _client, secret = client_key_create(actor=None, name=name, operator=operator)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(secret)

    def handle_revoke(self, *, prefix, **options):
        matches = list(Open311Client.objects.filter(prefix=prefix, revoked_at__isnull=True)[:2])
        if len(matches) != 1:
            raise CommandError(f"没有唯一一个前缀为“{prefix}”的有效接入方。")
        client_key_revoke(actor=None, client=matches[0])
        self.stderr.write(f"已吊销 Open311 接入方“{matches[0].name}”（{prefix}…）。")

    def handle_list(self, **options):
        for client in Open311Client.objects.select_related("operator"):
            state = (
                f"已吊销 {timezone.localtime(client.revoked_at):%Y-%m-%d}" if client.revoked_at else "有效"
            )
            used = (
                f"{timezone.localtime(client.last_used_at):%Y-%m-%d %H:%M}"
                if client.last_used_at
                else "从未使用"
            )
            self.stdout.write(
                f"{client.prefix}…\t{client.name}\t{client.operator.get_username()}\t{state}\t最近使用：{used}"
            )
