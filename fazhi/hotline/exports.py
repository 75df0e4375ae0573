"""The requests a user may see, as CSV or XLSX, each with its whole course.

One row per request with the timeline flattened into one cell; the XLSX adds a 办理过程 sheet with
one row per event. The timeline merges what the case engine logged (登记, 派单, 签收, 办结, 重办,
督办 …) with the hotline's own records (退单, 回访, 重办申请). The selection is the ticket list's
(`selectors.tickets_list` with the same filters), so an export never holds more than the list.
Caller numbers and names are masked, and so is any phone number written into a text; confidential
requests show no caller at all. Every export is on the audit trail.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.utils import timezone
from openpyxl import Workbook

from fazhi.cases.models import TimelineEntry
from fazhi.core import audit, crypto
from fazhi.hotline import selectors
from fazhi.hotline.models import Callback, ReopenRequest, Ticket, TicketReturn
from fazhi.org.models import User

CHUNK = 1000
MAX_XLSX_ROWS = 200_000  # beyond this a spreadsheet is no longer a reading tool; use CSV
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")

ACTION_LABELS = {
    "opened": "登记交办",
    "assigned": "派单",
    "advanced": "签收/推进",
    "closed": "答复办结",
    "reopened": "重办",
    "commented": "办理意见",
    "co_unit_added": "增加协办",
    "suspended": "中止计时",
    "resumed": "恢复计时",
    "extended": "延期",
    "supervised": "督办",
    "supervision_resolved": "督办反馈",
    "transferred": "机构改革承继",
    "archived": "归档",
}

TICKET_HEADERS = (
    "编号",
    "受理时间",
    "渠道",
    "诉求类型",
    "诉求分类",
    "所在区域",
    "详细地址",
    "来电人",
    "来电号码",
    "保密",
    "诉求内容",
    "处置方式",
    "承办单位",
    "状态",
    "当前阶段",
    "办理期限",
    "签收时间",
    "办结时间",
    "按时办结",
    "回访满意度",
    "解决情况",
    "退单次数",
    "重办次数",
    "办理过程",
)
TIMELINE_HEADERS = ("编号", "时间", "环节", "单位/人员", "说明")


def _masked_text(text: str) -> str:
    return _PHONE.sub(r"\1****\2", text or "")


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _events(tickets: list[Ticket]) -> dict[int, list[tuple]]:
    """Per ticket id: (when, what, who, note), in order, from the engine's timeline and the hotline's records."""
    events: dict[int, list[tuple]] = defaultdict(list)
    by_case = {t.case_id: t.pk for t in tickets if t.case_id}
    ids = [t.pk for t in tickets]
    entries = (
        TimelineEntry.objects.filter(case_id__in=by_case)
        .select_related("actor")
        .order_by("at", "id")
        .only("case_id", "at", "action", "note", "actor__full_name", "actor__username")
    )
    for entry in entries:
        who = (entry.actor.full_name or entry.actor.username) if entry.actor_id else "系统"
        events[by_case[entry.case_id]].append(
            (entry.at, ACTION_LABELS.get(entry.action, entry.action), who, entry.note)
        )
    for r in TicketReturn.objects.filter(ticket_id__in=ids).select_related("unit", "reassigned_to"):
        note = f"{r.reason}（{r.get_status_display()}{('，改派' + r.reassigned_to.name) if r.reassigned_to_id else ''}）"
        events[r.ticket_id].append((r.returned_at, "退单", r.unit.name, note))
    for c in Callback.objects.filter(ticket_id__in=ids).select_related("called_by"):
        note = (
            f"{c.get_satisfaction_display()}，{c.get_resolution_display()}{('。' + c.note) if c.note else ''}"
        )
        events[c.ticket_id].append((c.called_at, "回访", c.called_by.full_name or c.called_by.username, note))
    for r in ReopenRequest.objects.filter(ticket_id__in=ids).exclude(status=ReopenRequest.Status.PENDING):
        events[r.ticket_id].append(
            (r.decided_at, "重办申请审核", "12345中心", f"{r.get_status_display()}：{r.decision_note}")
        )
    for rows in events.values():
        rows.sort(key=lambda e: e[0])
    return events


def _ticket_rows(tickets: list[Ticket], events: dict[int, list[tuple]]) -> Iterator[tuple[list, list[list]]]:
    callbacks: dict[int, Callback] = {}
    for callback in Callback.objects.filter(ticket_id__in=[t.pk for t in tickets]).order_by(
        "called_at", "id"
    ):
        callbacks[callback.ticket_id] = callback  # the latest
    returns = defaultdict(int)
    for ticket_id in TicketReturn.objects.filter(ticket_id__in=[t.pk for t in tickets]).values_list(
        "ticket_id", flat=True
    ):
        returns[ticket_id] += 1
    for ticket in tickets:
        case = ticket.case
        timeline = [
            [ticket.reference, _time(at), what, who, _masked_text(note)]
            for at, what, who, note in events[ticket.pk]
        ]
        callback = callbacks.get(ticket.pk)
        closed_on_time = ""
        if case is not None and case.closed_at:
            closed_on_time = "是" if timezone.localdate(case.closed_at) <= case.due_date else "否"
        hidden = ticket.confidential
        row = [
            ticket.reference,
            _time(ticket.received_at),
            ticket.get_channel_display(),
            ticket.get_request_type_display(),
            ticket.category.full_name,
            ticket.region.name,
            "" if hidden else _masked_text(ticket.address),
            "" if hidden else crypto.mask_name(ticket.caller_name),
            "" if hidden else ticket.get_caller_phone_masked(),
            "是" if ticket.confidential else "否",
            _masked_text(ticket.content),
            ticket.get_disposition_display(),
            case.handling_unit.name if case else "",
            case.get_status_display() if case else "",
            case.stage.name if case and case.stage_id else "",
            case.due_date.isoformat() if case else "",
            _time(ticket.signed_at),
            _time(case.closed_at) if case else "",
            closed_on_time,
            callback.get_satisfaction_display() if callback else "",
            callback.get_resolution_display() if callback else "",
            returns[ticket.pk],
            sum(1 for _at, what, _who, _note in events[ticket.pk] if what == "重办"),
            "\n".join(f"{t[1]} {t[2]}（{t[3]}）：{t[4]}" for t in timeline),
        ]
        yield row, timeline


def _chunks(tickets) -> Iterator[list[Ticket]]:
    chunk: list[Ticket] = []
    for ticket in tickets.iterator(chunk_size=CHUNK):
        chunk.append(ticket)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_rows(user: User, *, state: str = "", q: str = "") -> Iterator[tuple[list, list[list]]]:
    tickets = selectors.tickets_list(user, state=state, q=q)
    for chunk in _chunks(tickets):
        yield from _ticket_rows(chunk, _events(chunk))


def _audit(user: User, fmt: str, state: str, q: str) -> None:
    audit.record(actor=user, action="hotline.exported", after={"format": fmt, "state": state, "q": q[:100]})


def export_csv(user: User, *, state: str = "", q: str = "") -> Iterable[str]:
    """CSV lines (UTF-8 with BOM so Excel opens Chinese correctly), streamed chunk by chunk."""
    _audit(user, "csv", state, q)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    yield "\ufeff"
    writer.writerow(TICKET_HEADERS)
    yield take()
    for row, _timeline in export_rows(user, state=state, q=q):
        writer.writerow(row)
        yield take()


def export_xlsx(user: User, *, state: str = "", q: str = "") -> bytes:
    _audit(user, "xlsx", state, q)
    wb = Workbook(write_only=True)
    tickets_sheet = wb.create_sheet("诉求")
    timeline_sheet = wb.create_sheet("办理过程")
    tickets_sheet.append(TICKET_HEADERS)
    timeline_sheet.append(TIMELINE_HEADERS)
    for written, (row, timeline) in enumerate(export_rows(user, state=state, q=q), start=1):
        if written > MAX_XLSX_ROWS:
            tickets_sheet.append([f"超过{MAX_XLSX_ROWS}件，其余请导出 CSV 或缩小筛选范围。"])
            break
        tickets_sheet.append(row)
        for event in timeline:
            timeline_sheet.append(event)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
