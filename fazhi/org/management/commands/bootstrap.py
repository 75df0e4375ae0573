from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.org import services
from fazhi.org.models import Region, Role

ADMINS = [
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN),
    ("auditadmin", "审计管理员", Role.AUDIT_ADMIN),
]


class Command(BaseCommand):
    help = (
        "空库初始化：登记本级人民政府并开设系统、安全、审计管理员三个账号（三员分立），初始密码只显示一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--region-code", required=True, help="本级行政区划代码，如 370100")
        parser.add_argument("--region-name", required=True, help="行政区划名称，如 济南市")
        parser.add_argument(
            "--level",
            type=int,
            default=Region.Level.CITY,
            choices=[c.value for c in Region.Level],
            help="2=市，3=区县",
        )
        parser.add_argument("--name", required=True, help="本级人民政府名称，如 济南市人民政府")
        parser.add_argument("--credit-code", default=None, help="统一社会信用代码")

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                unit = services.bootstrap_root_unit(
                    region_code=options["region_code"],
                    region_name=options["region_name"],
                    region_level=options["level"],
                    name=options["name"],
                    credit_code=options["credit_code"],
                )
                accounts = []
                for username, label, role in ADMINS:
                    password = services.generate_password()
                    services.bootstrap_admin(
                        username=username,
                        full_name=label,
                        role=role,
                        password=password,
                        unit=unit,
                        password_set_now=False,
                    )
                    accounts.append((label, username, password))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已登记 {unit.name}，并开设三员账号（首次登录须修改密码）：")
        for label, username, password in accounts:
            self.stdout.write(f"  {label}  {username}  {password}")
