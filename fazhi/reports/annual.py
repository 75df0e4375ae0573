"""What an annual report is made of, as data: the five parts, the 纲要 headings of part one, the
figure sentence templates over the metrics registry, and the statutory dates.

A template writes its numbers as `{name}` (a count, or a rate with its precision and "%"),
`{name.n}` and `{name.d}` (a rate's own numerator and denominator), so that a rate is always
shown with the counts it was computed from and rounded as the registry rounds it (half up).
Where the registry's 口径 differs from the usual reading of a rate's name (按时办结率 over the
cases due, not over all received; 调处成功率 over the settled, not over all received), the
sentence says so in brackets, as a reviewer would ask.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from fazhi.metrics import compute, periods
from fazhi.metrics.compute import Figure
from fazhi.metrics.registry import registry

CASE_TYPE = "annual_report"

# 督察工作规定: departments report to the government by 1 March; every report is public by 1 April.
# The dates are a local setting (a 示范地区 reports by end of January): FAZHI_ANNUAL_REPORT_DATES.
DEFAULT_DATES = {"department": (3, 1), "government": (4, 1), "public": (4, 1)}


def local_dates() -> dict[str, tuple[int, int]]:
    """The setting as a dict, or as the environment gives it: "department=01-31,public=04-01"."""
    value = getattr(settings, "FAZHI_ANNUAL_REPORT_DATES", "") or {}
    if isinstance(value, dict):
        return value
    dates = {}
    for item in value.split(","):
        kind, _, month_day = item.strip().partition("=")
        if kind not in DEFAULT_DATES or not re.fullmatch(r"\d{2}-\d{2}", month_day):
            raise ImproperlyConfigured(
                f"FAZHI_ANNUAL_REPORT_DATES 中的“{item}”无效，应写作 department=03-01,government=04-01,public=04-01。"
            )
        dates[kind] = (int(month_day[:2]), int(month_day[3:]))
    return dates


def deadline(kind: str, year: int) -> date:
    """The day in year+1 by which the report for `year` is due (kind: department, government, public)."""
    month, day = {**DEFAULT_DATES, **local_dates()}[kind]
    return date(year + 1, month, day)


PART_HEADINGS = {
    1: "{year}年推进法治政府建设的主要举措和成效",
    2: "{year}年推进法治政府建设存在的不足和原因",
    3: "党政主要负责人履行推进法治建设第一责任人职责情况",
    4: "{next}年推进法治政府建设的主要安排",
    5: "其他需要报告的情况",
}

# 法治政府建设实施纲要（2021—2025年）, chapters 一 to 十, in the short form reports use as headings.
OUTLINE = (
    ("thought", "深入学习贯彻习近平法治思想"),
    ("functions", "依法全面履行政府职能"),
    ("rules", "健全依法行政制度体系"),
    ("decisions", "推进行政决策科学化民主化法治化"),
    ("enforcement", "严格规范公正文明执法"),
    ("emergencies", "依法预防处置重大突发事件"),
    ("disputes", "依法有效化解社会矛盾纠纷"),
    ("oversight", "强化对行政权力的制约和监督"),
    ("digital", "加快建设数字法治政府"),
    ("leadership", "加强党的领导，完善法治政府建设推进机制"),
)
OUTLINE_TITLES = dict(OUTLINE)

GOVERNMENT = "government"
DEPARTMENT = "department"


@dataclass(frozen=True)
class SentenceTemplate:
    """A figure sentence: where it goes (a 纲要 heading of part one) and the metrics it reads."""

    code: str
    heading: str
    pattern: str
    metrics: dict[str, str]
    levels: tuple[str, ...] = (GOVERNMENT, DEPARTMENT)
    # the sentence is left out when this count is zero (a department with no 行政复议 says nothing)
    unless_zero: str = ""
    department_pattern: str = ""

    def pattern_for(self, level: str) -> str:
        return self.department_pattern if level == DEPARTMENT and self.department_pattern else self.pattern


TEMPLATES: tuple[SentenceTemplate, ...] = (
    SentenceTemplate(
        "hotline",
        "functions",
        "12345政务服务便民热线全年受理并派单办理群众诉求{received}件；到期应办结的{ontime.d}件中按时办结{ontime.n}件，"
        "按时办结率（按到期应办结工单计）{ontime}；回访参评{satisfied.d}件，群众满意和基本满意{satisfied.n}件，满意率{satisfied}。",
        {
            "received": "hotline.received",
            "ontime": "hotline.ontime_rate",
            "satisfied": "hotline.satisfaction_rate",
        },
        unless_zero="received",
        department_pattern="全年承办12345政务服务便民热线工单{received}件；到期应办结的{ontime.d}件中按时办结{ontime.n}件，"
        "按时办结率（按到期应办结工单计）{ontime}；回访参评{satisfied.d}件，群众满意和基本满意{satisfied.n}件，满意率{satisfied}。",
    ),
    SentenceTemplate(
        "reconsideration",
        "disputes",
        "全年共收到行政复议申请{received}件，依法受理{accepted}件，审结{corrected.d}件，"
        "其中直接纠错{corrected.n}件，直接纠错率{corrected}。",
        {
            "received": "legal.reconsideration.received",
            "accepted": "legal.reconsideration.accepted",
            "corrected": "legal.reconsideration.direct_correction_rate",
        },
        unless_zero="received",
        department_pattern="全年以本单位为被申请人的行政复议申请{received}件，复议机关受理{accepted}件，审结{corrected.d}件，"
        "其中直接纠错{corrected.n}件，直接纠错率{corrected}。",
    ),
    SentenceTemplate(
        "mediation",
        "disputes",
        "各级人民调解组织全年受理矛盾纠纷{settled.d}件，调结{settled.n}件，调处率{settled}；"
        "调结案件中达成调解协议{success.n}件，调处成功率（按调结案件计）{success}。",
        {"settled": "mediation.settle_rate", "success": "mediation.success_rate"},
        levels=(GOVERNMENT,),
        unless_zero="settled.d",
    ),
    SentenceTemplate(
        "litigation",
        "oversight",
        "全年行政应诉收案{cases}件；生效裁判结案{lost.d}件，败诉{lost.n}件，败诉率{lost}。"
        "开庭审理的行政案件{appeared.d}件中，行政机关负责人出庭应诉{appeared.n}件，负责人出庭应诉率{appeared}。",
        {
            "cases": "legal.litigation.cases",
            "lost": "legal.litigation.loss_rate",
            "appeared": "legal.litigation.appearance_case_any",
        },
        unless_zero="cases",
    ),
    SentenceTemplate(
        "suggestions",
        "oversight",
        "全年收到司法建议、检察建议{replied.d}件，已书面回复{replied.n}件，回复率{replied}。",
        {"replied": "suggestions.reply_rate"},
        unless_zero="replied.d",
    ),
    SentenceTemplate(
        "proposals",
        "oversight",
        "全年办理人大代表建议、政协提案{answered.d}件，已答复{answered.n}件，答复率{answered}；"
        "代表、委员反馈意见{satisfied.d}件，满意和基本满意{satisfied.n}件，满意率{satisfied}。",
        {"answered": "proposals.answer_rate", "satisfied": "proposals.satisfaction_rate"},
        unless_zero="answered.d",
    ),
    SentenceTemplate(
        "supervision",
        "leadership",
        "全年对各类案件发出催办、督办{resolved.d}件次，承办单位已反馈{resolved.n}件次，督办反馈率{resolved}。",
        {"resolved": "cases.supervision_resolve_rate"},
        unless_zero="resolved.d",
    ),
)
TEMPLATES_BY_CODE = {t.code: t for t in TEMPLATES}

_PLACEHOLDER = re.compile(r"\{(\w+)(?:\.([nd]))?\}")


def scope_of(path: str):
    return compute.subtree(path)


def figures_for(metric_codes, *, scope_path: str, year: int) -> dict[str, Figure]:
    """The registry's figures for a unit subtree and a calendar year, one query set for all."""
    metrics = [registry.get(code) for code in metric_codes]
    period = periods.year(year)
    found = compute.figures(metrics, units=scope_of(scope_path), start=period.start, end=period.end)[()]
    return {code: found[code] for code in metric_codes}


def snapshot_of(figures: dict[str, Figure]) -> dict[str, dict]:
    """What the sentence was written with: counts and the shown value of every metric."""
    return {
        code: {"numerator": f.numerator, "denominator": f.denominator, "text": value_text(f)}
        for code, f in figures.items()
    }


def value_text(figure: Figure) -> str:
    if figure.metric.is_rate:
        return figure.text  # "17.4%", rounded half up by the registry
    return str(figure.numerator)


@dataclass(frozen=True)
class Piece:
    """A run of sentence text; a number keeps the metric and part it comes from."""

    text: str
    metric: str = ""
    part: str = ""


@dataclass
class Rendered:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


def _value(snapshot: dict, code: str, which: str | None) -> str:
    values = snapshot[code]
    if which == "n":
        return str(values["numerator"])
    if which == "d":
        return str(values["denominator"] or 0)
    return values["text"]


def render(template: SentenceTemplate, level: str, snapshot: dict) -> Rendered:
    pattern = template.pattern_for(level)
    rendered, last = Rendered(), 0
    for match in _PLACEHOLDER.finditer(pattern):
        rendered.pieces.append(Piece(pattern[last : match.start()]))
        name, which = match.group(1), match.group(2)
        code = template.metrics[name]
        part = "denominator" if which == "d" else "numerator"
        rendered.pieces.append(Piece(_value(snapshot, code, which), metric=code, part=part))
        last = match.end()
    rendered.pieces.append(Piece(pattern[last:]))
    return rendered


def is_empty(template: SentenceTemplate, snapshot: dict) -> bool:
    if not template.unless_zero:
        return False
    name, _, which = template.unless_zero.partition(".")
    return _value(snapshot, template.metrics[name], which or None) in {"0", "—"}


def records_url(*, metric: str, part: str, unit_id: int, year: int) -> str:
    """The metric's own drill-down for the report's unit subtree and year."""
    query = urlencode({"period": periods.year(year).key, "unit": unit_id, "subtree": "1", "part": part})
    return f"{reverse('metrics:records', args=[metric])}?{query}"


def changes(old: dict, new: dict) -> list[dict]:
    """The metrics whose counts moved since the sentence was written, with old and new values."""
    moved = []
    for code, was in old.items():
        now = new.get(code)
        if now is None or (now["numerator"], now["denominator"]) != (was["numerator"], was["denominator"]):
            moved.append({"metric": code, "name": registry.get(code).name, "old": was, "new": now})
    return moved


ANNUAL_REPORT_CASE_TYPE = {
    "code": CASE_TYPE,
    "name": "法治政府建设年度报告",
    "legal_basis": "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）：县级以上政府部门每年3月1日前向本级党委和政府报告上一年度法治政府建设情况；"
    "第二十四条：每年4月1日前通过报刊、网站等新闻媒体向社会公开。",
    # the due day is the statutory date itself, set on each case; this period is only a fallback
    "period": "60d",
    "roll_forward": False,
    "warning_period": "10wd",
    "max_extension": "",
    "number_prefix": "年报",
    "number_format": "{prefix}-{year}-{seq:04d}",
    "stages": [("drafting", "起草", False), ("submitted", "已报送", True)],
}


def load_case_type(case_type_model, stage_model) -> bool:
    """Create the annual report case type unless it exists; never overwrite local edits."""
    spec = dict(ANNUAL_REPORT_CASE_TYPE)
    stages = spec.pop("stages")
    case_type, created = case_type_model.objects.get_or_create(code=spec.pop("code"), defaults=spec)
    if created:
        stage_model.objects.bulk_create(
            stage_model(case_type=case_type, code=code, name=name, order=i, period="", is_final=final)
            for i, (code, name, final) in enumerate(stages, start=1)
        )
    return created
