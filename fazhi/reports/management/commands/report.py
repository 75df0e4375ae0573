"""fazhi report review FILE [--json] | fazhi report compare FILE FILE… [--json]

Review a 法治政府建设 annual report (TXT, DOCX or HTML): the five required parts, the figures of
the indicator vocabulary and the arithmetic; or set several reports side by side.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.reports.review import UnreadableReport, compare, review_file
from fazhi.reports.review.summary import render_comparison, render_review


def _review(path: str):
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取文件“{path}”：{exc.strerror or exc}。") from None
    try:
        return review_file(file.name, data)
    except UnreadableReport as exc:
        raise CommandError(f"{path}：{exc}") from None


class Command(BaseCommand):
    help = "审查法治政府建设年度报告（五个必备部分、统计数字、计算），或把多份报告对照比较。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        review = actions.add_parser("review", help="审查一份报告（TXT、DOCX或HTML）")
        review.add_argument("file", help="报告文件")
        review.add_argument("--json", action="store_true", help="输出JSON：parts、figures、checks")
        review.add_argument(
            "--compare", nargs="+", metavar="FILE", help="再与这些报告按地区×指标对照（同 report compare）"
        )
        table = actions.add_parser("compare", help="多份报告按地区×指标对照")
        table.add_argument("files", nargs="+", help="报告文件")
        table.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_review(self, *, file, json: bool = False, compare: list[str] | None = None, **options):
        if compare:
            return self.handle_compare(files=[file, *compare], json=json)
        review = _review(file)
        if json:
            self.stdout.write(_dumps(review.as_dict()))
        else:
            self.stdout.write(render_review(review), ending="")

    def handle_compare(self, *, files: list[str], json: bool = False, **options):
        comparison = compare([_review(path) for path in files])
        if json:
            self.stdout.write(_dumps(comparison.as_dict()))
        else:
            self.stdout.write(render_comparison(comparison), ending="")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
