"""Indicators of 人民调解, registered in the metrics registry.

The population is the disputes received in the period (by 受理日期), attributed to the unit the
committee works under (the street or township); the outcome is taken as it is when the figure is
computed. By committee and by county, the 调处情况 page counts with the same conditions.
"""

from django.db.models import Q
from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.mediation import selectors
from fazhi.mediation.models import Dispute, DisputeType, Outcome
from fazhi.metrics.registry import Measure, Metric, RecordRow, Watch, register

DOMAIN = "人民调解"
MIN_SAMPLE = 10


def _visible(user) -> Q:
    return Q(pk__in=selectors.disputes_visible_to(user).values("pk"))


def _list(rows):
    return rows.select_related("case", "case__handling_unit", "committee").order_by(
        "-case__received_at", "-id"
    )


def _row(dispute: Dispute) -> RecordRow:
    case = dispute.case
    outcome = dispute.get_outcome_display() if dispute.outcome else "调解中"
    return RecordRow(
        number=case.number,
        title=f"{dispute.get_dispute_type_display()}：{case.title}",
        unit=dispute.committee.name,
        day=timezone.localdate(case.received_at),
        state=outcome,
        url=dispute.get_absolute_url(),
    )


WATCHES = (
    Watch(Dispute, "case__received_at", ("updated_at",)),
    Watch(Case, "received_at", ("updated_at",)),
)


def _measure(code: str, name: str, where: Q | None = None) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=Dispute,
        anchor="case__received_at",
        unit="case__handling_unit_id",
        dimension="dispute_type",
        visible=_visible,
        where=where or Q(),
        watches=WATCHES,
        prepare=_list,
        describe=_row,
    )


RECEIVED = _measure("mediation.received", "受理数")
CONCLUDED = _measure("mediation.concluded", "调结数", ~Q(outcome=""))
SUCCESS = _measure("mediation.success", "调解成功数", Q(outcome=Outcome.SUCCESS))

COHORT = "统计对象：统计期内受理的人民调解案件（按受理日期归期），按调解委员会所属乡镇街道统计；调解结果截至计算时。"
common = {
    "domain": DOMAIN,
    "dimension_label": "纠纷类型",
    "dimension_names": lambda: dict(DisputeType.choices),
}

register(
    Metric(
        code="mediation.received",
        name="人民调解受理数",
        definition=COHORT + "计数：统计期内受理的件数。",
        numerator=(RECEIVED,),
        numerator_text="受理数：统计期内受理的调解案件",
        exclusions="无。",
        precision=0,
        **common,
    )
)
register(
    Metric(
        code="mediation.settle_rate",
        name="调处率",
        definition=COHORT
        + "调处率 = 调结件数（调解成功或调解不成）÷ 受理件数 × 100%，四舍五入保留一位小数。",
        numerator=(CONCLUDED,),
        denominator=(RECEIVED,),
        numerator_text="调结数：已结案的调解案件",
        denominator_text="受理数：统计期内受理的调解案件",
        exclusions="无。",
        min_sample=MIN_SAMPLE,
        **common,
    )
)
register(
    Metric(
        code="mediation.success_rate",
        name="调处成功率",
        definition=COHORT
        + "调处成功率 = 调解成功件数 ÷ 调结件数 × 100%，四舍五入保留一位小数（部分地方以受理件数为分母，见调处情况页）。",
        numerator=(SUCCESS,),
        denominator=(CONCLUDED,),
        numerator_text="调解成功数：达成调解协议的案件",
        denominator_text="调结数：已结案的调解案件",
        exclusions="尚在调解中的案件不计入。",
        min_sample=MIN_SAMPLE,
        **common,
    )
)
