"""fazhi hotline_history import FILE --as USERNAME | template OUT.xlsx

import    check a file of historical 12345 records (XLSX or CSV) and, if every row is right, load it;
          each problem is printed with its row, column, value and rule, and nothing is written
template  write the empty import template
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from fazhi.hotline import imports
from fazhi.org.models import User


class Command(BaseCommand):
    help = "12345历史诉求：导入 XLSX/CSV 文件，或生成导入模板。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="检查并导入历史诉求文件（全部正确才导入）")
        load.add_argument("path")
        load.add_argument("--as", dest="username", required=True, help="以哪个12345话务员账号导入")
        template = actions.add_parser("template", help="生成导入模板")
        template.add_argument("path")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_template(self, *, path, **options):
        Path(path).write_bytes(imports.template())
        self.stdout.write(f"已生成导入模板：{path}")

    def handle_import(self, *, path, username, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件“{path}”不存在。")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在或已停用。")
        try:
            record = imports.history_import(actor=user, file_name=file.name, content=file.read_bytes())
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if record.status == record.Status.DONE:
            self.stdout.write(
                f"已导入 {record.tickets} 件诉求（编号 {record.first_number} 至 {record.last_number}），原文件已保存。"
            )
            return
        lines = [
            (f"第{e['row']}行" if e["row"] else "文件")
            + (f"「{e['column']}」" if e["column"] else "")
            + (f"“{e['value']}”" if e["value"] else "")
            + f"：{e['message']}"
            for e in record.errors
        ]
        raise CommandError(f"未导入任何诉求，发现 {len(record.errors)} 处错误：\n" + "\n".join(lines))
