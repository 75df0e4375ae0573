"""Indicators of 司法建议/检察建议 and 人大代表建议/政协提案, registered in the metrics registry.

The population is the suggestions (proposals) received (assigned) in the period, placed by the
day they were received, attributed to the current lead unit; the state of each — replied, on
time, adopted, the deputy's satisfaction — is taken as it is when the figure is computed. The
facts and conditions are the same ones the staff pages count with (`selectors`), so a figure
reads the same on the overview page, the cockpit and the annual report.
"""

from django.db.models import Q
from django.utils import timezone

from fazhi.cases.models import Case, Supervision
from fazhi.metrics.registry import Measure, Metric, RecordRow, Watch, register
from fazhi.suggestions import selectors
from fazhi.suggestions.models import (
    Body,
    JudicialSuggestion,
    Proposal,
    ProposalAnswer,
    ProposalContact,
    ProposalFeedback,
    SuggestionReply,
)

JUDICIAL_DOMAIN = "司法建议、检察建议"
PROPOSAL_DOMAIN = "人大代表建议、政协提案"
MIN_SAMPLE = 5  # a unit gets a handful a year; below this its rate is shown but not ranked


def _suggestions_visible(user) -> Q:
    return Q(pk__in=selectors.suggestions_visible_to(user).values("pk"))


def _proposals_visible(user) -> Q:
    return Q(pk__in=selectors.proposals_visible_to(user).values("pk"))


def _suggestion_list(rows):
    return rows.select_related("case", "case__handling_unit", "kind").order_by("-case__received_at", "-id")


def _suggestion_row(suggestion: JudicialSuggestion) -> RecordRow:
    case = suggestion.case
    return RecordRow(
        number=case.number,
        title=f"{suggestion.kind.name}：{case.title}",
        unit=case.handling_unit.name,
        day=timezone.localdate(case.received_at),
        state=f"{case.get_status_display()}，回复期限{case.due_date:%Y-%m-%d}",
        url=suggestion.get_absolute_url(),
    )


def _proposal_list(rows):
    return rows.select_related("case", "case__handling_unit", "session").order_by("-case__received_at", "-id")


def _proposal_row(proposal: Proposal) -> RecordRow:
    case = proposal.case
    return RecordRow(
        number=f"{proposal.session.name}第{proposal.number}号",
        title=case.title,
        unit=case.handling_unit.name,
        day=timezone.localdate(case.received_at),
        state=f"{case.get_status_display()}，答复期限{case.due_date:%Y-%m-%d}",
        url=proposal.get_absolute_url(),
    )


def _kinds() -> dict[str, str]:
    return {"judicial_suggestion": "司法建议", "procuratorial_suggestion": "检察建议"}


def _bodies() -> dict[str, str]:
    return {Body.CONGRESS: "人大代表建议", Body.CPPCC: "政协提案"}


# A change to a suggestion's case (closed, reopened), a reply or a supervision moves the figures
# of the day it was received.
JUDICIAL_WATCHES = (
    Watch(JudicialSuggestion, "case__received_at", ("updated_at",)),
    Watch(Case, "received_at", ("updated_at",)),
    Watch(SuggestionReply, "suggestion__case__received_at", ("created_at",)),
    Watch(Supervision, "case__received_at", ("issued_at",)),
)
PROPOSAL_WATCHES = (
    Watch(Proposal, "case__received_at", ("updated_at",)),
    Watch(Case, "received_at", ("updated_at",)),
    Watch(ProposalAnswer, "proposal__case__received_at", ("created_at",)),
    Watch(ProposalFeedback, "answer__proposal__case__received_at", ("created_at",)),
    Watch(ProposalContact, "proposal__case__received_at", ("created_at",)),
)


def _judicial(code: str, name: str, where: Q | None = None, **kwargs) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=JudicialSuggestion,
        anchor="case__received_at",
        unit="case__handling_unit_id",
        dimension="case__case_type__code",
        visible=_suggestions_visible,
        where=where or Q(),
        annotate=selectors.suggestion_facts,
        watches=JUDICIAL_WATCHES,
        prepare=_suggestion_list,
        describe=_suggestion_row,
        **kwargs,
    )


def _proposal(code: str, name: str, where: Q | None = None, **kwargs) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=Proposal,
        anchor="case__received_at",
        unit="case__handling_unit_id",
        dimension="session__body",
        visible=_proposals_visible,
        where=where or Q(),
        annotate=selectors.proposal_facts,
        watches=PROPOSAL_WATCHES,
        prepare=_proposal_list,
        describe=_proposal_row,
        **kwargs,
    )


RECEIVED = _judicial("suggestions.received", "收到建议数")
REPLIED = _judicial("suggestions.replied", "已回复数", selectors.REPLIED)
ON_TIME = _judicial("suggestions.replied_on_time", "按期回复数", selectors.REPLIED_ON_TIME)
OVERDUE = _judicial(
    "suggestions.overdue_unreplied", "超期未回复数", selectors.UNREPLIED, overdue_on="case__due_date"
)
ADOPTED = _judicial("suggestions.adopted", "采纳数", selectors.ADOPTED)

JUDICIAL_COHORT = (
    "统计对象：统计期内收到的司法建议、检察建议（按收到日期归期），按当前承办单位统计；回复情况截至计算时。"
)
judicial = {"domain": JUDICIAL_DOMAIN, "dimension_label": "类型", "dimension_names": _kinds}

register(
    Metric(
        code="suggestions.received",
        name="收到司法建议、检察建议数",
        definition=JUDICIAL_COHORT + "计数：统计期内收到的件数。",
        numerator=(RECEIVED,),
        numerator_text="收到数：统计期内收到的司法建议、检察建议",
        exclusions="无。",
        precision=0,
        **judicial,
    )
)
register(
    Metric(
        code="suggestions.reply_rate",
        name="司法建议、检察建议回复率",
        definition=JUDICIAL_COHORT
        + "回复率 = 已回复件数 ÷ 收到件数 × 100%（“有件必复”），四舍五入保留一位小数。",
        numerator=(REPLIED,),
        denominator=(RECEIVED,),
        numerator_text="已回复数：已作出首次书面回复的建议",
        denominator_text="收到数：统计期内收到的建议",
        exclusions="尚未到回复期限的也计入分母；补充回复不另计。",
        min_sample=MIN_SAMPLE,
        **judicial,
    )
)
register(
    Metric(
        code="suggestions.ontime_reply_rate",
        name="司法建议、检察建议按时回复率",
        definition=JUDICIAL_COHORT
        + "按时回复率 = 按期回复件数 ÷（已回复件数 + 超期未回复件数）× 100%，四舍五入保留一位小数。按期：首次回复日期不晚于当时的回复期限"
        "（来文载明期限、紧急情形期限或类别期限，末日遇节假日顺延）。",
        numerator=(ON_TIME,),
        denominator=(REPLIED, OVERDUE),
        numerator_text="按期回复数：首次回复日期不晚于回复期限的建议",
        denominator_text="应回复数：已回复的建议，加上未回复且已过回复期限的建议",
        exclusions="尚未到期且未回复的建议不计入分母。",
        min_sample=MIN_SAMPLE,
        **judicial,
    )
)
register(
    Metric(
        code="suggestions.adoption_rate",
        name="司法建议、检察建议采纳率",
        definition=JUDICIAL_COHORT
        + "采纳率 = 最近一次回复为采纳或部分采纳的件数 ÷ 已回复件数 × 100%，四舍五入保留一位小数。",
        numerator=(ADOPTED,),
        denominator=(REPLIED,),
        numerator_text="采纳数：最近一次回复为采纳或部分采纳的建议",
        denominator_text="已回复数：已作出首次书面回复的建议",
        exclusions="未回复的建议不计入。",
        min_sample=MIN_SAMPLE,
        **judicial,
    )
)
register(
    Metric(
        code="suggestions.overdue_unreplied",
        name="超期未回复的司法建议、检察建议",
        definition=JUDICIAL_COHORT + "计数：未回复、且回复期限早于计算当日的件数。",
        numerator=(OVERDUE,),
        numerator_text="超期未回复数：未回复且已过回复期限的建议",
        exclusions="无。",
        precision=0,
        higher_is_better=False,
        **judicial,
    )
)

HANDLED = _proposal("proposals.handled", "交办数")
ANSWERED = _proposal("proposals.answered", "已答复数", selectors.ANSWERED)
ANSWERED_ON_TIME = _proposal("proposals.answered_on_time", "按期答复数", selectors.ANSWERED_ON_TIME)
FEEDBACK = _proposal("proposals.feedback", "已反馈意见数", selectors.HAS_FEEDBACK)
SATISFIED = _proposal("proposals.satisfied", "满意及基本满意数", selectors.SATISFIED)

PROPOSAL_COHORT = "统计对象：统计期内交办的人大代表建议、政协提案（按交办日期归期），按当前主办单位统计；办理情况截至计算时。"
proposal = {"domain": PROPOSAL_DOMAIN, "dimension_label": "类型", "dimension_names": _bodies}

register(
    Metric(
        code="proposals.handled",
        name="办理代表建议、政协提案数",
        definition=PROPOSAL_COHORT + "计数：统计期内交办的件数。",
        numerator=(HANDLED,),
        numerator_text="交办数：统计期内交办的建议、提案",
        exclusions="无。改派的按改派后的主办单位统计。",
        precision=0,
        **proposal,
    )
)
register(
    Metric(
        code="proposals.answer_rate",
        name="代表建议、政协提案答复率",
        definition=PROPOSAL_COHORT + "答复率 = 已答复件数 ÷ 交办件数 × 100%，四舍五入保留一位小数。",
        numerator=(ANSWERED,),
        denominator=(HANDLED,),
        numerator_text="已答复数：已作出首次书面答复的建议、提案",
        denominator_text="交办数：统计期内交办的建议、提案",
        exclusions="尚未到期的也计入分母。",
        min_sample=MIN_SAMPLE,
        **proposal,
    )
)
register(
    Metric(
        code="proposals.ontime_answer_rate",
        name="代表建议、政协提案按期答复率",
        definition=PROPOSAL_COHORT
        + "按期答复率 = 按期答复件数 ÷ 已答复件数 × 100%，四舍五入保留一位小数。按期：首次答复日期不晚于当时的答复期限"
        "（交办之日起三个月或本会议期限，经批准延期的按延期后期限，末日遇节假日顺延）。",
        numerator=(ANSWERED_ON_TIME,),
        denominator=(ANSWERED,),
        numerator_text="按期答复数：首次答复日期不晚于答复期限的建议、提案",
        denominator_text="已答复数：已作出首次书面答复的建议、提案",
        exclusions="未答复的不计入；不满意后重新办理的答复不另计。",
        min_sample=MIN_SAMPLE,
        **proposal,
    )
)
register(
    Metric(
        code="proposals.satisfaction_rate",
        name="代表、委员满意率",
        definition=PROPOSAL_COHORT
        + "满意率 = 最近一次反馈为满意或基本满意的件数 ÷ 已反馈意见件数 × 100%，四舍五入保留一位小数（各地常用口径；仅含“满意”的口径"
        "见建议提案办理情况页）。",
        numerator=(SATISFIED,),
        denominator=(FEEDBACK,),
        numerator_text="满意及基本满意数：代表、委员最近一次反馈为满意或基本满意的建议、提案",
        denominator_text="已反馈意见数：代表、委员已反馈意见的建议、提案",
        exclusions="尚未反馈意见的不计入。",
        min_sample=MIN_SAMPLE,
        **proposal,
    )
)
