"""Historical 12345 records from another system, in XLSX or CSV: template, check, import.

Every row is checked first; each problem is reported with its row number, column, value and the
rule broken, and nothing is written if anything is wrong (all or nothing). A clean file goes
through the bulk path (`history.tickets_load_history`), which applies the intake service's rules.
Whatever happens, the uploaded file is kept whole on its `HistoryImport` record: nothing a
citizen said is lost because a row was refused.
"""

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from fazhi.core import audit
from fazhi.hotline import permissions
from fazhi.hotline.history import CallbackSpec, HistoryRow, ReplySpec, row_problems, tickets_load_history
from fazhi.hotline.models import Callback, Category, Channel, RequestType
from fazhi.hotline.records import HistoryImport
from fazhi.org.models import Region, Unit, User

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "历史诉求"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool
    note: str
    width: int = 16


COLUMNS = (
    Column("受理时间", "received_at", True, "如 2024-09-23 10:15；不能晚于现在。", 18),
    Column("渠道", "channel", False, "电话、网站、API、Open311、其他；留空记为“导入”。", 10),
    Column("诉求类型", "request_type", True, "咨询、求助、投诉、举报、建议、表扬、其他。", 10),
    Column("诉求分类", "category", True, "三级分类代码（如 010101）或三级分类名称（如 道路破损）。", 14),
    Column("所在区域", "region", True, "区划代码（尽量到社区/村），或唯一的区划名称。", 16),
    Column("详细地址", "address", False, "不超过200字。", 24),
    Column("来电人", "caller_name", False, "可留空。", 10),
    Column("来电号码", "caller_phone", False, "5至15位数字，可带区号；加密保存。", 16),
    Column("保密", "confidential", False, "是/否；举报人要求保密填“是”。", 8),
    Column("诉求内容", "content", True, "来电人反映的事项，不少于5个字。", 48),
    Column("主办单位", "lead_unit", False, "单位全称或简称；留空按派单规则派单。", 24),
    Column("协办单位", "co_units", False, "多个以顿号分隔。", 20),
    Column("签收时间", "signed_at", False, "承办单位签收的时间；答复前须签收。", 18),
    Column("答复时间", "replied_at", False, "答复即办结；须晚于签收时间。", 18),
    Column("答复内容", "reply_text", False, "对来电人的答复，不少于15个字，不能只有套话。", 40),
    Column("办理情况", "reply_actions", False, "实际做了什么，不少于10个字。", 40),
    Column("已联系来电人", "contacted_caller", False, "是/否。", 10),
    Column("回访时间", "called_at", False, "须晚于答复时间。", 18),
    Column("满意度", "satisfaction", False, "满意、基本满意、不满意、未接通/未评价。", 12),
    Column("解决情况", "resolution", False, "已解决、部分解决、未解决、未评价。", 12),
    Column("回访记录", "callback_note", False, "", 24),
    Column("纬度", "latitude", False, "WGS84 十进制度，与经度同时填写。", 12),
    Column("经度", "longitude", False, "", 12),
)
BY_HEADER = {c.header: c for c in COLUMNS}
# Which column a rule of the bulk path speaks about.
FIELD_COLUMNS = {
    "received_at": "受理时间",
    "channel": "渠道",
    "request_type": "诉求类型",
    "category": "诉求分类",
    "region": "所在区域",
    "caller_phone": "来电号码",
    "content": "诉求内容",
    "latitude": "纬度",
    "lead_unit": "主办单位",
    "co_units": "协办单位",
    "signed_at": "签收时间",
    "replied_at": "答复时间",
    "text": "答复内容",
    "actions": "办理情况",
    "contacted_caller": "已联系来电人",
    "called_at": "回访时间",
    "satisfaction": "满意度",
    "resolution": "解决情况",
}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}


@dataclass
class RowError:
    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


# --- the template -------------------------------------------------------------------------------------


def template() -> bytes:
    """An empty sheet with the columns, required ones marked, a notes row and one filled example."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = SHEET_TITLE
    required = PatternFill("solid", fgColor="FDE2E2")
    for i, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required
        sheet.column_dimensions[cell.column_letter].width = column.width
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "必填", "说明"])
    for column in COLUMNS:
        notes.append([column.header, "是" if column.required else "", column.note])
    notes.append([])
    notes.append(["", "", "第一行是列名，请勿改动；从第二行起每行一件诉求。任何一行有错，整个文件都不导入。"])
    notes.column_dimensions["C"].width = 80
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(file_name: str, content: bytes) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Headers and (row number, raw cells) from an XLSX (first sheet) or a CSV (UTF-8 or GB18030)."""
    if file_name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError("CSV 文件编码无法识别，请另存为 UTF-8 编码。")
        table = list(csv.reader(io.StringIO(text)))
    elif file_name.lower().endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise ValidationError("无法读取该 XLSX 文件，请用导入模板另存后重试。") from None
        table = [list(row) for row in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    else:
        raise ValidationError("只支持 .xlsx 或 .csv 文件。")
    if not table:
        raise ValidationError("文件是空的。")
    headers = [_cell_text(h) for h in table[0]]
    rows = [
        (number, list(cells))
        for number, cells in enumerate(table[1:], start=2)
        if any(_cell_text(c) for c in cells)
    ]
    return headers, rows


class _Lookups:
    """Categories, regions and units the file names, read once."""

    def __init__(self):
        self.categories = {
            c.code: c for c in Category.objects.filter(level=Category.Level.THIRD).select_related("parent")
        }
        by_name: dict[str, list[Category]] = {}
        for c in self.categories.values():
            by_name.setdefault(c.name, []).append(c)
        self.category_names = by_name
        self._regions: dict[str, Region | None] = {}
        self.units: dict[str, list[Unit]] = {}
        for unit in Unit.objects.all():
            for name in {unit.name, unit.short_name} - {""}:
                self.units.setdefault(name, []).append(unit)

    def region(self, text: str) -> Region | None | str:
        if text not in self._regions:
            found = Region.objects.filter(code=text).first()
            if found is None:
                matches = list(Region.objects.filter(name=text)[:2])
                found = matches[0] if len(matches) == 1 else ("ambiguous" if matches else None)
            self._regions[text] = found
        return self._regions[text]


def _moment(text: str) -> datetime | None:
    text = text.strip().replace("/", "-").replace("T", " ")
    if not text:
        return None
    parsed = parse_datetime(text)
    if parsed is None:
        day = parse_date(text)
        parsed = datetime.combine(day, time()) if day else None
    if parsed is None:
        raise ValueError("时间格式应为 2024-09-23 10:15 或 2024-09-23。")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _choice(text: str, choices, what: str) -> str:
    for value, label in choices:
        if text in (value, label) or (label.startswith(text) and text):
            return value
    raise ValueError(f"{what}应为{'、'.join(label for _v, label in choices)}之一。")


def _flag(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ValueError("请填“是”或“否”。")


def _parse_row(
    number: int, cells: dict[str, str], lookups: _Lookups, errors: list[RowError]
) -> HistoryRow | None:
    """One row to a HistoryRow, or None with its problems added to `errors`."""
    before = len(errors)

    def fail(header: str, message: str) -> None:
        errors.append(RowError(number, header, cells.get(header, ""), message))

    def parsed(header: str, parse):
        try:
            return parse(cells.get(header, ""))
        except ValueError as exc:
            fail(header, str(exc))
            return None

    for column in COLUMNS:
        if column.required and not cells.get(column.header, "").strip():
            fail(column.header, f"「{column.header}」必填。")
    if len(errors) > before:
        return None
    received = parsed("受理时间", _moment)
    channel_text = cells.get("渠道", "").strip()
    channel = (
        parsed("渠道", lambda t: _choice(t, Channel.choices, "渠道")) if channel_text else Channel.IMPORT
    )
    request_type = parsed("诉求类型", lambda t: _choice(t.strip(), RequestType.choices, "诉求类型"))
    category_text = cells["诉求分类"].strip()
    category = lookups.categories.get(category_text.split()[0])
    if category is None:
        named = lookups.category_names.get(category_text, [])
        category = named[0] if len(named) == 1 else None
    if category is None:
        fail("诉求分类", "没有这个三级分类：请填6位分类代码或三级分类的名称。")
    region = lookups.region(cells["所在区域"].strip().split()[0])
    if region is None or region == "ambiguous":
        fail("所在区域", "区划名称重名，请改填区划代码。" if region else "没有这个区划代码或名称。")
        region = None

    def unit(text: str) -> Unit | None:
        text = text.strip()
        if not text:
            return None
        found = lookups.units.get(text, [])
        if len(found) != 1:
            raise ValueError("单位名称重复，请填全称。" if found else f"没有名为“{text}”的单位。")
        return found[0]

    lead = parsed("主办单位", unit)
    co_units = []
    for name in cells.get("协办单位", "").replace(",", "、").replace("，", "、").split("、"):
        if name.strip():
            found = parsed("协办单位", lambda _t, name=name: unit(name))
            if found is not None:
                co_units.append(found)
    signed = parsed("签收时间", _moment)
    replied = parsed("答复时间", _moment)
    called = parsed("回访时间", _moment)
    contacted = parsed("已联系来电人", _flag)
    confidential = parsed("保密", _flag)
    lat = lon = None
    if cells.get("纬度", "").strip() or cells.get("经度", "").strip():
        try:
            lat, lon = Decimal(cells.get("纬度", "").strip()), Decimal(cells.get("经度", "").strip())
        except InvalidOperation:
            fail("纬度", "经纬度应为十进制度数，须同时填写。")
    replies, callbacks = [], []
    reply_text, actions = cells.get("答复内容", "").strip(), cells.get("办理情况", "").strip()
    if replied is not None or reply_text or actions:
        if replied is None:
            fail("答复时间", "填写了答复内容，请同时填写答复时间。")
        else:
            replies.append(
                ReplySpec(
                    text=reply_text, actions=actions, replied_at=replied, contacted_caller=bool(contacted)
                )
            )
    if called is not None or cells.get("满意度", "").strip():
        satisfaction = parsed("满意度", lambda t: _choice(t.strip(), Callback.Satisfaction.choices, "满意度"))
        resolution = parsed(
            "解决情况", lambda t: _choice(t.strip() or "未评价", Callback.Resolution.choices, "解决情况")
        )
        if called is None:
            fail("回访时间", "填写了满意度，请同时填写回访时间。")
        elif satisfaction and resolution:
            callbacks.append(
                CallbackSpec(
                    called_at=called,
                    satisfaction=satisfaction,
                    resolution=resolution,
                    note=cells.get("回访记录", "").strip(),
                )
            )
    if len(errors) > before:
        return None
    row = HistoryRow(
        content=cells["诉求内容"],
        request_type=request_type,
        category=category,
        region=region,
        channel=channel,
        received_at=received,
        address=cells.get("详细地址", ""),
        caller_name=cells.get("来电人", ""),
        caller_phone=cells.get("来电号码", ""),
        confidential=bool(confidential),
        latitude=lat,
        longitude=lon,
        lead_unit=lead,
        co_units=co_units,
        signed_at=signed,
        replies=replies,
        callbacks=callbacks,
    )
    for field, message in row_problems(row):
        header = FIELD_COLUMNS.get(field, "")
        errors.append(RowError(number, header, cells.get(header, ""), message))
    return None if len(errors) > before else row


def check_file(file_name: str, content: bytes) -> tuple[list[HistoryRow], list[RowError], int]:
    """(rows, problems, number of data rows): every row checked, nothing written."""
    if len(content) > MAX_BYTES:
        return [], [RowError(None, "", "", f"文件超过{MAX_BYTES // 1024 // 1024}MB，请分批导入。")], 0
    try:
        headers, table = read_table(file_name, content)
    except ValidationError as exc:
        return [], [RowError(None, "", "", m) for m in exc.messages], 0
    errors: list[RowError] = []
    missing = [c.header for c in COLUMNS if c.required and c.header not in headers]
    unknown = [h for h in headers if h and h not in BY_HEADER]
    if missing:
        errors.append(RowError(1, "", "、".join(missing), "缺少必填列，请使用导入模板。"))
    if unknown:
        errors.append(RowError(1, "", "、".join(unknown), "模板中没有这些列，请使用导入模板。"))
    if not table:
        errors.append(RowError(None, "", "", "文件中没有数据行。"))
    if len(table) > MAX_ROWS:
        errors.append(RowError(None, "", str(len(table)), f"一次最多导入{MAX_ROWS}行，请分批导入。"))
    if errors:
        return [], errors, len(table)
    lookups = _Lookups()
    rows = []
    for number, raw in table:
        cells = {headers[i]: _cell_text(v) for i, v in enumerate(raw) if i < len(headers) and headers[i]}
        row = _parse_row(number, cells, lookups, errors)
        if row is not None:
            rows.append(row)
    return rows, errors, len(table)


# --- the import ---------------------------------------------------------------------------------------------


@transaction.atomic
def history_import(*, actor: User, file_name: str, content: bytes) -> HistoryImport:
    """Check a file and, if every row is right, load it; the file is kept on the record either way."""
    centre = permissions.centre_of(actor)
    if centre is None:
        raise PermissionDenied("只有12345中心可以导入历史诉求。")
    rows, errors, count = check_file(file_name, content)
    record = HistoryImport(
        file_name=file_name[-200:],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        rows=count,
        centre=centre,
        imported_by=actor,
    )
    if not errors:
        try:
            with transaction.atomic():  # a savepoint: a refusal here leaves only the record
                loaded = tickets_load_history(actor=actor, rows=rows, source=f"导入：{record.file_name}")
        except ValidationError as exc:
            errors = [RowError(None, "", "", m) for m in exc.messages]
        else:
            record.tickets, record.first_number, record.last_number = (
                loaded.tickets,
                loaded.first_number,
                loaded.last_number,
            )
    record.status = HistoryImport.Status.REFUSED if errors else HistoryImport.Status.DONE
    record.errors = [e.as_dict() for e in errors[:MAX_ERRORS]]
    record.save()
    audit.record(
        actor=actor,
        action="hotline.history_imported" if not errors else "hotline.history_import_refused",
        target=record,
        after={"file": record.file_name, "sha256": record.sha256, "rows": count, "tickets": record.tickets},
        success=not errors,
        message="" if not errors else f"{len(errors)}处错误",
    )
    return record


def imports_visible_to(user: User):
    """Imports of the centres the user works for as an operator."""
    from fazhi.org.permissions import unit_scope

    scope = unit_scope(user, permissions.CENTRE_ROLES)
    if scope.empty:
        return HistoryImport.objects.none()
    return HistoryImport.objects.filter(scope.q("centre") if not scope.all else Q()).select_related(
        "imported_by", "centre"
    )
