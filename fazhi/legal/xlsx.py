"""Historical 行政复议 and 行政应诉 records in and out of Excel.

Three registers: 行政复议案件, 行政应诉案件 and 庭审出庭情况. An export has the template's columns,
so a register moved from another system (or an older spreadsheet) goes in as it comes out.

An import is all-or-nothing: every row is checked first (dates, choices, units, references),
then the rows are replayed through the services — registration, 补正, 受理, 送达, 答复, 决定 on
their recorded days — in one transaction, so each historical case gets its number, its clock
and its timeline exactly as if the clerk had entered it; the first refusal undoes everything and
names the row, the column and the rule. The workbook machinery is shared with the registers
(`fazhi.org.xlsx`).
"""

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.legal import catalogue, permissions, selectors, services
from fazhi.legal.models import (
    ActCategory,
    Attendance,
    Attendee,
    CourtHearing,
    JudgmentType,
    Lawsuit,
    Outcome,
    PartyKind,
    Procedure,
    Reconsideration,
)
from fazhi.org.models import Unit, User
from fazhi.org.xlsx import XLSX_CONTENT_TYPE, Column, ImportResult, SheetSpec, build_workbook, read_rows

__all__ = ["XLSX_CONTENT_TYPE", "can_import", "export", "filename", "import_file", "template"]

YES, NO = "是", "否"


def _labels(choices) -> Callable[[], list[str]]:
    return lambda: [str(label) for label in choices.labels]


def _pairs(pairs) -> Callable[[], list[str]]:
    return lambda: [label for _code, label in pairs]


def _units() -> list[str]:
    return list(
        Unit.objects.filter(status=Unit.Status.ACTIVE)
        .order_by("sort_order", "id")
        .values_list("name", flat=True)
    )


def _judgment_types() -> list[str]:
    return list(JudgmentType.objects.filter(is_active=True).values_list("name", flat=True))


ACCEPTANCE_LABELS = dict(Reconsideration.Acceptance.choices)
ALL_GROUNDS = [(g, label) for outcome in Outcome.values for g, label in catalogue.OUTCOME_GROUNDS[outcome]]

RECONSIDERATIONS = SheetSpec(
    kind="reconsiderations",
    title="行政复议案件",
    intro="每行一件行政复议申请，按收到申请、补正、受理、送达、答复、结案的日期依次登记，系统据此编号并计算各项期限。"
    "日期写成 2024-10-09；未发生的环节留空。申请人为公民的填姓名，为法人或者其他组织的填名称。"
    "同一被申请人、同一文书编号、同一收到日期的申请不会重复导入。",
    columns=(
        Column("案号", "number", False, "导出时给出，导入时忽略（系统重新编号）。", width=16),
        Column("收到申请日期", "received_on", True, "YYYY-MM-DD。", as_text=True, width=14),
        Column("申请方式", "channel", True, "从下拉列表中选择。", choices=_labels(Reconsideration.Channel)),
        Column(
            "申请人类型",
            "applicant_kind",
            True,
            "公民、法人或者其他组织。",
            choices=_labels(PartyKind),
            width=10,
        ),
        Column("申请人姓名", "applicant_name", False, "申请人为公民时必填。", width=10),
        Column("申请人名称", "applicant_org", False, "申请人为法人或者其他组织时必填。", width=24),
        Column(
            "身份证件号码", "applicant_id_number", False, "加密保存；导出时脱敏。", as_text=True, width=20
        ),
        Column("被申请人", "respondent", True, "系统中已有单位的全称。", choices=_units, width=28),
        Column("被申请行政复议的行政行为", "act_name", True, "如：行政处罚决定。", width=24),
        Column("文书编号", "act_number", False, "行政行为的文书编号。", width=24),
        Column(
            "行为类别",
            "act_category",
            True,
            "行政复议法第十一条所列类别。",
            choices=_labels(ActCategory),
            width=20,
        ),
        Column("行政行为作出日期", "act_date", False, "YYYY-MM-DD。", as_text=True, width=14),
        Column("行政复议请求", "claims", True, "不少于5个字。", width=30),
        Column("补正通知日期", "correction_notified_on", False, "通知补正的，填写。", as_text=True, width=14),
        Column("补正事项", "correction_items", False, "通知补正的，必填。", width=24),
        Column("收到补正材料日期", "correction_received_on", False, "", as_text=True, width=14),
        Column(
            "受理情况",
            "acceptance",
            True,
            "审查中、已受理、视为受理、不予受理或视为放弃申请。",
            choices=_labels(Reconsideration.Acceptance),
            width=12,
        ),
        Column(
            "受理日期",
            "accepted_on",
            False,
            "已受理、视为受理的必填；不予受理、视为放弃的填决定日期。",
            as_text=True,
            width=14,
        ),
        Column(
            "不予受理理由",
            "rejection_ground",
            False,
            "",
            choices=_pairs(catalogue.REJECTION_GROUNDS),
            width=30,
        ),
        Column("有管辖权的行政复议机关", "competent_body", False, "不属于本机关管辖的必填。", width=20),
        Column(
            "审理程序",
            "procedure",
            False,
            "普通程序或简易程序，默认普通程序。",
            choices=_labels(Procedure),
            width=10,
        ),
        Column(
            "适用简易程序的情形",
            "simple_ground",
            False,
            "",
            choices=_pairs(catalogue.SIMPLE_GROUNDS),
            width=30,
        ),
        Column("被申请人收到副本日期", "copy_served_on", False, "", as_text=True, width=14),
        Column("收到答复日期", "answer_received_on", False, "", as_text=True, width=14),
        Column("结案方式", "outcome", False, "已结案的必填。", choices=_labels(Outcome), width=14),
        Column(
            "决定理由",
            "outcome_ground",
            False,
            "与结案方式对应的法定理由。",
            choices=_pairs(ALL_GROUNDS),
            width=40,
        ),
        Column(
            "责令重作",
            "remake_ordered",
            False,
            "是或否（仅撤销、部分撤销）。",
            choices=lambda: [YES, NO],
            width=8,
        ),
        Column("决定日期", "decided_on", False, "已结案的必填。", as_text=True, width=14),
        Column("查明事实与理由", "summary", False, "已结案的必填，不少于5个字。", width=30),
    ),
)

LAWSUITS = SheetSpec(
    kind="lawsuits",
    title="行政应诉案件",
    intro="每行一个审级（一审、二审、再审各一行）。二审、再审填写原审案号，原审可以是系统中已有的案件或本表中更靠前的一行。"
    "系统按收到起诉状副本日期计算答辩期限，按裁判结果类型归类胜败诉。同一法院、同一案号不会重复导入。",
    columns=(
        Column("受理法院", "court", True, "", width=22),
        Column("法院案号", "court_number", True, "如：（2024）鲁9902行初12号。", width=24),
        Column("审级", "instance", True, "一审、二审或再审。", choices=_labels(Lawsuit.Instance), width=8),
        Column("审理程序", "procedure", False, "默认普通程序。", choices=_labels(Procedure), width=10),
        Column("原审案号", "appeal_of", False, "二审必填。", width=24),
        Column("被告", "defendant", True, "系统中已有单位的全称（主办单位）。", choices=_units, width=28),
        Column("共同被告", "co_defendants", False, "多个单位以顿号分隔。", width=28),
        Column("原告类型", "plaintiff_kind", True, "", choices=_labels(PartyKind), width=10),
        Column("原告姓名", "plaintiff_name", False, "原告为公民时必填。", width=10),
        Column("原告名称", "plaintiff_org", False, "原告为法人或者其他组织时必填。", width=24),
        Column("被诉行政行为", "act_name", True, "", width=24),
        Column("行为类别", "act_category", True, "", choices=_labels(ActCategory), width=20),
        Column("立案日期", "filed_on", True, "YYYY-MM-DD。", as_text=True, width=14),
        Column("收到起诉状副本日期", "complaint_received_on", True, "YYYY-MM-DD。", as_text=True, width=14),
        Column("提交答辩日期", "defence_filed_on", False, "", as_text=True, width=14),
        Column("裁判结果", "judgment_type", False, "从下拉列表中选择。", choices=_judgment_types, width=28),
        Column("裁判日期", "judgment_on", False, "", as_text=True, width=14),
        Column("收到裁判文书日期", "judgment_served_on", False, "", as_text=True, width=14),
        Column("上诉情况", "appealed_by", False, "", choices=_labels(Lawsuit.AppealedBy), width=12),
        Column("结案日期", "concluded_on", False, "可上诉的裁判结案时必填。", as_text=True, width=14),
    ),
)

HEARINGS = SheetSpec(
    kind="hearings",
    title="庭审出庭情况",
    intro="每行一个被告单位在一次庭审中的出庭情况。出庭人员写成“姓名/职务/出庭身份”，多人以分号分隔，"
    "如：张明/局长/正职负责人；刘洋/法规科科长/工作人员。负责人未出庭的，须填写未出庭理由。",
    columns=(
        Column("法院案号", "court_number", True, "系统中已有应诉案件的法院案号。", width=24),
        Column("开庭时间", "held_at", True, "YYYY-MM-DD HH:MM。", as_text=True, width=18),
        Column("类型", "kind", False, "默认开庭审理。", choices=_labels(CourtHearing.Kind), width=10),
        Column("收到出庭通知日期", "notice_received_on", False, "", as_text=True, width=14),
        Column("法院通知负责人出庭", "head_summoned", False, "是或否。", choices=lambda: [YES, NO], width=8),
        Column("被告单位", "unit", True, "本案被告之一。", choices=_units, width=28),
        Column("出庭人员", "attendees", False, "姓名/职务/出庭身份；……", width=40),
        Column(
            "负责人未出庭理由",
            "absence_reason",
            False,
            "",
            choices=_labels(Attendance.AbsenceReason),
            width=20,
        ),
        Column("理由说明", "absence_note", False, "", width=24),
    ),
)

SHEETS = {spec.kind: spec for spec in (RECONSIDERATIONS, LAWSUITS, HEARINGS)}
IMPORT_DENIED = {
    "reconsiderations": "只有行政复议机构的承办人员可以导入行政复议案件。",
    "lawsuits": "只有行政机关的承办人员可以导入应诉案件。",
    "hearings": "只有行政机关的承办人员可以导入庭审出庭情况。",
}


def can_import(user: User, kind: str) -> bool:
    if kind == "reconsiderations":
        return permissions.can_register_reconsideration(user)
    from fazhi.cases.permissions import OPENING_ROLES
    from fazhi.org.permissions import unit_scope

    return not unit_scope(user, OPENING_ROLES).empty


def template(kind: str) -> bytes:
    return build_workbook(SHEETS[kind], [])


def filename(kind: str, *, exported: bool) -> str:
    title = SHEETS[kind].title
    return f"{title}-{timezone.localdate():%Y%m%d}.xlsx" if exported else f"{title}-导入模板.xlsx"


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _label(pairs, code: str) -> str:
    return dict(pairs).get(code, "")


def export(kind: str, *, rows: Iterable) -> bytes:
    """The register in the template's format; `rows` come from a selector scoped to the user."""
    if kind == "reconsiderations":
        data = (_reconsideration_row(r) for r in rows)
    else:
        data = (_lawsuit_row(s) for s in rows.prefetch_related("defendants__unit"))
    return build_workbook(SHEETS[kind], data)


def _reconsideration_row(r: Reconsideration) -> list:
    return [
        r.case.number,
        _d(timezone.localdate(r.case.received_at)),
        r.get_channel_display(),
        r.get_applicant_kind_display(),
        r.get_applicant_name_masked() if r.applicant_name else "",  # exports never carry PII in full
        r.applicant_org,
        r.get_applicant_id_number_masked() if r.applicant_id_number else "",
        r.respondent.name,
        r.act_name,
        r.act_number,
        r.get_act_category_display(),
        _d(r.act_date),
        r.claims,
        _d(r.correction_notified_on),
        r.correction_items,
        _d(r.correction_received_on),
        r.get_acceptance_display(),
        _d(
            r.accepted_on
            or (timezone.localdate(r.case.closed_at) if r.case.closed_at and not r.is_accepted else None)
        ),
        _label(catalogue.REJECTION_GROUNDS, r.rejection_ground),
        r.competent_body,
        r.get_procedure_display() if r.procedure else "",
        _label(catalogue.SIMPLE_GROUNDS, r.simple_ground),
        _d(r.copy_served_on),
        _d(r.answer_received_on),
        r.get_outcome_display() if r.outcome else "",
        r.ground_label,
        (YES if r.remake_ordered else NO) if r.outcome else "",
        _d(r.decided_on),
        r.decision_summary,
    ]


def _lawsuit_row(s: Lawsuit) -> list:
    defendants = list(s.defendants.all())
    return [
        s.court,
        s.court_number,
        s.get_instance_display(),
        s.get_procedure_display(),
        s.appeal_of.court_number if s.appeal_of_id else "",
        next((d.unit.name for d in defendants if d.role == "defendant"), s.case.handling_unit.name),
        "、".join(d.unit.name for d in defendants if d.role != "defendant"),
        s.get_plaintiff_kind_display(),
        s.get_plaintiff_name_masked() if s.plaintiff_name else "",
        s.plaintiff_org,
        s.act_name,
        s.get_act_category_display(),
        _d(s.filed_on),
        _d(s.complaint_received_on),
        _d(s.defence_filed_on),
        s.judgment_type.name if s.judgment_type_id else "",
        _d(s.judgment_on),
        _d(s.judgment_served_on),
        s.get_appealed_by_display() if s.appealed_by else "",
        _d(s.concluded_on),
    ]


# --- reading --------------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class _Row:
    """One data row with its number and a place to put problems; values are parsed on demand."""

    def __init__(self, spec: SheetSpec, number: int, record: dict[str, str], result: ImportResult):
        self.spec, self.number, self.record, self.result = spec, number, record, result
        self.failed = False

    def error(self, key: str, message: str) -> None:
        header = self.spec.column(key).header if key else ""
        self.result.error(self.number, header, self.record.get(key, ""), message)
        self.failed = True

    def text(self, key: str, *, limit: int = 200) -> str:
        value = self.record.get(key, "").strip()
        if self.spec.column(key).required and not value:
            self.error(key, "必填，不能为空。")
        elif len(value) > limit:
            self.error(key, f"不能超过{limit}个字。")
        return value

    def day(self, key: str) -> date | None:
        value = self.text(key)
        if not value:
            return None
        match = _DATE_RE.match(value.split("T")[0].split(" ")[0])
        try:
            return date(*(int(g) for g in match.groups())) if match else date.fromisoformat(value)
        except ValueError:
            self.error(key, "日期格式应为 YYYY-MM-DD，如 2024-10-09。")
            return None

    def moment(self, key: str) -> datetime | None:
        value = self.text(key)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("/", "-"))
        except ValueError:
            self.error(key, "时间格式应为 YYYY-MM-DD HH:MM，如 2025-03-12 09:00。")
            return None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)

    def choice(self, key: str, pairs, *, default: str = "") -> str:
        value = self.text(key)
        if not value:
            return default
        for code, label in pairs:
            if value in (str(label), code):
                return code
        self.error(key, "不在可选范围内，请从下拉列表中选择。")
        return default

    def flag(self, key: str) -> bool:
        value = self.text(key)
        if value not in ("", YES, NO):
            self.error(key, "请填写“是”或“否”。")
        return value == YES

    def unit(self, key: str, units: dict[str, Unit]) -> Unit | None:
        name = self.text(key)
        if name and name not in units:
            self.error(key, "系统中没有该单位（或已合并、撤销），请填写单位全称。")
        return units.get(name)


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def _service_error(row: _Row, exc: Exception) -> None:
    keys = {c.key for c in row.spec.columns}
    aliases = {"received_at": "received_on", "respondent": "respondent", "ground": "outcome_ground"}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            key = aliases.get(field, field)
            for message in errors:
                if key in keys:
                    row.error(key, message)
                else:
                    row.result.error(row.number, "", "", message)
    else:
        for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
            row.result.error(row.number, "", "", message)


class _Abort(Exception):
    pass


def import_file(kind: str, *, actor: User, upload) -> ImportResult:
    """Check and, if clean, write one uploaded workbook (all or nothing)."""
    if not can_import(actor, kind):
        raise PermissionDenied(IMPORT_DENIED[kind])
    spec = SHEETS[kind]
    result = ImportResult(kind=kind)
    records = read_rows(spec, upload, result)
    rows = [_Row(spec, number, record, result) for number, record in records]
    planner = {
        "reconsiderations": _plan_reconsiderations,
        "lawsuits": _plan_lawsuits,
        "hearings": _plan_hearings,
    }[kind]
    plan = planner(actor, rows) if result.ok else []
    if result.ok:
        try:
            with transaction.atomic():
                for row, write in plan:
                    try:
                        write()
                    except (ValidationError, PermissionDenied) as exc:
                        _service_error(row, exc)
                        raise _Abort from exc
                    result.created += 1
                audit.record(
                    actor=actor,
                    action=f"legal.import_{kind}",
                    after={"rows": len(plan)},
                    message=f"导入{spec.title}{len(plan)}条",
                )
        except _Abort:
            result.created = 0
    if not result.ok:
        audit.record(
            actor=actor,
            action=f"legal.import_{kind}",
            success=False,
            after={"errors": len(result.errors)},
            message=f"导入{spec.title}未执行：发现{len(result.errors)}处错误",
        )
    return result


def _active_units() -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.filter(status=Unit.Status.ACTIVE)}


def _plan_reconsiderations(actor: User, rows: list[_Row]) -> list:
    body = permissions.bodies_of(actor)[0]
    units = _active_units()
    seen: dict[tuple, int] = {}
    plan = []
    for row in rows:
        v = {
            "received_on": row.day("received_on"),
            "channel": row.choice("channel", Reconsideration.Channel.choices),
            "applicant_kind": row.choice("applicant_kind", PartyKind.choices),
            "applicant_name": row.text("applicant_name", limit=100),
            "applicant_org": row.text("applicant_org", limit=100),
            "applicant_id_number": row.text("applicant_id_number", limit=32),
            "respondent": row.unit("respondent", units),
            "act_name": row.text("act_name"),
            "act_number": row.text("act_number", limit=100),
            "act_category": row.choice("act_category", ActCategory.choices),
            "act_date": row.day("act_date"),
            "claims": row.text("claims", limit=2000),
            "correction_notified_on": row.day("correction_notified_on"),
            "correction_items": row.text("correction_items", limit=2000),
            "correction_received_on": row.day("correction_received_on"),
            "acceptance": row.choice("acceptance", Reconsideration.Acceptance.choices),
            "accepted_on": row.day("accepted_on"),
            "rejection_ground": row.choice("rejection_ground", catalogue.REJECTION_GROUNDS),
            "competent_body": row.text("competent_body", limit=100),
            "procedure": row.choice("procedure", Procedure.choices, default=Procedure.NORMAL),
            "simple_ground": row.choice("simple_ground", catalogue.SIMPLE_GROUNDS),
            "copy_served_on": row.day("copy_served_on"),
            "answer_received_on": row.day("answer_received_on"),
            "outcome": row.choice("outcome", Outcome.choices),
            "outcome_ground": row.choice("outcome_ground", ALL_GROUNDS),
            "remake_ordered": row.flag("remake_ordered"),
            "decided_on": row.day("decided_on"),
            "summary": row.text("summary", limit=4000),
        }
        if row.failed:
            continue
        if "*" in v["applicant_name"] or "*" in v["applicant_id_number"]:
            row.error(
                "applicant_name" if "*" in v["applicant_name"] else "applicant_id_number",
                "导出文件中的脱敏信息不能导入，请填写完整信息。",
            )
        status = v["acceptance"]
        accepted = status in (Reconsideration.Acceptance.ACCEPTED, Reconsideration.Acceptance.DEEMED)
        if status != Reconsideration.Acceptance.PENDING and not v["accepted_on"]:
            row.error("accepted_on", "已受理、视为受理的填写受理日期；不予受理、视为放弃的填写决定日期。")
        if status == Reconsideration.Acceptance.REJECTED and not v["rejection_ground"]:
            row.error("rejection_ground", "不予受理的，请选择理由。")
        if status == Reconsideration.Acceptance.ABANDONED and not v["correction_notified_on"]:
            row.error("correction_notified_on", "视为放弃申请的，应有补正通知日期。")
        if v["correction_notified_on"] and not v["correction_items"]:
            row.error("correction_items", "通知补正的，请写明补正事项。")
        if v["outcome"] and not accepted:
            row.error("outcome", "只有已受理的案件才有结案方式。")
        if v["outcome"] and not v["decided_on"]:
            row.error("decided_on", "已结案的，请填写决定日期。")
        if v["outcome"] and v["outcome_ground"] not in dict(catalogue.OUTCOME_GROUNDS[v["outcome"]]):
            row.error("outcome_ground", f"请选择“{Outcome(v['outcome']).label}”的法定理由。")
        if v["answer_received_on"] and not v["copy_served_on"]:
            row.error("copy_served_on", "有答复日期的，请填写被申请人收到副本日期。")
        key = (v["respondent"].pk if v["respondent"] else None, v["act_number"], v["received_on"])
        if v["act_number"]:
            if key in seen:
                row.error("act_number", f"与第{seen[key]}行重复。")
            elif Reconsideration.objects.filter(
                respondent=v["respondent"],
                act_number=v["act_number"],
                case__received_at__date=v["received_on"],
            ).exists():
                row.error("act_number", "该申请已在系统中登记。")
            seen[key] = row.number
        if not row.failed:
            plan.append((row, _reconsideration_writer(actor, body, v)))
    return plan


def _reconsideration_writer(actor: User, body, v: dict) -> Callable[[], None]:
    def write() -> None:
        rec = services.reconsideration_register(
            actor=actor,
            body=body,
            respondent=v["respondent"],
            received_at=_noon(v["received_on"]),
            channel=v["channel"],
            applicant_kind=v["applicant_kind"],
            applicant_name=v["applicant_name"],
            applicant_org=v["applicant_org"],
            applicant_id_number=v["applicant_id_number"],
            act_name=v["act_name"],
            act_number=v["act_number"],
            act_category=v["act_category"],
            act_date=v["act_date"],
            claims=v["claims"],
        )
        if v["correction_notified_on"]:
            services.correction_request(
                reconsideration=rec,
                actor=actor,
                items=v["correction_items"],
                notified_on=v["correction_notified_on"],
            )
            if v["correction_received_on"]:
                services.correction_receive(
                    reconsideration=rec, actor=actor, received_on=v["correction_received_on"]
                )
        status = v["acceptance"]
        if status == Reconsideration.Acceptance.ABANDONED:
            services.correction_abandon(reconsideration=rec, actor=actor, on=v["accepted_on"])
            return
        if status == Reconsideration.Acceptance.REJECTED:
            services.reconsideration_reject(
                reconsideration=rec,
                actor=actor,
                rejected_on=v["accepted_on"],
                ground=v["rejection_ground"],
                competent_body=v["competent_body"],
            )
            return
        if status == Reconsideration.Acceptance.PENDING:
            return
        services.reconsideration_accept(
            reconsideration=rec,
            actor=actor,
            accepted_on=v["accepted_on"],
            procedure=v["procedure"],
            simple_ground=v["simple_ground"],
        )
        if v["copy_served_on"]:
            services.copy_serve(reconsideration=rec, actor=actor, served_on=v["copy_served_on"])
        if v["answer_received_on"]:
            services.answer_receive(reconsideration=rec, actor=actor, received_on=v["answer_received_on"])
        if v["outcome"]:
            services.reconsideration_decide(
                reconsideration=rec,
                actor=actor,
                outcome=v["outcome"],
                ground=v["outcome_ground"],
                summary=v["summary"],
                decided_on=v["decided_on"],
                remake_ordered=v["remake_ordered"],
            )

    return write


def _plan_lawsuits(actor: User, rows: list[_Row]) -> list:
    units = _active_units()
    judgment_types = {j.name: j for j in JudgmentType.objects.filter(is_active=True)}
    in_file: dict[str, int] = {}
    plan = []
    for row in rows:
        v = {
            "court": row.text("court", limit=100),
            "court_number": row.text("court_number", limit=60),
            "instance": row.choice("instance", Lawsuit.Instance.choices),
            "procedure": row.choice("procedure", Procedure.choices, default=Procedure.NORMAL),
            "appeal_of": row.text("appeal_of", limit=60),
            "defendant": row.unit("defendant", units),
            "plaintiff_kind": row.choice("plaintiff_kind", PartyKind.choices),
            "plaintiff_name": row.text("plaintiff_name", limit=100),
            "plaintiff_org": row.text("plaintiff_org", limit=100),
            "act_name": row.text("act_name"),
            "act_category": row.choice("act_category", ActCategory.choices),
            "filed_on": row.day("filed_on"),
            "complaint_received_on": row.day("complaint_received_on"),
            "defence_filed_on": row.day("defence_filed_on"),
            "judgment_on": row.day("judgment_on"),
            "judgment_served_on": row.day("judgment_served_on"),
            "appealed_by": row.choice("appealed_by", Lawsuit.AppealedBy.choices),
            "concluded_on": row.day("concluded_on"),
        }
        co_names = [
            n.strip() for n in re.split(r"[、，,;；]", row.text("co_defendants", limit=500)) if n.strip()
        ]
        missing = [n for n in co_names if n not in units]
        if missing:
            row.error("co_defendants", f"系统中没有单位：{'、'.join(missing)}。")
        v["co_defendants"] = [units[n] for n in co_names if n in units]
        judgment_name = row.text("judgment_type", limit=60)
        v["judgment_type"] = judgment_types.get(judgment_name)
        if judgment_name and v["judgment_type"] is None:
            row.error("judgment_type", "不在可选范围内，请从下拉列表中选择。")
        if v["judgment_type"] and not (v["judgment_on"] and v["judgment_served_on"]):
            row.error("judgment_on", "有裁判结果的，请填写裁判日期和收到裁判文书日期。")
        if (
            v["appeal_of"]
            and v["appeal_of"] not in in_file
            and not selectors.lawsuits_visible_to(actor).filter(court_number=v["appeal_of"]).exists()
        ):
            row.error("appeal_of", "找不到该原审案号（系统中或本表更靠前的行）。")
        if v["court_number"] in in_file:
            row.error("court_number", f"与第{in_file[v['court_number']]}行重复。")
        if "*" in v["plaintiff_name"]:
            row.error("plaintiff_name", "导出文件中的脱敏信息不能导入，请填写完整姓名。")
        if not row.failed:
            in_file[v["court_number"]] = row.number
            plan.append((row, _lawsuit_writer(actor, v)))
    return plan


def _lawsuit_writer(actor: User, v: dict) -> Callable[[], None]:
    def write() -> None:
        appeal_of = None
        if v["appeal_of"]:
            appeal_of = selectors.lawsuits_visible_to(actor).filter(court_number=v["appeal_of"]).first()
        lawsuit = services.lawsuit_register(
            actor=actor,
            defendant=v["defendant"],
            co_defendants=v["co_defendants"],
            court=v["court"],
            court_number=v["court_number"],
            instance=v["instance"],
            procedure=v["procedure"],
            plaintiff_kind=v["plaintiff_kind"],
            plaintiff_name=v["plaintiff_name"],
            plaintiff_org=v["plaintiff_org"],
            act_name=v["act_name"],
            act_category=v["act_category"],
            filed_on=v["filed_on"],
            complaint_received_on=v["complaint_received_on"],
            appeal_of=appeal_of,
        )
        if v["defence_filed_on"]:
            services.defence_file(lawsuit=lawsuit, actor=actor, filed_on=v["defence_filed_on"])
        if v["judgment_type"]:
            services.judgment_record(
                lawsuit=lawsuit,
                actor=actor,
                judgment_type=v["judgment_type"],
                judgment_on=v["judgment_on"],
                served_on=v["judgment_served_on"],
            )
            if lawsuit.case.status != "closed" and v["concluded_on"]:
                services.lawsuit_conclude(
                    lawsuit=lawsuit,
                    actor=actor,
                    appealed_by=v["appealed_by"] or Lawsuit.AppealedBy.NONE,
                    concluded_on=v["concluded_on"],
                )

    return write


_CAPACITIES = dict((str(label), code) for code, label in Attendee.Capacity.choices)


def _plan_hearings(actor: User, rows: list[_Row]) -> list:
    units = _active_units()
    visible = selectors.lawsuits_visible_to(actor)
    plan = []
    for row in rows:
        number = row.text("court_number", limit=60)
        lawsuit = visible.filter(court_number=number).first() if number else None
        if number and lawsuit is None:
            row.error("court_number", "系统中没有该案号的应诉案件，或您无权查看。")
        v = {
            "held_at": row.moment("held_at"),
            "kind": row.choice("kind", CourtHearing.Kind.choices, default=CourtHearing.Kind.TRIAL),
            "notice_received_on": row.day("notice_received_on"),
            "head_summoned": row.flag("head_summoned"),
            "unit": row.unit("unit", units),
            "absence_reason": row.choice("absence_reason", Attendance.AbsenceReason.choices),
            "absence_note": row.text("absence_note", limit=300),
        }
        people = []
        for part in re.split(r"[;；\n]", row.text("attendees", limit=1000)):
            if not part.strip():
                continue
            bits = [b.strip() for b in re.split(r"[/／]", part)]
            if len(bits) != 3 or bits[2] not in _CAPACITIES:
                row.error(
                    "attendees",
                    f"“{part.strip()}”应写成 姓名/职务/出庭身份，身份为{'、'.join(_CAPACITIES)}之一。",
                )
                continue
            people.append({"name": bits[0], "post": bits[1], "capacity": _CAPACITIES[bits[2]]})
        if not row.failed:
            plan.append((row, _hearing_writer(actor, lawsuit, v, people)))
    return plan


def _hearing_writer(actor: User, lawsuit: Lawsuit, v: dict, people: list[dict]) -> Callable[[], None]:
    def write() -> None:
        hearing = lawsuit.hearings.filter(held_at=v["held_at"], kind=v["kind"]).first()
        if hearing is None:
            hearing = services.court_hearing_add(
                lawsuit=lawsuit,
                actor=actor,
                held_at=v["held_at"],
                kind=v["kind"],
                notice_received_on=v["notice_received_on"],
                head_summoned=v["head_summoned"],
            )
        services.attendance_record(
            hearing=hearing,
            actor=actor,
            unit=v["unit"],
            attendees=people,
            absence_reason=v["absence_reason"],
            absence_note=v["absence_note"],
        )

    return write
