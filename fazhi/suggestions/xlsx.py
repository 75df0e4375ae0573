"""Historical registers in and out of Excel: 司法建议/检察建议 and 人大建议/政协提案.

The workbook machinery (templates with drop-downs and notes, reading rows, row errors) is the
registers' own (`fazhi.org.xlsx`). An import writes every row through the same services as the
pages, each row in its own savepoint inside one transaction: every row is tried so that every
problem is reported with its row, column and value, and if any row fails nothing is kept.

Rows with a reply or answer dated before today may be imported by a supervisor for any unit in
their scope (补录, marked on the case's timeline); a unit's own staff import their unit's rows.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.org import selectors as org_selectors
from fazhi.org.models import Unit, User
from fazhi.org.xlsx import Column, ImportResult, SheetSpec, build_workbook, read_rows
from fazhi.suggestions import selectors, services
from fazhi.suggestions.models import (
    Adoption,
    Grade,
    JudicialSuggestion,
    Proposal,
    ProposalContact,
    Representative,
    Satisfaction,
    Session,
    SuggestionKind,
)

YES = {"是", "Y", "y", "1", "TRUE", "True", "true"}
NO = {"", "否", "N", "n", "0", "FALSE", "False", "false"}
EXPORT_ONLY = "导出时填写，导入时忽略。"
LIST_SPLIT = re.compile(r"[、，,；;\s]+")


class _Abort(Exception):
    """Some row failed: undo everything."""


# --- reading cells ------------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """2024-09-27, 2024/9/27, 2024.9.27 or 2024年9月27日 (an Excel date cell arrives as ISO)."""
    if not text:
        return None
    found = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:T[\d:]+)?", text.strip()
    )
    if not found:
        raise ValueError("日期格式应为“2024-09-27”。")
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        raise ValueError("不是有效的日期。") from None


def moment(day: date) -> datetime:
    """A register gives days; the record is placed at 09:00 that day."""
    return timezone.make_aware(datetime.combine(day, time(9)))


def parse_bool(text: str) -> bool:
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError("请填写“是”或“否”。")


def choice(label: str, choices) -> str:
    """The stored value for a Chinese label (or the value itself)."""
    for value, choice_label in choices.choices:
        if label in (str(choice_label), value):
            return value
    raise ValueError(f"可选值为{'、'.join(str(lb) for _v, lb in choices.choices)}。")


def split_names(text: str) -> list[str]:
    return [part for part in LIST_SPLIT.split(text or "") if part]


class Cells:
    """Parses one row's cells, collecting problems keyed by column so all are reported together."""

    def __init__(self, record: dict[str, str]):
        self.record = record
        self.errors: dict[str, str] = {}

    def text(self, key: str, *, required: bool = False, limit: int | None = None) -> str:
        value = self.record.get(key, "")
        if required and not value:
            self.errors[key] = "必填，不能为空。"
        elif limit and len(value) > limit:
            self.errors[key] = f"不能超过{limit}个字，现为{len(value)}个字。"
        return value

    def parse(self, key: str, parser: Callable[[str], Any], *, required: bool = False) -> Any:
        value = self.record.get(key, "")
        if not value:
            if required:
                self.errors[key] = "必填，不能为空。"
            return None
        try:
            return parser(value)
        except ValueError as exc:
            self.errors[key] = str(exc)
            return None

    def lookup(self, key: str, table: dict, *, required: bool = False, what: str = "") -> Any:
        value = self.record.get(key, "")
        if not value:
            if required:
                self.errors[key] = "必填，不能为空。"
            return None
        if value not in table:
            self.errors[key] = f"系统中没有这个{what}，请从下拉列表中选择。"
            return None
        return table[value]

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# --- running an import --------------------------------------------------------------------------


def _row_errors(result: ImportResult, spec: SheetSpec, number: int, record: dict, exc: Exception) -> None:
    headers = {c.key: c.header for c in spec.columns}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            for message in messages:
                column = headers.get(key, "")
                result.error(number, column, record.get(key, "") if column else "", message)
    else:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or "无权操作。"]
        for message in messages:
            result.error(number, "", "", message)


def run_import(
    *,
    spec: SheetSpec,
    actor: User,
    upload,
    write: Callable[[dict[str, str]], None],
    action: str,
) -> ImportResult:
    """Read the workbook and write each row with `write`; all rows or none."""
    result = ImportResult(kind=spec.kind)
    rows = read_rows(spec, upload, result)
    if result.ok:
        try:
            with transaction.atomic():
                for number, record in rows:
                    try:
                        with transaction.atomic():
                            write(record)
                    except (ValidationError, PermissionDenied) as exc:
                        _row_errors(result, spec, number, record, exc)
                if not result.ok:
                    raise _Abort
                audit.record(
                    actor=actor,
                    action=action,
                    after={"rows": len(rows)},
                    message=f"导入{spec.title}：新增{len(rows)}条",
                )
        except _Abort:
            pass
        else:
            result.created = len(rows)
    if not result.ok:
        # A refused import is recorded too; nothing else is kept.
        audit.record(
            actor=actor,
            action=action,
            success=False,
            after={"errors": len(result.errors)},
            message=f"导入{spec.title}未执行：发现{len(result.errors)}处错误",
        )
    return result


def _unit_names() -> list[str]:
    return list(org_selectors.units_active().order_by("sort_order", "id").values_list("name", flat=True))


def _units_by_name() -> dict[str, Unit]:
    return {u.name: u for u in org_selectors.units_active()}


def _labels(choices) -> Callable[[], list[str]]:
    return lambda: [str(label) for label in choices.labels]


def _yes_no() -> list[str]:
    return ["是", "否"]


# --- 司法建议 / 检察建议 --------------------------------------------------------------------------

JUDICIAL = SheetSpec(
    kind="judicial_suggestions",
    title="司法建议检察建议",
    intro="每行一件收到的司法建议或检察建议，按收到日期计算回复期限。已回复的，填写回复日期、采纳情况和回复内容，"
    "系统按回复日期判断是否按期。承办单位的工作人员可导入本单位的记录；法治督察人员可导入所辖各单位的记录，"
    "其中的回复作为补录记入办理过程。",
    columns=(
        Column(
            "类别",
            "kind",
            True,
            "从下拉列表中选择。",
            choices=lambda: list(selectors.suggestion_kinds_active().values_list("name", flat=True)),
            width=24,
        ),
        Column(
            "建议机关",
            "issuer",
            True,
            "发出建议的人民法院或人民检察院全称。",
            choices=lambda: list(selectors.issuers().values_list("name", flat=True)),
            width=26,
        ),
        Column(
            "文号", "document_number", False, "如“明中法建〔2024〕3号”；同一机关的文号不能重复。", width=22
        ),
        Column("标题", "title", True, "不超过200字。", width=36),
        Column("主要内容", "content", True, "建议的主要内容，不少于10个字。", width=48),
        Column("承办单位", "addressee", True, "被建议单位的全称。", choices=_unit_names, width=30),
        Column("收到日期", "received_at", True, "如 2024-09-27。", as_text=True, width=12),
        Column("发文日期", "issued_on", False, "如 2024-09-20。", as_text=True, width=12),
        Column(
            "来文载明期限",
            "stated_period",
            False,
            "来文写明回复期限的填写，如 30d（日）、2m（月）。",
            width=12,
        ),
        Column(
            "紧急情形",
            "urgent",
            False,
            "公益诉讼诉前检察建议属紧急情形（15日内回复）的填“是”。",
            choices=_yes_no,
            width=10,
        ),
        Column("回复日期", "replied_on", False, "已回复的填写，如 2024-11-20。", as_text=True, width=12),
        Column("采纳情况", "adoption", False, "已回复的必填。", choices=_labels(Adoption), width=12),
        Column("未采纳理由", "reasons", False, "部分采纳或未采纳的必填。", width=30),
        Column("整改措施", "measures", False, "", width=30),
        Column("回复内容", "text", False, "已回复的必填，不少于10个字。", width=48),
        Column("编号", "_number", False, EXPORT_ONLY, width=16),
        Column("回复期限", "_due", False, EXPORT_ONLY, width=12),
        Column("状态", "_state", False, EXPORT_ONLY, width=10),
        Column("按期回复", "_on_time", False, EXPORT_ONLY, width=10),
    ),
)


def _judicial_writer(actor: User) -> Callable[[dict[str, str]], None]:
    kinds = {k.name: k for k in SuggestionKind.objects.filter(is_active=True).select_related("case_type")}
    issuers = {u.name: u for u in selectors.issuers()}
    units = _units_by_name()

    def write(record: dict[str, str]) -> None:
        cells = Cells(record)
        kind = cells.lookup("kind", kinds, required=True, what="建议类别")
        issuer = cells.lookup("issuer", issuers, required=True, what="人民法院或人民检察院")
        addressee = cells.lookup("addressee", units, required=True, what="正常状态的单位")
        cells.text("title", required=True, limit=200)
        received = cells.parse("received_at", parse_date, required=True)
        issued = cells.parse("issued_on", parse_date)
        urgent = cells.parse("urgent", parse_bool) or False
        replied = cells.parse("replied_on", parse_date)
        adoption = cells.parse("adoption", lambda v: choice(v, Adoption))
        if replied and not adoption:
            cells.errors.setdefault("adoption", "已回复的，请填写采纳情况。")
        if (adoption or record.get("text")) and not replied:
            cells.errors.setdefault("replied_on", "填写了采纳情况或回复内容的，请填写回复日期。")
        cells.check()
        suggestion = services.suggestion_register(
            actor=actor,
            kind=kind,
            issuer=issuer,
            addressee=addressee,
            title=record["title"],
            content=record.get("content", ""),
            received_at=moment(received),
            document_number=record.get("document_number", ""),
            issued_on=issued,
            urgent=urgent,
            stated_period=record.get("stated_period", ""),
        )
        if replied:
            services.suggestion_reply(
                suggestion=suggestion,
                actor=actor,
                adoption=adoption,
                text=record.get("text", ""),
                reasons=record.get("reasons", ""),
                measures=record.get("measures", ""),
                replied_on=replied,
            )

    return write


def judicial_export(rows: Iterable[JudicialSuggestion]) -> bytes:
    def line(s: JudicialSuggestion) -> list:
        case = s.case
        reply = next(iter(s.replies.all()), None)
        return [
            s.kind.name,
            s.issuer.name,
            s.document_number,
            case.title,
            case.description,
            case.handling_unit.name,
            f"{timezone.localdate(case.received_at):%Y-%m-%d}",
            f"{s.issued_on:%Y-%m-%d}" if s.issued_on else "",
            case.period if s.period_source == JudicialSuggestion.PeriodSource.DOCUMENT else "",
            "是" if s.urgent else "否",
            f"{reply.replied_on:%Y-%m-%d}" if reply else "",
            reply.get_adoption_display() if reply else "",
            reply.reasons if reply else "",
            reply.measures if reply else "",
            reply.text if reply else "",
            case.number,
            f"{(reply.due_date if reply else case.due_date):%Y-%m-%d}",
            case.get_status_display(),
            ("是" if reply.on_time else "否") if reply else "",
        ]

    return build_workbook(JUDICIAL, (line(s) for s in rows))


def judicial_import(*, actor: User, upload) -> ImportResult:
    return run_import(
        spec=JUDICIAL,
        actor=actor,
        upload=upload,
        write=_judicial_writer(actor),
        action="suggestions.imported",
    )


# --- 人大代表建议 / 政协提案 -----------------------------------------------------------------------

PROPOSALS = SheetSpec(
    kind="proposals",
    title="代表建议政协提案",
    intro="每行一件人大代表建议或政协提案，按交办日期计算答复期限。领衔人按“姓名 + 代表团/界别”查找，名单中没有的自动加入；"
    "联名人须已在名单中。已答复的，须填写与代表、委员的联系日期（答复前必须联系沟通）、答复日期、办理结果和答复内容。"
    "满意度只能导入“满意”或“基本满意”：不满意后重新办理的，请导入重新办理后的答复。",
    columns=(
        Column(
            "届次会议",
            "session",
            True,
            "从下拉列表中选择；新的会议请先在后台“届次会议”中添加。",
            choices=lambda: list(Session.objects.values_list("name", flat=True)),
            width=36,
        ),
        Column("建议/提案号", "number", True, "同一会议内不能重复。", as_text=True, width=10),
        Column("标题", "title", True, "不超过200字。", width=36),
        Column("主要内容", "content", True, "不少于10个字。", width=48),
        Column("领衔人", "lead_proposer", True, "代表或委员姓名。", width=10),
        Column("代表团/界别", "group", True, "领衔人所在代表团或界别。", width=16),
        Column("联名人", "co_proposers", False, "多人以顿号分隔，须已在名单中。", width=20),
        Column("类别", "topic", False, "如 城乡建设、教育、医疗卫生，不超过30字。", width=12),
        Column("重点督办", "is_key", False, "", choices=_yes_no, width=10),
        Column("主办单位", "lead_unit", True, "", choices=_unit_names, width=30),
        Column("会办单位", "co_units", False, "多个以顿号分隔。", width=30),
        Column("交办日期", "received_at", True, "如 2024-02-20。", as_text=True, width=12),
        Column("联系日期", "contacted_on", False, "已答复的必填。", as_text=True, width=12),
        Column("联系方式", "method", False, "", choices=_labels(ProposalContact.Method), width=12),
        Column("沟通情况", "contact_note", False, "", width=30),
        Column("答复日期", "answered_on", False, "", as_text=True, width=12),
        Column("办理结果", "grade", False, "A、B、C、D类之一。", choices=_labels(Grade), width=24),
        Column("答复内容", "text", False, "不少于20个字。", width=48),
        Column(
            "满意程度",
            "satisfaction",
            False,
            "满意或基本满意。",
            choices=lambda: ["满意", "基本满意"],
            width=10,
        ),
        Column("反馈日期", "received_on", False, "留空为答复日期。", as_text=True, width=12),
        Column("公开答复", "disclose", False, "", choices=_yes_no, width=10),
        Column("编号", "_number", False, EXPORT_ONLY, width=16),
        Column("答复期限", "_due", False, EXPORT_ONLY, width=12),
        Column("状态", "_state", False, EXPORT_ONLY, width=10),
        Column("按期答复", "_on_time", False, EXPORT_ONLY, width=10),
    ),
)


def _proposal_writer(actor: User) -> Callable[[dict[str, str]], None]:
    sessions = {s.name: s for s in Session.objects.all()}
    units = _units_by_name()
    deputies: dict[tuple[str, str, str], Representative] = {
        (r.body, r.name, r.group): r for r in Representative.objects.all()
    }

    def write(record: dict[str, str]) -> None:
        cells = Cells(record)
        session = cells.lookup("session", sessions, required=True, what="届次会议")
        lead_unit = cells.lookup("lead_unit", units, required=True, what="正常状态的单位")
        name = cells.text("lead_proposer", required=True, limit=50)
        group = cells.text("group", required=True, limit=60)
        co_units = []
        for unit_name in split_names(record.get("co_units", "")):
            if unit_name in units:
                co_units.append(units[unit_name])
            else:
                cells.errors["co_units"] = f"系统中没有单位“{unit_name}”。"
        co_proposers = []
        for person in split_names(record.get("co_proposers", "")):
            found = [
                r for key, r in deputies.items() if session and key[0] == session.body and key[1] == person
            ]
            if len(found) == 1:
                co_proposers.append(found[0])
            else:
                what = "没有" if not found else "有多位"
                cells.errors["co_proposers"] = f"名单中{what}名为“{person}”的代表或委员。"
        received = cells.parse("received_at", parse_date, required=True)
        is_key = cells.parse("is_key", parse_bool) or False
        contacted = cells.parse("contacted_on", parse_date)
        method = cells.parse("method", lambda v: choice(v, ProposalContact.Method))
        answered = cells.parse("answered_on", parse_date)
        grade = cells.parse("grade", lambda v: choice(v, Grade))
        satisfaction = cells.parse("satisfaction", lambda v: choice(v, Satisfaction))
        feedback_on = cells.parse("received_on", parse_date)
        disclose = cells.parse("disclose", parse_bool) or False
        if satisfaction == Satisfaction.UNSATISFIED:
            cells.errors["satisfaction"] = "不满意的须重新办理，请导入重新办理后的答复及其满意度。"
        if answered and not grade:
            cells.errors.setdefault("grade", "已答复的，请填写办理结果。")
        if (grade or satisfaction or disclose) and not answered:
            cells.errors.setdefault("answered_on", "填写了办理结果、满意程度或公开的，请填写答复日期。")
        if contacted and not method:
            cells.errors.setdefault("method", "请填写联系方式。")
        cells.check()
        key = (session.body, name, group)
        if key not in deputies:
            deputies[key] = services.representative_save(
                actor=actor, representative=Representative(body=session.body, name=name, group=group)
            )
        proposal = services.proposal_register(
            actor=actor,
            session=session,
            number=record["number"],
            title=record.get("title", ""),
            content=record.get("content", ""),
            lead_proposer=deputies[key],
            co_proposers=co_proposers,
            lead_unit=lead_unit,
            co_units=co_units,
            topic=record.get("topic", ""),
            is_key=is_key,
            received_at=moment(received),
        )
        if contacted:
            services.proposal_contact(
                proposal=proposal,
                actor=actor,
                method=method,
                note=record.get("contact_note") or f"与{name}沟通联系（导入的历史记录）",
                contacted_on=contacted,
            )
        if answered:
            answer = services.proposal_answer(
                proposal=proposal, actor=actor, grade=grade, text=record.get("text", ""), answered_on=answered
            )
            if satisfaction:
                services.proposal_feedback(
                    answer=answer, actor=actor, satisfaction=satisfaction, received_on=feedback_on or answered
                )
            if disclose:
                services.answer_disclose(answer=answer, actor=actor)

    return write


def proposals_export(rows: Iterable[Proposal]) -> bytes:
    def line(p: Proposal) -> list:
        case = p.case
        answers = list(p.answers.all())
        first = answers[0] if answers else None
        latest = answers[-1] if answers else None
        contact = next(iter(p.contacts.all()), None)
        feedback = getattr(latest, "feedback", None) if latest else None
        co_units = [link.unit.name for link in case.case_units.all() if link.role == "co" and link.is_active]
        return [
            p.session.name,
            p.number,
            case.title,
            case.description,
            p.lead_proposer.name,
            p.lead_proposer.group,
            "、".join(r.name for r in p.co_proposers.all()),
            p.topic,
            "是" if p.is_key else "否",
            case.handling_unit.name,
            "、".join(co_units),
            f"{timezone.localdate(case.received_at):%Y-%m-%d}",
            f"{contact.contacted_on:%Y-%m-%d}" if contact else "",
            contact.get_method_display() if contact else "",
            contact.note if contact else "",
            f"{latest.answered_on:%Y-%m-%d}" if latest else "",
            latest.get_grade_display() if latest else "",
            latest.text if latest else "",
            feedback.get_satisfaction_display() if feedback else "",
            f"{feedback.received_on:%Y-%m-%d}" if feedback else "",
            ("是" if latest.disclosed_at else "否") if latest else "",
            case.number,
            f"{(first.due_date if first else case.due_date):%Y-%m-%d}",
            case.get_status_display(),
            ("是" if first.on_time else "否") if first else "",
        ]

    return build_workbook(PROPOSALS, (line(p) for p in rows))


def proposals_import(*, actor: User, upload) -> ImportResult:
    return run_import(
        spec=PROPOSALS,
        actor=actor,
        upload=upload,
        write=_proposal_writer(actor),
        action="suggestions.proposals_imported",
    )


def filename(spec: SheetSpec, *, exported: bool) -> str:
    return f"{spec.title}-{timezone.localdate():%Y%m%d}.xlsx" if exported else f"{spec.title}-导入模板.xlsx"
