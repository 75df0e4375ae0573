"""Reads of suggestions and proposals, always scoped to the user, and their figures with 口径.

A suggestion or proposal is visible exactly when its case is (`cases_visible_to`). The public
page reads disclosed answers only, without anyone's contact data.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from fazhi.cases.models import Case, Supervision
from fazhi.cases.selectors import cases_visible_to
from fazhi.org.models import Unit, User
from fazhi.org.permissions import unit_scope
from fazhi.suggestions.figures import DateRange, Ratio, Tally, tabulate
from fazhi.suggestions.models import (
    Adoption,
    JudicialSuggestion,
    Proposal,
    ProposalAnswer,
    ProposalContact,
    ProposalFeedback,
    ProposalReturn,
    Representative,
    Satisfaction,
    Session,
    SuggestionKind,
    SuggestionReply,
)

OPEN = (Case.Status.OPEN, Case.Status.SUSPENDED)


def _today() -> date:
    return timezone.localdate()


# --- 司法建议 / 检察建议 --------------------------------------------------------------------------


def suggestions_visible_to(user: User) -> QuerySet[JudicialSuggestion]:
    return JudicialSuggestion.objects.filter(case__in=cases_visible_to(user).values("pk"))


def _suggestions_related(rows: QuerySet[JudicialSuggestion]) -> QuerySet[JudicialSuggestion]:
    return rows.select_related(
        "case", "case__case_type", "case__handling_unit", "case__stage", "kind", "kind__case_type", "issuer"
    )


def suggestion_facts() -> dict:
    """The facts the figures are counted on, per suggestion (here and in `metrics.py`):

    - `replied`: it has a first written reply; `replied_on_time`: that reply is dated on or before
      the reply deadline in force on the day (the case's due date then);
    - `adoption`: the adoption status of its latest reply (a further reply may change it);
    - `supervision_level`: the highest supervision ever issued on it (None for none).
    """
    first = SuggestionReply.objects.filter(suggestion=OuterRef("pk"), round=1)
    latest = SuggestionReply.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    level = Supervision.objects.filter(case=OuterRef("case")).order_by("-level")
    return {
        "replied": Exists(first),
        "replied_on_time": Exists(first.filter(on_time=True)),
        "adoption": Subquery(latest.values("adoption")[:1]),
        "supervision_level": Subquery(level.values("level")[:1]),
    }


REPLIED = Q(replied=True)
UNREPLIED = Q(replied=False)
REPLIED_ON_TIME = Q(replied_on_time=True)
ADOPTED = Q(adoption__in=[Adoption.ADOPTED, Adoption.PARTLY])


def suggestions_annotated(rows: QuerySet[JudicialSuggestion]) -> QuerySet[JudicialSuggestion]:
    return rows.annotate(**suggestion_facts())


def judicial_tallies(today: date | None = None) -> tuple[Tally, ...]:
    today = today or _today()
    unreplied_overdue = UNREPLIED & Q(case__due_date__lt=today)
    return (
        Tally("received", "收到", "统计期内收到（登记的收到日期在期内）的司法建议、检察建议件数。"),
        Tally("replied", "已回复", "其中已作出首次书面回复的件数。", REPLIED),
        Tally(
            "due",
            "应回复",
            "其中已回复的件数，加上未回复且回复期限已过（期限日早于今天）的件数；尚未到期的不计入。",
            REPLIED | unreplied_overdue,
        ),
        Tally(
            "on_time",
            "按期回复",
            "首次回复日期不晚于当时的回复期限（来文载明期限、紧急情形期限或类别期限，节假日顺延）的件数。",
            REPLIED_ON_TIME,
        ),
        Tally("overdue", "超期未回复", "未回复且回复期限已过的件数。", unreplied_overdue),
        Tally(
            "adopted",
            "采纳",
            "最近一次回复为“采纳”或“部分采纳”的件数。",
            ADOPTED,
        ),
        Tally("open", "待回复", "目前尚未办结（含要求补充回复）的件数。", Q(case__status__in=OPEN)),
        Tally("supervised", "被督办", "曾被催办、督办或挂牌督办的件数。", Q(supervision_level__isnull=False)),
    )


JUDICIAL_RATIOS = (
    Ratio("reply_rate", "回复率", "replied", "received", "已回复件数 ÷ 收到件数 × 100%（“有件必复”）。"),
    Ratio(
        "on_time_rate",
        "按时回复率",
        "on_time",
        "due",
        "按期回复件数 ÷ 应回复件数 × 100%；应回复 = 已回复 + 超期未回复，未到期的不计入分母。",
    ),
    Ratio("adoption_rate", "采纳率", "adopted", "replied", "采纳（含部分采纳）件数 ÷ 已回复件数 × 100%。"),
)


def suggestions_list(
    user: User,
    *,
    case_type: str = "",
    kind: str = "",
    unit: int | None = None,
    issuer: int | None = None,
    state: str = "",
    figure: str = "",
    dates: DateRange | None = None,
    q: str = "",
    today: date | None = None,
) -> QuerySet[JudicialSuggestion]:
    """The register as staff filter it; `figure` is a tally key: the records behind that figure."""
    today = today or _today()
    rows = suggestions_annotated(_suggestions_related(suggestions_visible_to(user)))
    if case_type:
        rows = rows.filter(case__case_type__code=case_type)
    if kind:
        rows = rows.filter(kind__code=kind)
    if unit:
        rows = rows.filter(case__handling_unit_id=unit)
    if issuer:
        rows = rows.filter(issuer_id=issuer)
    if dates is not None:
        rows = rows.filter(dates.q("case__received_at"))
    if state == "open":
        rows = rows.filter(case__status__in=OPEN)
    elif state == "overdue":
        rows = rows.filter(case__status__in=OPEN, case__due_date__lt=today)
    elif state == "replied":
        rows = rows.filter(case__status=Case.Status.CLOSED)
    tally = next((t for t in judicial_tallies(today) if t.key == figure), None)
    if tally is not None:
        rows = rows.filter(tally.where)
    if q:
        rows = rows.filter(
            Q(case__number__icontains=q) | Q(case__title__icontains=q) | Q(document_number__icontains=q)
        )
    return rows.order_by("case__status", "case__due_date", "-case__received_at", "id")


def suggestion_get(user: User, pk: int) -> JudicialSuggestion:
    try:
        return suggestions_annotated(_suggestions_related(suggestions_visible_to(user))).get(pk=pk)
    except JudicialSuggestion.DoesNotExist:
        raise Http404("建议不存在或您无权查看。") from None


def _unit_labels(ids) -> dict:
    return {u.pk: u.short_name or u.name for u in Unit.objects.filter(pk__in=[i for i in ids if i])}


def judicial_figures(user: User, *, dates: DateRange, case_type: str = "", today: date | None = None):
    """回复率、按时回复率、采纳率 by handling unit, over the user's scope; (rows, total, tallies)."""
    tallies = judicial_tallies(today)
    rows = suggestions_annotated(suggestions_visible_to(user)).filter(dates.q("case__received_at"))
    if case_type:
        rows = rows.filter(case__case_type__code=case_type)
    units = rows.values_list("case__handling_unit", flat=True).distinct()
    table, total = tabulate(
        rows,
        group_by="case__handling_unit",
        label_of=_unit_labels(set(units)),
        tallies=tallies,
        ratios=JUDICIAL_RATIOS,
    )
    return table, total, tallies


def suggestion_kinds_active() -> QuerySet[SuggestionKind]:
    return SuggestionKind.objects.filter(is_active=True).select_related("case_type")


def issuers() -> QuerySet[Unit]:
    return Unit.objects.filter(kind__in=[Unit.Kind.COURT, Unit.Kind.PROCURATORATE], status=Unit.Status.ACTIVE)


# --- 人大代表建议 / 政协提案 -----------------------------------------------------------------------


def proposals_visible_to(user: User) -> QuerySet[Proposal]:
    return Proposal.objects.filter(case__in=cases_visible_to(user).values("pk"))


def _proposals_related(rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return rows.select_related(
        "case", "case__case_type", "case__handling_unit", "case__stage", "session", "lead_proposer"
    )


def proposal_facts() -> dict:
    """Per proposal (here and in `metrics.py`): `answered` (a first answer exists),
    `answered_on_time` (dated on or before the due date then in force, extensions included),
    `grade` (of the latest answer), `satisfaction` (the deputy's latest feedback, on whichever
    answer), `contacted` and `pending_return`."""
    answers = ProposalAnswer.objects.filter(proposal=OuterRef("pk"))
    feedback = ProposalFeedback.objects.filter(answer__proposal=OuterRef("pk")).order_by("-answer__round")
    return {
        "answered": Exists(answers.filter(round=1)),
        "answered_on_time": Exists(answers.filter(round=1, on_time=True)),
        "grade": Subquery(answers.order_by("-round").values("grade")[:1]),
        "satisfaction": Subquery(feedback.values("satisfaction")[:1]),
        "contacted": Exists(ProposalContact.objects.filter(proposal=OuterRef("pk"))),
        "pending_return": Exists(
            ProposalReturn.objects.filter(proposal=OuterRef("pk"), status=ProposalReturn.Status.PENDING)
        ),
    }


ANSWERED = Q(answered=True)
ANSWERED_ON_TIME = Q(answered_on_time=True)
HAS_FEEDBACK = Q(satisfaction__isnull=False)
SATISFIED = Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])


def proposals_annotated(rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return rows.annotate(**proposal_facts())


def proposal_tallies(today: date | None = None) -> tuple[Tally, ...]:
    today = today or _today()
    overdue = Q(case__status__in=OPEN, case__due_date__lt=today)
    return (
        Tally("handled", "交办", "统计期内交办（交办日期在期内）的代表建议、政协提案件数。"),
        Tally("answered", "已答复", "其中已作出首次书面答复的件数。", ANSWERED),
        Tally(
            "on_time",
            "按期答复",
            "首次答复日期不晚于当时的答复期限（交办之日起三个月或本会议期限，经批准延期的按延期后期限）的件数。",
            ANSWERED_ON_TIME,
        ),
        Tally("overdue", "超期未办结", "尚未办结且已过期限的件数（含不满意重新办理的）。", overdue),
        Tally("grade_a", "A类", "最近一次答复为A类（已解决或采纳）的件数。", Q(grade="A")),
        Tally(
            "feedback",
            "已反馈意见",
            "代表、委员已对答复反馈意见（以最近一次反馈为准）的件数。",
            HAS_FEEDBACK,
        ),
        Tally(
            "satisfied",
            "满意及基本满意",
            "代表、委员最近一次反馈为满意或基本满意的件数。",
            SATISFIED,
        ),
        Tally(
            "fully_satisfied",
            "满意",
            "代表、委员最近一次反馈为满意的件数。",
            Q(satisfaction=Satisfaction.SATISFIED),
        ),
        Tally(
            "unsatisfied",
            "不满意",
            "代表、委员最近一次反馈为不满意的件数。",
            Q(satisfaction=Satisfaction.UNSATISFIED),
        ),
        Tally("open", "办理中", "目前尚未办结的件数。", Q(case__status__in=OPEN)),
    )


PROPOSAL_RATIOS = (
    Ratio("answer_rate", "答复率", "answered", "handled", "已答复件数 ÷ 交办件数 × 100%。"),
    Ratio("on_time_rate", "按期答复率", "on_time", "answered", "按期答复件数 ÷ 已答复件数 × 100%。"),
    Ratio(
        "satisfaction_rate",
        "满意率",
        "satisfied",
        "feedback",
        "满意和基本满意件数 ÷ 已反馈意见件数 × 100%（各地常用口径，另列“满意”件数以便按仅含满意的口径计算）。",
    ),
)


def proposals_list(
    user: User,
    *,
    body: str = "",
    session: int | None = None,
    unit: int | None = None,
    state: str = "",
    grade: str = "",
    figure: str = "",
    dates: DateRange | None = None,
    q: str = "",
    today: date | None = None,
) -> QuerySet[Proposal]:
    today = today or _today()
    rows = proposals_annotated(_proposals_related(proposals_visible_to(user)))
    if body:
        rows = rows.filter(session__body=body)
    if session:
        rows = rows.filter(session_id=session)
    if unit:
        rows = rows.filter(case__handling_unit_id=unit)
    if dates is not None:
        rows = rows.filter(dates.q("case__received_at"))
    if grade:
        rows = rows.filter(grade=grade)
    if state == "open":
        rows = rows.filter(case__status__in=OPEN)
    elif state == "overdue":
        rows = rows.filter(case__status__in=OPEN, case__due_date__lt=today)
    elif state == "answered":
        rows = rows.filter(case__status=Case.Status.CLOSED)
    elif state == "returned":
        rows = rows.filter(pending_return=True)
    tally = next((t for t in proposal_tallies(today) if t.key == figure), None)
    if tally is not None:
        rows = rows.filter(tally.where)
    if q:
        rows = rows.filter(
            Q(case__number__icontains=q)
            | Q(case__title__icontains=q)
            | Q(number=q)
            | Q(lead_proposer__name__icontains=q)
        )
    return rows.order_by("case__status", "case__due_date", "-case__received_at", "id")


def proposal_get(user: User, pk: int) -> Proposal:
    try:
        return proposals_annotated(_proposals_related(proposals_visible_to(user))).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404("建议、提案不存在或您无权查看。") from None


def proposal_figures(user: User, *, dates: DateRange, body: str = "", today: date | None = None):
    """答复率、按期答复率、满意率 by 主办 unit over the user's scope; (rows, total, tallies)."""
    tallies = proposal_tallies(today)
    rows = proposals_annotated(proposals_visible_to(user)).filter(dates.q("case__received_at"))
    if body:
        rows = rows.filter(session__body=body)
    units = rows.values_list("case__handling_unit", flat=True).distinct()
    table, total = tabulate(
        rows,
        group_by="case__handling_unit",
        label_of=_unit_labels(set(units)),
        tallies=tallies,
        ratios=PROPOSAL_RATIOS,
    )
    return table, total, tallies


def returns_pending(user: User) -> QuerySet[ProposalReturn]:
    """Misassignment returns waiting for the office that may decide them."""
    scope = unit_scope(user, {"supervisor"})
    if scope.empty:
        return ProposalReturn.objects.none()
    return (
        ProposalReturn.objects.filter(status=ProposalReturn.Status.PENDING)
        .filter(scope.q("proposal__case__handling_unit"))
        .select_related("proposal__case", "proposal__session", "unit", "suggested_unit", "returned_by")
        .order_by("returned_at", "id")
    )


def extensions_pending(user: User) -> QuerySet[Proposal]:
    scope = unit_scope(user, {"supervisor"})
    if scope.empty:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(scope.q("case__handling_unit"))
        .filter(extension_requested_at__isnull=False, case__extended=False, case__status__in=OPEN)
        .select_related("case", "case__handling_unit", "session")
        .order_by("extension_requested_at")
    )


def sessions_open() -> QuerySet[Session]:
    return Session.objects.filter(is_active=True)


def representatives_of(body: str) -> QuerySet[Representative]:
    return Representative.objects.filter(body=body, is_active=True)


# --- the public page --------------------------------------------------------------------------------


def answers_public() -> QuerySet[ProposalAnswer]:
    """Disclosed answers, newest first; unscoped because they are public."""
    return (
        ProposalAnswer.objects.filter(disclosed_at__isnull=False)
        .select_related("proposal__session", "proposal__lead_proposer", "proposal__case", "unit")
        .order_by("-disclosed_at", "-id")
    )


def answer_public_get(pk: int) -> ProposalAnswer:
    try:
        return answers_public().get(pk=pk)
    except ProposalAnswer.DoesNotExist:
        raise Http404("该答复不存在或未公开。") from None


def public_sessions() -> QuerySet[Session]:
    return Session.objects.filter(proposals__answers__disclosed_at__isnull=False).distinct()


# --- the supervisor's view of everything unanswered --------------------------------------------------


def unanswered(user: User, *, today: date | None = None) -> dict[str, QuerySet]:
    """Every suggestion and proposal in the user's scope still waiting for its (further) answer,
    overdue first: nothing can go unanswered without the supervisor seeing it."""
    suggestions = suggestions_annotated(_suggestions_related(suggestions_visible_to(user))).filter(
        case__status__in=OPEN
    )
    proposals = proposals_annotated(_proposals_related(proposals_visible_to(user))).filter(
        case__status__in=OPEN
    )
    return {
        "suggestions": suggestions.order_by("case__due_date", "id"),
        "proposals": proposals.order_by("case__due_date", "id"),
    }
