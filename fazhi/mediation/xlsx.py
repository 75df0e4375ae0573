"""The 人民调解 register in and out of Excel.

An import writes every row through the services (register, then conclude), all rows or none,
with each problem reported by row and column (see `fazhi.suggestions.xlsx.run_import`). An
export is for counting and checking: the parties' names are masked and their numbers left out.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.mediation import services
from fazhi.mediation.models import Committee, Dispute, DisputeType, Mediator, Outcome, Party, Referral, Source
from fazhi.mediation.services import PartyData
from fazhi.org.models import Region, User
from fazhi.org.xlsx import Column, ImportResult, SheetSpec, build_workbook
from fazhi.suggestions.xlsx import EXPORT_ONLY, Cells, choice, moment, parse_date, run_import


def _labels(choices) -> Callable[[], list[str]]:
    return lambda: [str(label) for label in choices.labels]


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError("请填写数字（元）。") from None
    if value < 0:
        raise ValueError("不能为负数。")
    return value


DISPUTES = SheetSpec(
    kind="disputes",
    title="人民调解案件",
    intro="每行一件人民调解案件，按受理日期计算调解期限。已结案的填写调解结果和结案日期：调解成功的填写协议形式、"
    "协议内容和生效日期（系统计算申请司法确认的截止日）；调解不成的填写告知途径和原因。"
    "12345热线转办的填写工单编号。导出的当事人姓名已脱敏，不含电话和证件号码。",
    columns=(
        Column(
            "调解委员会",
            "committee",
            True,
            "",
            choices=lambda: list(Committee.objects.filter(is_active=True).values_list("name", flat=True)),
            width=28,
        ),
        Column("案件名称", "title", True, "如“邻里通道占用纠纷”，不超过200字。", width=28),
        Column("简要情况", "description", True, "不少于10个字。", width=40),
        Column("纠纷类型", "dispute_type", True, "", choices=_labels(DisputeType), width=16),
        Column("来源", "source", True, "", choices=_labels(Source), width=14),
        Column("12345工单编号", "hotline_case", False, "来源为12345热线转办的必填。", as_text=True, width=18),
        Column("委派/移送文号", "referral_reference", False, "法院诉前委派的必填。", width=22),
        Column("发生地区划代码", "region", True, "9位乡镇街道或12位社区村代码。", as_text=True, width=16),
        Column("涉及金额（元）", "amount", False, "", width=12),
        Column("受理日期", "received_at", True, "如 2024-09-03。", as_text=True, width=12),
        Column("申请人", "applicant", True, "姓名或名称。", width=14),
        Column("申请人电话", "applicant_phone", False, "", as_text=True, width=14),
        Column("申请人证件号码", "applicant_id", False, "", as_text=True, width=20),
        Column("被申请人", "respondent", True, "姓名或名称。", width=14),
        Column("被申请人电话", "respondent_phone", False, "", as_text=True, width=14),
        Column("被申请人证件号码", "respondent_id", False, "", as_text=True, width=20),
        Column("主持调解员", "mediator", False, "须是该调解委员会的调解员。", width=10),
        Column("调解结果", "outcome", False, "已结案的填写。", choices=_labels(Outcome), width=10),
        Column("结案日期", "concluded_on", False, "", as_text=True, width=12),
        Column("协议形式", "agreement_form", False, "", choices=_labels(Dispute.AgreementForm), width=16),
        Column("协议内容", "agreement_text", False, "", width=40),
        Column("协议生效日期", "agreement_effective_on", False, "留空为结案日期。", as_text=True, width=12),
        Column("告知途径", "referral", False, "调解不成的必填。", choices=_labels(Referral), width=16),
        Column("调解不成原因", "failure_reason", False, "", width=30),
        Column("编号", "_number", False, EXPORT_ONLY, width=16),
        Column("调解期限", "_due", False, EXPORT_ONLY, width=12),
        Column("申请司法确认截止日", "_deadline", False, EXPORT_ONLY, width=14),
    ),
)


def _writer(actor: User) -> Callable[[dict[str, str]], None]:
    committees = {c.name: c for c in Committee.objects.filter(is_active=True).select_related("unit")}
    regions = {r.code: r for r in Region.objects.filter(level__gte=Region.Level.STREET)}
    mediators = {(m.committee_id, m.name): m for m in Mediator.objects.filter(is_active=True)}

    def write(record: dict[str, str]) -> None:
        cells = Cells(record)
        committee = cells.lookup("committee", committees, required=True, what="调解委员会")
        region = cells.lookup("region", regions, required=True, what="乡镇街道或社区村区划代码")
        cells.text("title", required=True, limit=200)
        dispute_type = cells.parse("dispute_type", lambda v: choice(v, DisputeType), required=True)
        source = cells.parse("source", lambda v: choice(v, Source), required=True)
        amount = cells.parse("amount", _amount)
        received = cells.parse("received_at", parse_date, required=True)
        cells.text("applicant", required=True, limit=100)
        cells.text("respondent", required=True, limit=100)
        hotline_case = None
        if number := record.get("hotline_case"):
            hotline_case = Case.objects.filter(number=number).select_related("case_type").first()
            if hotline_case is None:
                cells.errors["hotline_case"] = "系统中没有这个工单编号。"
        mediator = None
        if committee and record.get("mediator"):
            mediator = mediators.get((committee.pk, record["mediator"]))
            if mediator is None:
                cells.errors["mediator"] = f"{committee.name}没有这位调解员。"
        outcome = cells.parse("outcome", lambda v: choice(v, Outcome))
        concluded = cells.parse("concluded_on", parse_date)
        form = cells.parse("agreement_form", lambda v: choice(v, Dispute.AgreementForm))
        effective = cells.parse("agreement_effective_on", parse_date)
        referral = cells.parse("referral", lambda v: choice(v, Referral))
        if outcome and not concluded:
            cells.errors.setdefault("concluded_on", "已结案的，请填写结案日期。")
        if concluded and not outcome:
            cells.errors.setdefault("outcome", "填写了结案日期的，请填写调解结果。")
        cells.check()
        dispute = services.dispute_register(
            actor=actor,
            committee=committee,
            title=record["title"],
            description=record.get("description", ""),
            dispute_type=dispute_type,
            source=source,
            region=region,
            parties=[
                PartyData(
                    role=Party.Role.APPLICANT,
                    name=record["applicant"],
                    phone=record.get("applicant_phone", ""),
                    id_number=record.get("applicant_id", ""),
                ),
                PartyData(
                    role=Party.Role.RESPONDENT,
                    name=record["respondent"],
                    phone=record.get("respondent_phone", ""),
                    id_number=record.get("respondent_id", ""),
                ),
            ],
            hotline_case=hotline_case,
            referral_reference=record.get("referral_reference", ""),
            amount=amount,
            mediator=mediator,
            received_at=moment(received),
        )
        if outcome:
            services.dispute_conclude(
                dispute=dispute,
                actor=actor,
                outcome=outcome,
                concluded_on=concluded,
                agreement_form=form or "",
                agreement_text=record.get("agreement_text", ""),
                agreement_effective_on=effective,
                parties_told=True,  # a concluded register row records the notice as given
                referral=referral or "",
                failure_reason=record.get("failure_reason", ""),
            )

    return write


def disputes_import(*, actor: User, upload) -> ImportResult:
    return run_import(
        spec=DISPUTES, actor=actor, upload=upload, write=_writer(actor), action="mediation.imported"
    )


def disputes_export(rows: Iterable[Dispute]) -> bytes:
    def line(d: Dispute) -> list:
        case = d.case
        parties = {p.role: p for p in d.parties.all()}
        applicant, respondent = parties.get(Party.Role.APPLICANT), parties.get(Party.Role.RESPONDENT)
        return [
            d.committee.name,
            case.title,
            case.description,
            d.get_dispute_type_display(),
            d.get_source_display(),
            d.hotline_case.number if d.hotline_case_id else "",
            d.referral_reference,
            d.region.code,
            str(d.amount) if d.amount is not None else "",
            f"{timezone.localdate(case.received_at):%Y-%m-%d}",
            applicant.get_name_masked() if applicant else "",
            "",
            "",
            respondent.get_name_masked() if respondent else "",
            "",
            "",
            d.mediator.name if d.mediator_id else "",
            d.get_outcome_display() if d.outcome else "",
            f"{d.concluded_on:%Y-%m-%d}" if d.concluded_on else "",
            d.get_agreement_form_display() if d.agreement_form else "",
            d.agreement_text,
            f"{d.agreement_effective_on:%Y-%m-%d}" if d.agreement_effective_on else "",
            d.get_referral_display() if d.referral else "",
            d.failure_reason,
            case.number,
            f"{case.due_date:%Y-%m-%d}",
            f"{d.confirmation_deadline:%Y-%m-%d}" if d.confirmation_deadline else "",
        ]

    return build_workbook(DISPUTES, (line(d) for d in rows))
