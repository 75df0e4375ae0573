"""fazhi token create USERNAME [--name 用途] | revoke PREFIX | list [USERNAME]

`create` prints only the token on stdout, so a script can capture it.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fazhi.core.models import ApiToken
from fazhi.core.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = "签发、吊销、列出接口令牌。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="为账号签发令牌，只在标准输出打印令牌本身")
        create.add_argument("username")
        create.add_argument("--name", default="", help="用途，如“12345 工单系统对接”")
        revoke = actions.add_parser("revoke", help="按前缀吊销令牌")
        revoke.add_argument("prefix")
        listing = actions.add_parser("list", help="列出令牌（不含密文）")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, username, name, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"账号“{username}”不存在。") from None
        try:
            secret = token_create(actor=None, user=user, name=name)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(secret)

    def handle_revoke(self, *, prefix, **options):
        matches = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True)[:2])
        if not matches:
            raise CommandError(f"没有前缀为“{prefix}”的有效令牌。")
        if len(matches) > 1:
            raise CommandError(f"前缀“{prefix}”对应多个令牌，请在后台管理中按账号吊销。")
        token_revoke(actor=None, token=matches[0])
        self.stderr.write(f"已吊销令牌 {prefix}…（账号 {matches[0].user.get_username()}）。")

    def handle_list(self, *, username=None, **options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = f"已吊销 {timezone.localtime(token.revoked_at):%Y-%m-%d}" if token.revoked_at else "有效"
            used = (
                f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M}"
                if token.last_used_at
                else "从未使用"
            )
            self.stdout.write(
                f"{token.prefix}…\t{token.user.get_username()}\t{token.name or '—'}\t{state}\t最近使用：{used}"
            )
