from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.wsgi import get_wsgi_application

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Command(BaseCommand):
    help = "用 waitress 启动网站，例如：fazhi serve --port 8000"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")
        parser.add_argument(
            "--trusted-proxy",
            default="",
            help="前置反向代理的地址（如 127.0.0.1）：仅信任它传来的 X-Forwarded-For/-Proto，"
            "使按来源地址的限流和登录锁定看到市民的真实地址",
        )

    def handle(self, *args, host: str, port: int, threads: int, trusted_proxy: str, **options):
        from waitress import serve

        if not 0 < port < 65536:
            raise CommandError(f"端口「{port}」无效，应为1至65535之间的整数。")
        if threads < 1:
            raise CommandError(f"线程数「{threads}」无效，应为不小于1的整数。")
        application = get_wsgi_application()
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"法治政府建设管理平台已启动：http://{shown}:{port}/ （按 Ctrl+C 停止）")
        if host not in LOOPBACK and "*" not in settings.ALLOWED_HOSTS:
            # Django answers 400 to any Host header it was not told about.
            self.stdout.write(
                self.style.WARNING(
                    f"从其他机器访问时，请把访问用的域名或地址加入环境变量 ALLOWED_HOSTS（当前：{','.join(settings.ALLOWED_HOSTS) or '空'}）。"
                )
            )
        try:
            proxy = (
                {
                    "trusted_proxy": trusted_proxy,
                    "trusted_proxy_count": 1,
                    "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto",
                    "clear_untrusted_proxy_headers": True,
                }
                if trusted_proxy
                else {}
            )
            serve(application, host=host, port=port, threads=threads, ident="fazhi", **proxy)
        except KeyboardInterrupt:
            self.stdout.write("已停止。")
