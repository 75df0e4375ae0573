"""The demo city's 2025 assessment: the starter template adapted as 明湖市's own tree, late
规范性文件 filings on record, units' self-assessments, scores computed from the city's casework,
one appeal each way, the published ranking and rectification tasks — all through the services."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from fazhi.assessment import services
from fazhi.assessment.models import Deduction, IndicatorTree, ScoringRule
from fazhi.cases import services as case_services
from fazhi.cases.models import CaseType

YEAR = 2025
CASES = 5 + 3  # the filings and the rectification tasks this module opens (tests/demo counts cases)
UNITS = ("gaj", "mzj", "rsj", "zrzy", "sthj", "zjj", "cgj", "jtj", "scj", "wjw", "zwj", "yjj")
# (unit key, received, closed, title): 2025's filings, two of them past the 30-day period
FILINGS = (
    ("cgj", date(2025, 3, 10), date(2025, 5, 6), "明湖市城市管理局关于规范户外广告设置管理的通知"),
    ("cgj", date(2025, 9, 1), date(2025, 9, 22), "明湖市城市管理局关于建筑垃圾运输车辆管理的规定"),
    ("scj", date(2025, 4, 7), date(2025, 4, 28), "明湖市市场监督管理局行政处罚裁量基准"),
    ("zjj", date(2025, 6, 2), date(2025, 7, 25), "明湖市住房和城乡建设局关于物业服务收费管理的通知"),
    ("jtj", date(2025, 8, 4), date(2025, 8, 20), "明湖市交通运输局网络预约出租汽车经营服务管理细则"),
)
STATEMENT = "已按考核要求落实，制度文件、工作台账和会议纪要作为佐证材料附后。"
REVIEW_COMMENTS = (
    "佐证材料不完整，缺少年度工作台账。",
    "制度已建立，但未见落实情况的记录。",
    "部分事项未在规定时限内完成，材料中无说明。",
)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def build(city) -> None:
    supervisor = city.users["fazhiban"]
    tree = _tree(supervisor)
    _filings(city, supervisor)
    units = [city.units[key] for key in UNITS if key in city.units]
    cycle = services.cycle_open(
        actor=supervisor,
        tree=tree,
        year=YEAR,
        units=units,
        submit_due=city.today - timedelta(days=14),
        appeal_due=city.today,
    )
    services.cycle_advance(actor=supervisor, cycle=cycle)
    _submit(city, cycle)
    services.cycle_advance(actor=supervisor, cycle=cycle)  # computes metric and event scores
    _review(city, supervisor, cycle)
    _appeals(city, supervisor, cycle)
    services.cycle_publish(
        actor=supervisor, cycle=cycle, bulletin_number=f"明法治办〔{city.today.year}〕12号"
    )
    _rectify(city, supervisor, cycle)


def _tree(supervisor) -> IndicatorTree:
    """The template as 明湖市 adopted it: copied to the city's own version, then activated."""
    starter = services.tree_load_starter(actor=supervisor)
    tree = services.tree_copy(
        actor=supervisor, tree=starter, version=str(YEAR), name="明湖市法治政府建设考核指标体系"
    )
    return services.tree_set_status(actor=supervisor, tree=tree, status=IndicatorTree.Status.ACTIVE)


def _filings(city, supervisor) -> None:
    """规范性文件备案 records, as the filing desk registers them; the late ones cost points."""
    case_type = CaseType.objects.get(code="normative_filing")
    for key, received, closed, title in FILINGS:
        case = case_services.case_open(
            case_type=case_type,
            title=f"《{title}》备案",
            handling_unit=city.units[key],
            actor=supervisor,
            received_at=_moment(received),
        )
        case_services.case_close(
            case=case,
            actor=city.handlers[key],
            note="报送备案材料齐全，备案审查完成。",
            closed_at=_moment(closed, 16),
        )


def _submit(city, cycle) -> None:
    leaves = services.leaves(cycle.tree)
    for submission in cycle.submissions.select_related("unit"):
        key = city._key_of(submission.unit)
        if key == "zwj":
            continue  # one unit never submitted: the reviewers score it from what they have
        handler = city.handlers[key]
        entries = {
            leaf.pk: (leaf.max_score if city.rng.random() < 0.8 else leaf.max_score - 1, STATEMENT)
            for leaf in leaves
            if leaf.rule.kind == ScoringRule.Kind.EVIDENCE
        }
        services.submission_save(actor=handler, submission=submission, entries=entries)
        services.submission_submit(actor=handler, submission=submission)


def _review(city, supervisor, cycle) -> None:
    evidence = [leaf for leaf in services.leaves(cycle.tree) if leaf.rule.kind == ScoringRule.Kind.EVIDENCE]
    for unit in cycle.units.order_by("sort_order", "id"):
        for leaf in evidence:
            lost = Decimal(city.rng.choice((0, 0, 0, 0, 0, 1, 1, 2)))
            if city._key_of(unit) == "zwj":
                lost = min(leaf.max_score, lost + 1)
            points = max(Decimal("0"), leaf.max_score - lost)
            comment = city.rng.choice(REVIEW_COMMENTS) if points < leaf.max_score else ""
            services.score_review(
                actor=supervisor, cycle=cycle, unit=unit, indicator=leaf, points=points, comment=comment
            )


def _appeals(city, supervisor, cycle) -> None:
    """城管局 appeals its late filing (rejected); another unit's first deduction is withdrawn."""
    deductions = list(Deduction.objects.filter(cycle=cycle).select_related("unit", "case").order_by("id"))
    cgj = next(
        (
            d
            for d in deductions
            if city._key_of(d.unit) == "cgj" and d.case.case_type.code == "normative_filing"
        ),
        None,
    )
    other = next((d for d in deductions if city._key_of(d.unit) not in ("cgj",)), None)
    if cgj is not None:
        appeal = services.appeal_submit(
            actor=city.handlers["cgj"],
            deduction=cgj,
            reasons="该文件公布后因征求意见修改，正式文本晚于公布日定稿，请求不予扣分。",
        )
        services.appeal_decide(
            actor=supervisor,
            appeal=appeal,
            accept=False,
            reason="备案期限自公布之日起算，文本修改不是延期报送的理由，维持扣分。",
        )
    if other is not None:
        appeal = services.appeal_submit(
            actor=city.handlers[city._key_of(other.unit)],
            deduction=other,
            reasons=f"{other.case.number}已在期限内办结，系统登记办结时间晚于实际办结时间，附办结材料。",
        )
        services.appeal_decide(
            actor=supervisor, appeal=appeal, accept=True, reason="经核对办结材料，确在期限内办结，撤销扣分。"
        )


def _rectify(city, supervisor, cycle) -> None:
    """Rectification tasks: the 城管局's late filing (already closed by the unit) and the two first
    evidence items the 政务服务局 lost points on."""
    filing = Deduction.objects.get(
        cycle=cycle,
        unit=city.units["cgj"],
        case__case_type__code="normative_filing",
        case__received_at__month=3,
    )
    rectification = services.rectification_open(
        actor=supervisor, cycle=cycle, unit=filing.unit, indicator=filing.indicator, deduction=filing
    )
    case_services.case_close(
        case=rectification.case,
        actor=city.handlers["cgj"],
        note="已建立规范性文件公布、报备台账，明确法规科专人在公布后10日内报送备案。",
    )
    zwj = city.units["zwj"]
    lost = [
        leaf
        for leaf in services.leaves(cycle.tree)
        if leaf.rule.kind == ScoringRule.Kind.EVIDENCE
        and cycle.scores.get(unit=zwj, indicator=leaf).points < leaf.max_score
    ]
    for leaf in lost[:2]:
        services.rectification_open(actor=supervisor, cycle=cycle, unit=zwj, indicator=leaf)
