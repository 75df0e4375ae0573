"""fazhi hotline train | models | activate VERSION | escalate

train      learn category and lead unit from the city's own 12345 history; store a new version
models     list the stored versions with their held-out accuracy
activate   put an earlier version back in use
escalate   催办 → 督办 → 挂牌督办 by the escalation rules, and the 差评 rectification tasks still
           missing (run daily by the scheduler; repeating it changes nothing)
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fazhi.hotline import escalation, learning, ratings
from fazhi.hotline.models import RoutingModel


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1%}"


class Command(BaseCommand):
    help = "12345热线：训练派单模型、查看和切换模型版本、按规则升级督办。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="用本市历史工单训练派单模型（新版本）")
        train.add_argument("--limit", type=int, default=learning.DEFAULT_LIMIT, help="最多读取的最新工单数")
        train.add_argument("--min-examples", type=int, default=50, help="少于此数不训练")
        train.add_argument("--no-activate", action="store_true", help="只训练和评估，不投入使用")
        actions.add_parser("models", help="列出派单模型各版本及准确率")
        activate = actions.add_parser("activate", help="启用指定版本")
        activate.add_argument("version", type=int)
        escalate = actions.add_parser("escalate", help="按督办升级规则发起催办、督办、挂牌督办")
        escalate.add_argument(
            "--as", dest="username", default="", help="督办账号（默认 FAZHI_HOTLINE_SUPERVISOR）"
        )
        hotspots = actions.add_parser("hotspots", help="统计热点，向承办单位和领导推送环比激增预警")
        hotspots.add_argument("--days", type=int, default=7, help="统计窗口天数（默认7）")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None

    def handle_train(self, *, limit, min_examples, no_activate, **options):
        report = learning.routing_model_train(
            actor=None, limit=limit, min_examples=min_examples, activate=not no_activate
        )
        model = report.model
        metrics = model.metrics
        self.stdout.write(
            f"派单模型第{model.version}版：训练{model.samples}件，留出验证{model.holdout}件，用时{report.seconds:.1f}秒，"
            f"{model.size / 1024 / 1024:.1f} MB。"
        )
        self.stdout.write(
            f"  分类准确率 {_percent(model.category_accuracy)}（一级分类 {_percent(metrics.get('category_first_level_accuracy'))}），"
            f"主办单位准确率 {_percent(model.unit_accuracy)}。"
        )
        for key, label in (("category_at_threshold", "分类"), ("unit_at_threshold", "主办单位")):
            at = metrics.get(key)
            if at:
                self.stdout.write(
                    f"  {label}置信度≥{at['threshold']:.0%}的占 {at['coverage']:.1%}，其中正确 {_percent(at['accuracy'])}。"
                )
        self.stdout.write("  已投入使用。" if model.is_active else "  未投入使用（--no-activate）。")

    def handle_models(self, **options):
        for model in RoutingModel.objects.defer("artefact"):
            state = "在用" if model.is_active else "  "
            self.stdout.write(
                f"{state} 第{model.version}版 {timezone.localtime(model.trained_at):%Y-%m-%d %H:%M} "
                f"样本{model.samples} 分类{_percent(model.category_accuracy)} 单位{_percent(model.unit_accuracy)}"
            )

    def handle_activate(self, *, version, **options):
        model = RoutingModel.objects.filter(version=version).defer("artefact").first()
        if model is None:
            raise CommandError(f"没有第{version}版派单模型。")
        learning.routing_model_activate(actor=None, model=model)
        self.stdout.write(f"已启用派单模型第{version}版。")

    def handle_escalate(self, *, username, **options):
        actor = escalation.supervisor_account(username)
        counts = escalation.escalation_sweep(actor=actor)
        opened = ratings.rectifications_open_missing(actor=actor)
        self.stdout.write(
            f"催办 {counts['urge']} 件，督办 {counts['supervise']} 件，挂牌督办 {counts['listed']} 件；"
            f"差评整改任务 {opened} 件。"
        )
        if counts["out_of_scope"]:
            self.stderr.write(
                f"另有 {counts['out_of_scope']} 件超出账号{actor.get_username()}的督办范围，未处理。"
            )

    def handle_hotspots(self, *, days, **options):
        from fazhi.hotline.hotspots import hotspot_warnings_issue

        if days < 1:
            raise CommandError("统计窗口至少1天。")
        issued = hotspot_warnings_issue(days=days)
        self.stdout.write(f"新发热点预警 {len(issued)} 处。")
        for cell in issued:
            self.stdout.write(
                f"  {cell.street}「{cell.category}」{cell.current}件（前期{cell.previous}件，{cell.change}）"
            )
