import io
import logging
import threading
import time
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections

from fazhi.demo import data
from fazhi.demo.city import DemoCityExists, DemoSummary, build_city
from fazhi.metrics.rollups import rollup_run

logger = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 30 * 60


def _sweep_while_serving(every: int) -> None:
    """The demo has no cron: while it serves, run the one daily job (`fazhi sweep`: reminders,
    escalations, the metrics rollup) as the scheduler would in production."""

    def loop() -> None:
        while True:
            time.sleep(every)
            try:
                call_command("sweep", stdout=io.StringIO())
            except Exception:
                logger.exception("demo sweep failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="demo-sweep", daemon=True).start()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Columns aligned for a terminal, counting a Chinese character as two columns."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = "重建 SQLite 演示数据库，建设演示城市“明湖市”，打印各角色的演示账号，然后启动网站。"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="建好后不启动网站")
        parser.add_argument(
            "--scale", type=int, default=1, help="案件和社区数量的倍数（默认 1，用于性能测试）"
        )
        parser.add_argument(
            "--seed", type=int, default=20240101, help="随机种子：相同种子同一天建成的城市相同"
        )
        parser.add_argument(
            "--history",
            type=int,
            default=None,
            help="12345 历史诉求件数（默认 24000 × scale，近一年）",
        )
        parser.add_argument("--port", type=int, default=8000, help="网站端口（默认 8000）")
        parser.add_argument(
            "--force",
            action="store_true",
            help="允许写入非 SQLite 数据库（须为空库），或重建 VAR_DIR 之外的 SQLite 文件",
        )

    def handle(
        self, *args, no_serve: bool, scale: int, seed: int, port: int, force: bool, history=None, **options
    ):
        if scale < 1:
            raise CommandError(f"--scale「{scale}」无效，应为不小于1的整数。")
        if history is not None and history < 0:
            raise CommandError(f"--history「{history}」无效，应为不小于0的整数。")
        verbosity = options["verbosity"]
        self._prepare_database(force=force)
        if verbosity:
            self.stdout.write("正在建立数据表…")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            summary = build_city(scale=scale, seed=seed, progress=verbosity > 0, hotline_history=history)
        except DemoCityExists as exc:
            raise CommandError(str(exc)) from None
        rollup_run(full=True)  # the cockpit reads rollups, as after the scheduled job
        token = self._operator_token(summary)
        open311_key = self._open311_key(summary)
        call_command("collectstatic", interactive=False, verbosity=0)
        self._report(summary, token, open311_key)
        if not no_serve:
            _sweep_while_serving(SWEEP_EVERY_SECONDS)
            call_command("serve", port=port)

    def _prepare_database(self, *, force: bool) -> None:
        """Delete the SQLite file so every demo starts from scratch; leave any other database alone."""
        connection = connections["default"]
        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "sqlite":
            if not force:
                raise CommandError(
                    f"当前数据库是 {connection.vendor}（{name}），不是 SQLite。fazhi demo 只重建 SQLite 演示库；"
                    "如确要把演示城市写入这个空数据库，请加 --force。"
                )
            return
        if name == ":memory:" or "mode=memory" in name:
            return
        path = Path(name).resolve()
        var_dir = Path(settings.VAR_DIR).resolve()
        if not path.is_relative_to(var_dir) and not force:
            raise CommandError(
                f"SQLite 数据库 {path} 不在数据目录 {var_dir} 下，为免误删，fazhi demo 不会重建它；"
                "请改用默认数据库（去掉 DATABASE_URL）或加 --force。"
            )
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)

    def _operator_token(self, summary: DemoSummary) -> str:
        from fazhi.core.tokens import token_create
        from fazhi.org.models import User

        issuer = User.objects.get(username=summary.token_issuer)
        operator = User.objects.get(username=summary.operator)
        return token_create(actor=issuer, user=operator, name="演示：12345 接口")

    def _open311_key(self, summary: DemoSummary) -> str:
        from fazhi.hotline.open311 import client_key_create
        from fazhi.org.models import User

        operator = User.objects.get(username=summary.operator)
        _client, secret = client_key_create(actor=operator, name="演示：Open311 客户端", operator=operator)
        return secret

    def _report(self, summary: DemoSummary, token: str, open311_key: str = "") -> None:
        c = summary.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"演示城市“{data.CITY[1]}”已建成（用时 {summary.seconds} 秒）："
                f"{c['regions']} 个行政区划（其中社区村 {c['communities']} 个）、{c['units']} 个单位"
                f"（{c['units_merged']} 个已在机构改革中合并）、{c['users']} 个账号、"
                f"{c['responsibility_items']} 项权责清单事项、{c['boundary_items']} 项边界事项、"
                f"{c['cases']} 件案件（办理中 {c['cases_open']}、中止 {c['cases_suspended']}、已办结 {c['cases_closed']}，"
                f"其中超期 {c['cases_overdue']}）、{c['supervisions']} 件督办、{c['notices']} 条提醒。"
            )
        )
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {data.DEMO_PASSWORD}）：")
        rows = [("角色", "账号", "密码", "姓名", "单位")]
        rows += [(lg.role_label, lg.username, lg.password, lg.full_name, lg.unit) for lg in summary.logins]
        for line in _table(rows):
            self.stdout.write(f"  {line}")
        self.stdout.write(
            "  其他单位：承办人员的账号是单位代码（如 zjj 市住建局、scj 市市场监管局、hubin01 湖滨区明湖路街道），"
            "单位负责人在其后加 .lead（如 zjj.lead）。"
        )
        self.stdout.write("")
        self.stdout.write(f"12345 接口令牌（{summary.operator}，只显示这一次）：")
        self.stdout.write(f"  Authorization: Bearer {token}")
        if open311_key:
            self.stdout.write("")
            self.stdout.write("Open311 GeoReport v2（/open311/v2/discovery.xml）接入密钥，只显示这一次：")
            self.stdout.write(f"  api_key={open311_key}")
        self.stdout.write("")
