"""Registers in and out of Excel: templates, exports and all-or-nothing imports.

Three sheets: units (单位名录), staff and roles (人员与角色) and the responsibility list (权责清单).
A template and an export have the same columns, so an exported file imports back unchanged.

An import first checks every row — each problem is reported with its row, column, value and the
rule broken — and writes nothing if anything is wrong. Only a clean file is written, through
the services, in one transaction.

Staff follow 三员分立: the system administrator's import opens the accounts listed (and corrects
names); the security administrator's import of the same file grants the roles listed.
"""

import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi.core import audit
from fazhi.org import selectors, services
from fazhi.org.models import ADMIN_ROLES, Membership, Region, ResponsibilityItem, Role, Unit, User
from fazhi.org.permissions import has_role
from fazhi.org.validators import credit_code_problem, normalise_credit_code

MAX_ROWS = 10_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTIONS_SHEET = "选项"
NOTES_SHEET = "填写说明"
REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E2")
OPTIONAL_FILL = PatternFill("solid", fgColor="EDF2F7")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool
    note: str
    choices: Callable[[], list[str]] | None = None
    strict: bool = True  # False: the drop-down only suggests (e.g. a unit added in the same file)
    width: int = 18
    as_text: bool = False


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str
    columns: tuple[Column, ...]
    intro: str

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _labels(choices) -> Callable[[], list[str]]:
    return lambda: [str(label) for label in choices.labels]


def _unit_names() -> list[str]:
    return list(selectors.units_active().order_by("sort_order", "id").values_list("name", flat=True))


def _region_codes() -> list[str]:
    return list(Region.objects.order_by("code").values_list("code", flat=True))


UNITS = SheetSpec(
    kind="units",
    title="单位名录",
    intro="每行一个单位。按「单位名称」匹配：系统中已有的单位按本行更新，没有的新增。只导出正常状态的单位；"
    "已合并、已撤销的单位不能导入，其变动请通过机构改革办理。",
    columns=(
        Column("单位名称", "name", True, "单位全称，不超过100字，在系统中唯一。", width=30),
        Column("简称", "short_name", False, "不超过30字。"),
        Column("单位类型", "kind", True, "从下拉列表中选择。", choices=_labels(Unit.Kind), width=24),
        Column(
            "上级单位",
            "parent",
            False,
            "上级单位的全称：系统中已有的正常单位，或本表中的另一行。顶层单位留空。",
            choices=_unit_names,
            strict=False,
            width=30,
        ),
        Column(
            "区划代码",
            "region",
            True,
            "所在行政区划的代码（6、9或12位数字），须是系统中已有的区划。",
            choices=_region_codes,
            as_text=True,
        ),
        Column(
            "统一社会信用代码",
            "credit_code",
            False,
            "18位，按 GB 32100-2015 校验（第1位登记管理部门代码、第18位校验位）。",
            width=22,
            as_text=True,
        ),
        Column("排序", "sort_order", False, "不小于0的整数，越小越靠前；留空为0。", width=8),
    ),
)

STAFF = SheetSpec(
    kind="staff",
    title="人员与角色",
    intro="每行一项任职（一个账号在一个单位的一个角色）；同一账号可占多行，姓名须一致。"
    "三员分立：系统管理员导入本表时开设其中尚未存在的账号（生成初始密码，首次登录须修改），"
    "安全管理员导入同一份表时授予其中的角色。系统管理员、安全管理员、审计管理员不得兼任任何其他角色。"
    "导入只增加或调整任职，不会收回表中没有的角色。",
    columns=(
        Column("账号", "username", True, "登录账号：字母、数字和 @ . + - _，不超过150个字符。", as_text=True),
        Column("姓名", "full_name", True, "不超过50字；同一账号各行须一致。", width=12),
        Column(
            "单位名称",
            "unit",
            True,
            "任职单位的全称，须是系统中已有的正常单位。",
            choices=_unit_names,
            width=30,
        ),
        Column("角色", "role", True, "从下拉列表中选择。", choices=_labels(Role), width=24),
        Column(
            "范围",
            "scope",
            False,
            "角色作用的范围；留空为“本单位”。三员的范围总是“全部”。",
            choices=_labels(Membership.Scope),
        ),
        Column("岗位", "post", False, "岗位或职务，不超过50字。"),
    ),
)

ITEMS = SheetSpec(
    kind="responsibility_items",
    title="权责清单",
    intro="每行一项职权。按「事项编码」匹配：已有的事项按本行更新，没有的新增。只导出有效事项；"
    "已废止事项的编码不能再用。",
    columns=(
        Column("事项编码", "code", True, "不超过40个字符，在系统中唯一。", as_text=True),
        Column("事项名称", "name", True, "不超过200字。", width=36),
        Column("职权类型", "kind", True, "从下拉列表中选择。", choices=_labels(ResponsibilityItem.Kind)),
        Column(
            "实施主体",
            "unit",
            True,
            "实施该职权的单位全称，须是系统中已有的正常单位。",
            choices=_unit_names,
            width=30,
        ),
        Column("设定依据", "legal_basis", True, "法律、法规、规章的名称和条款。", width=48),
    ),
)

SHEETS = {spec.kind: spec for spec in (UNITS, STAFF, ITEMS)}


# --- results -----------------------------------------------------------------------------------


@dataclass
class RowError:
    """One problem in an uploaded file; `str()` gives the sentence shown to the user."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else ""
        if self.column:
            where += f"「{self.column}」"
        if self.value:
            shown = self.value if len(self.value) <= 30 else self.value[:30] + "…"
            where += f"值“{shown}”"
        return f"{where}：{self.message}" if where else self.message


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # (账号, 姓名, 初始密码) of accounts opened by this import; shown once, never stored.
    initial_passwords: list[tuple[str, str, str]] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str, value: Any, message: str) -> None:
        self.errors.append(RowError(row, column, "" if value is None else str(value), message))


class _Abort(Exception):
    """A service refused a row after the checks passed (a concurrent change): undo everything."""


# --- writing workbooks ---------------------------------------------------------------------------


def _write_notes(wb: Workbook, spec: SheetSpec) -> None:
    ws = wb.create_sheet(NOTES_SHEET)
    ws.append([f"{spec.title}导入说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([spec.intro])
    ws.append(
        [
            "导入时先逐行检查，任何一行有错，整个文件都不导入，并列出每处错误（行号、列名、值和原因）；改正后重新上传即可。"
        ]
    )
    ws.append(["表头（第1行）请勿修改；红色表头为必填列。请从第2行起填写，不要合并单元格。"])
    ws.append([])
    ws.append(["列名", "是否必填", "说明", "可选值"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        options = ""
        if column.choices and column.strict:
            options = "、".join(column.choices())
        ws.append([column.header, "必填" if column.required else "选填", column.note, options])
    for letter, width in zip("ABCD", (18, 10, 70, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _add_dropdowns(wb: Workbook, ws, spec: SheetSpec, last_row: int) -> None:
    options = None
    for index, column in enumerate(spec.columns, start=1):
        if column.choices is None:
            continue
        values = column.choices()
        if not values:
            continue
        if options is None:
            options = wb.create_sheet(OPTIONS_SHEET)
            options.sheet_state = "hidden"
        letter = get_column_letter(index)
        options.cell(row=1, column=index, value=column.header)
        for offset, value in enumerate(values, start=2):
            options.cell(row=offset, column=index, value=value)
        validation = DataValidation(
            type="list",
            formula1=f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=not column.required,
            showErrorMessage=column.strict,
            errorTitle="不在可选范围内",
            error=f"「{column.header}」请从下拉列表中选择。",
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(validation)


def build_workbook(spec: SheetSpec, rows: Iterable[list[Any]]) -> bytes:
    """A workbook with the data sheet (header + rows), the notes sheet and the drop-downs."""
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title
    ws.append([column.header for column in spec.columns])
    count = 0
    for row in rows:
        ws.append(row)
        count += 1
    for index, column in enumerate(spec.columns, start=1):
        header = ws.cell(row=1, column=index)
        header.font = Font(bold=True, color="9B1C1C" if column.required else "1A202C")
        header.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.as_text:
            # Text, so Excel keeps leading zeros and all 18 characters of a numeric-looking code.
            ws.column_dimensions[letter].number_format = "@"
            for (cell,) in ws.iter_rows(min_row=2, max_row=max(count + 1, 2), min_col=index, max_col=index):
                cell.number_format = "@"
    ws.freeze_panes = "A2"
    _add_dropdowns(wb, ws, spec, last_row=max(count + 1, 2) + 1000)
    _write_notes(wb, spec)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template(kind: str) -> bytes:
    return build_workbook(SHEETS[kind], [])


def export(kind: str, *, user: User) -> bytes:
    """The current register in the template's format, limited to what the user may see."""
    spec = SHEETS[kind]
    if kind == "units":
        units = selectors.units_visible_to(user, status=Unit.Status.ACTIVE).order_by("sort_order", "id")
        rows = (
            [
                u.name,
                u.short_name,
                u.get_kind_display(),
                u.parent.name if u.parent else "",
                u.region.code,
                u.credit_code or "",
                u.sort_order,
            ]
            for u in units
        )
    elif kind == "staff":
        rows = (
            [
                m.user.username,
                m.user.full_name,
                m.unit.name,
                m.get_role_display(),
                m.get_scope_display(),
                m.post,
            ]
            for m in selectors.staff_visible_to(user)
        )
    else:
        items = selectors.responsibility_items_visible_to(user).order_by("code")
        rows = ([i.code, i.name, i.get_kind_display(), i.unit.name, i.legal_basis] for i in items)
    return build_workbook(spec, rows)


def filename(kind: str, *, exported: bool) -> str:
    spec = SHEETS[kind]
    return f"{spec.title}-{timezone.localdate():%Y%m%d}.xlsx" if exported else f"{spec.title}-导入模板.xlsx"


# --- reading workbooks ---------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _header_name(value: Any) -> str:
    # Tolerate the marks people add to headers: "单位名称*", "单位名称（必填）".
    return re.sub(r"[*＊]|[（(]必填[)）]", "", _cell_text(value)).strip()


def read_rows(spec: SheetSpec, upload, result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    """The data rows as (Excel row number, {column key: text}); problems go to `result`."""
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors alike for a file that is not xlsx
        result.error(
            None, "", "", "文件不是有效的 XLSX 工作簿：请使用本系统下载的模板，保存为 .xlsx 格式后上传。"
        )
        return []
    try:
        return _rows_of(wb[spec.title] if spec.title in wb.sheetnames else wb.worksheets[0], spec, result)
    finally:
        wb.close()


def _rows_of(ws, spec: SheetSpec, result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    lines = ws.iter_rows(values_only=True)
    header = [_header_name(v) for v in next(lines, ())]
    by_header = {c.header: c for c in spec.columns}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name not in by_header:
            result.error(1, name, "", f"不是“{spec.title}”模板中的列；可用的列为{'、'.join(by_header)}。")
        elif by_header[name].key in positions:
            result.error(1, name, "", "表头重复。")
        else:
            positions[by_header[name].key] = index
    for column in spec.columns:
        if column.required and column.key not in positions:
            result.error(1, column.header, "", "缺少必填列，请使用本系统下载的模板。")
    if result.errors:
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(lines, start=2):
        record = {
            key: _cell_text(values[index]) if index < len(values) else "" for key, index in positions.items()
        }
        if not any(record.values()):
            continue
        if len(rows) >= MAX_ROWS:
            result.error(number, "", "", f"一次最多导入{MAX_ROWS}行，请分批导入。")
            break
        rows.append((number, record))
    if not rows and not result.errors:
        result.error(None, "", "", "文件中没有数据行：请从第2行起填写。")
    return rows


def _choice_value(label: str, choices) -> str | None:
    """Accept the Chinese label (what the template offers) or the stored value."""
    for value, choice_label in choices.choices:
        if label in (str(choice_label), value):
            return value
    return None


def _check_length(result: ImportResult, number: int, column: Column, value: str, limit: int) -> None:
    if column.required and not value:
        result.error(number, column.header, "", "必填，不能为空。")
    elif len(value) > limit:
        result.error(number, column.header, value, f"不能超过{limit}个字，现为{len(value)}个字。")


def _check_duplicates(result: ImportResult, spec: SheetSpec, rows, keys: tuple[str, ...]) -> None:
    seen: dict[tuple, int] = {}
    for number, record in rows:
        key = tuple(record[k] for k in keys)
        if not all(key):
            continue
        if key in seen:
            column = spec.column(keys[0])
            result.error(number, column.header, record[keys[0]], f"与第{seen[key]}行重复。")
        else:
            seen[key] = number


def _service_errors(result: ImportResult, spec: SheetSpec, number: int, record: dict, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        headers = {c.key: c.header for c in spec.columns}
        for key, errors in exc.message_dict.items():
            for message in errors:
                result.error(number, headers.get(key, ""), record.get(key, ""), message)
    else:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        for message in messages:
            result.error(number, "", "", message)


def _apply(
    result: ImportResult, spec: SheetSpec, actor: User, plan: list[tuple[int, dict, Callable]]
) -> None:
    """Run every planned write in one transaction; the first refusal undoes them all."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    passwords: list[tuple[str, str, str]] = []
    try:
        with transaction.atomic():
            for number, record, write in plan:
                try:
                    outcome = write()
                except (ValidationError, PermissionDenied) as exc:
                    _service_errors(result, spec, number, record, exc)
                    raise _Abort from exc
                if isinstance(outcome, tuple):  # (outcome, password) from an account opened
                    outcome, password = outcome
                    passwords.append((record["username"], record["full_name"], password))
                counts[outcome] += 1
            audit.record(
                actor=actor,
                action=f"org.import_{spec.kind}",
                after={**counts, "rows": len(plan)},
                message=f"导入{spec.title}：新增{counts['created']}，更新{counts['updated']}，未变{counts['unchanged']}",
            )
    except _Abort:
        return
    result.created, result.updated, result.unchanged = (
        counts["created"],
        counts["updated"],
        counts["unchanged"],
    )
    result.initial_passwords = passwords


def _record_failure(actor: User, spec: SheetSpec, result: ImportResult) -> None:
    # A refused import is a security-relevant event too (等保: 事件是否成功); nothing else is kept.
    audit.record(
        actor=actor,
        action=f"org.import_{spec.kind}",
        success=False,
        after={"errors": len(result.errors)},
        message=f"导入{spec.title}未执行：发现{len(result.errors)}处错误",
    )


def import_file(kind: str, *, actor: User, upload) -> ImportResult:
    """Check and, if clean, write one uploaded workbook. Raises PermissionDenied up front."""
    importer = {"units": _import_units, "staff": _import_staff, "responsibility_items": _import_items}[kind]
    spec = SHEETS[kind]
    if kind == "staff":
        if not has_role(actor, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
            raise PermissionDenied("只有系统管理员（开设账号）或安全管理员（授予角色）可以导入人员。")
    elif not has_role(actor, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以导入名录。")
    result = ImportResult(kind=kind)
    rows = read_rows(spec, upload, result)
    plan = importer(actor, rows, result) if not result.errors else []
    if result.ok:
        _apply(result, spec, actor, plan)
    if not result.ok:
        _record_failure(actor, spec, result)
    return result


# --- units ---------------------------------------------------------------------------------------


def _import_units(actor: User, rows, result: ImportResult) -> list:
    spec = UNITS
    col = spec.column
    existing = {u.name: u for u in Unit.objects.select_related("parent", "region")}
    regions = {r.code: r for r in Region.objects.all()}
    credit_owner = {u.credit_code: u.name for u in existing.values() if u.credit_code}
    file_names = {record["name"] for _, record in rows if record["name"]}
    _check_duplicates(result, spec, rows, ("name",))
    _check_duplicates(result, spec, [(n, r) for n, r in rows if r["credit_code"]], ("credit_code",))
    cleaned: dict[str, dict[str, Any]] = {}
    for number, record in rows:
        name = record["name"]
        _check_length(result, number, col("name"), name, 100)
        _check_length(result, number, col("short_name"), record["short_name"], 30)
        unit = existing.get(name)
        if unit is not None and not unit.is_active:
            result.error(
                number,
                col("name").header,
                name,
                f"该单位{unit.get_status_display()}，不能导入；其变动请通过机构改革办理。",
            )
        kind = _choice_value(record["kind"], Unit.Kind)
        if not record["kind"]:
            result.error(number, col("kind").header, "", "必填，不能为空。")
        elif kind is None:
            result.error(
                number,
                col("kind").header,
                record["kind"],
                f"不是可选的单位类型，应为{'、'.join(Unit.Kind.labels)}之一。",
            )
        parent_name = record["parent"]
        if parent_name:
            if parent_name == name:
                result.error(number, col("parent").header, parent_name, "上级单位不能是本单位。")
            elif parent_name not in file_names and parent_name not in existing:
                result.error(number, col("parent").header, parent_name, "系统和本表中都没有这个单位。")
            elif parent_name not in file_names and not existing[parent_name].is_active:
                result.error(
                    number, col("parent").header, parent_name, "该单位已合并或撤销，不能作为上级单位。"
                )
        region = regions.get(record["region"])
        if not record["region"]:
            result.error(number, col("region").header, "", "必填，不能为空。")
        elif region is None:
            result.error(
                number,
                col("region").header,
                record["region"],
                "系统中没有这个区划代码，请先在后台添加该区划。",
            )
        credit_code = normalise_credit_code(record["credit_code"])
        if credit_code:
            problem = credit_code_problem(credit_code)
            owner = credit_owner.get(credit_code)
            if problem:
                result.error(number, col("credit_code").header, record["credit_code"], problem)
            elif owner and owner != name:
                result.error(
                    number,
                    col("credit_code").header,
                    record["credit_code"],
                    f"已被系统中的单位“{owner}”使用。",
                )
        sort_text = record["sort_order"] or "0"
        if not sort_text.isdigit():
            result.error(number, col("sort_order").header, record["sort_order"], "应为不小于0的整数。")
        cleaned[name] = {
            "number": number,
            "record": record,
            "kind": kind,
            "parent": parent_name or None,
            "region": region,
            "credit_code": credit_code,
            "sort_order": int(sort_text) if sort_text.isdigit() else 0,
        }
    _check_unit_cycles(result, cleaned, existing)
    if result.errors:
        return []
    return [
        (data["number"], data["record"], _unit_writer(actor, name, data, existing))
        for name, data in _parents_first(cleaned)
    ]


def _check_unit_cycles(result: ImportResult, cleaned: dict[str, dict], existing: dict[str, Unit]) -> None:
    parent_of = {name: (u.parent.name if u.parent else None) for name, u in existing.items()}
    parent_of.update({name: data["parent"] for name, data in cleaned.items()})
    for name, data in cleaned.items():
        chain = [name]
        current = parent_of.get(name)
        while current is not None:
            if current in chain:
                loop = " → ".join([*chain[chain.index(current) :], current])
                result.error(
                    data["number"],
                    UNITS.column("parent").header,
                    data["parent"],
                    f"上级关系形成循环：{loop}。",
                )
                break
            chain.append(current)
            current = parent_of.get(current)


def _parents_first(cleaned: dict[str, dict]) -> list[tuple[str, dict]]:
    ordered: list[tuple[str, dict]] = []
    placed: set[str] = set()

    def place(name: str) -> None:
        if name in placed:
            return
        placed.add(name)
        parent = cleaned[name]["parent"]
        if parent in cleaned:
            place(parent)
        ordered.append((name, cleaned[name]))

    for name in cleaned:
        place(name)
    return ordered


def _unit_writer(actor: User, name: str, data: dict, existing: dict[str, Unit]) -> Callable[[], str]:
    def write() -> str:
        parent = Unit.objects.get(name=data["parent"]) if data["parent"] else None
        fields = {
            "name": name,
            "short_name": data["record"]["short_name"],
            "kind": data["kind"],
            "parent": parent,
            "region": data["region"],
            "credit_code": data["credit_code"],
            "sort_order": data["sort_order"],
        }
        unit = existing.get(name)
        if unit is None:
            services.unit_create(actor=actor, **fields)
            return "created"
        unit.refresh_from_db()
        if all(getattr(unit, key) == value for key, value in fields.items()):
            return "unchanged"
        services.unit_update(actor=actor, unit=unit, **fields)
        return "updated"

    return write


# --- staff ---------------------------------------------------------------------------------------


def _import_staff(actor: User, rows, result: ImportResult) -> list:
    spec = STAFF
    col = spec.column
    accounts_phase = has_role(actor, Role.SYSTEM_ADMIN)
    result.note = (
        "系统管理员导入：开设表中尚未存在的账号、更正姓名；角色须由安全管理员导入同一份表授予。"
        if accounts_phase
        else "安全管理员导入：授予或调整表中的角色；账号须已由系统管理员开设。"
    )
    units = {u.name: u for u in Unit.objects.all()}
    usernames = {r["username"] for _, r in rows if r["username"]}
    # Matched case-insensitively: user_create refuses "Zhang" when "zhang" exists.
    lowered = {name.lower() for name in usernames}
    users: dict[str, User] = {}
    for u in User.objects.annotate(lowered=Lower("username")).filter(lowered__in=lowered).order_by("pk"):
        users.setdefault(u.username.lower(), u)
    held: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for m in Membership.objects.filter(is_active=True, user__in=users.values()).values_list(
        "user_id", "unit_id", "role"
    ):
        held[m[0]].add((m[1], m[2]))
    names_seen: dict[str, tuple[int, str]] = {}
    wanted: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    _check_duplicates(result, spec, rows, ("username", "unit", "role"))
    for number, record in rows:
        username, full_name = record["username"], record["full_name"]
        _check_length(result, number, col("username"), username, 150)
        if username:
            try:
                User.username_validator(username)
            except ValidationError:
                result.error(
                    number, col("username").header, username, "只能包含字母、数字和 @ . + - _ 字符。"
                )
        _check_length(result, number, col("full_name"), full_name, 50)
        _check_length(result, number, col("post"), record["post"], 50)
        if username and full_name:
            first = names_seen.setdefault(username.lower(), (number, full_name))
            if first[1] != full_name:
                result.error(
                    number,
                    col("full_name").header,
                    full_name,
                    f"与第{first[0]}行同一账号的姓名“{first[1]}”不一致。",
                )
        user = users.get(username.lower())
        if user is not None and user.username != username:
            result.error(
                number, col("username").header, username, f"系统中已有仅大小写不同的账号“{user.username}”。"
            )
        elif user is not None and not user.is_active:
            result.error(number, col("username").header, username, "该账号已停用。")
        elif user is None and username and not accounts_phase:
            result.error(
                number,
                col("username").header,
                username,
                "系统中没有这个账号，请先由系统管理员导入本表开设账号。",
            )
        elif user is not None and full_name and user.full_name != full_name and not accounts_phase:
            result.error(
                number,
                col("full_name").header,
                full_name,
                f"与系统中该账号的姓名“{user.full_name}”不一致，请先由系统管理员更正。",
            )
        unit = units.get(record["unit"])
        if not record["unit"]:
            result.error(number, col("unit").header, "", "必填，不能为空。")
        elif unit is None:
            result.error(number, col("unit").header, record["unit"], "系统中没有这个单位。")
        elif not unit.is_active:
            result.error(
                number,
                col("unit").header,
                record["unit"],
                f"该单位{unit.get_status_display()}，请改用承继单位。",
            )
        role = _choice_value(record["role"], Role)
        if not record["role"]:
            result.error(number, col("role").header, "", "必填，不能为空。")
        elif role is None:
            result.error(
                number,
                col("role").header,
                record["role"],
                f"不是可选的角色，应为{'、'.join(Role.labels)}之一。",
            )
        scope = _choice_value(record["scope"], Membership.Scope) if record["scope"] else Membership.Scope.UNIT
        if scope is None:
            result.error(
                number,
                col("scope").header,
                record["scope"],
                f"应为{'、'.join(Membership.Scope.labels)}之一。",
            )
        if username and unit is not None and role:
            wanted[username.lower()].append((number, unit.pk, role))
    _check_three_admins(result, wanted, users, held)
    if result.errors:
        return []
    return [(number, record, _staff_writer(actor, record, accounts_phase, units)) for number, record in rows]


def _check_three_admins(result: ImportResult, wanted, users: dict[str, User], held) -> None:
    """三员分立 over the file and the roles already held: an admin role must stand alone."""
    header = STAFF.column("role").header
    for username, rows in wanted.items():
        user = users.get(username)
        combined = set(held.get(user.pk, set())) if user else set()
        combined |= {(unit_id, role) for _, unit_id, role in rows}
        admin = sorted({Role(role).label for _, role in combined if role in ADMIN_ROLES})
        if admin and len(combined) > 1:
            others = sorted({Role(role).label for _, role in combined})
            for number, _, role in rows:
                result.error(
                    number,
                    header,
                    Role(role).label,
                    f"三员分立：{'、'.join(admin)}不得兼任其他角色，该账号在系统和本表中合计有“{'、'.join(others)}”。",
                )


def _staff_writer(actor: User, record: dict, accounts_phase: bool, units: dict[str, Unit]) -> Callable:
    def open_account():
        user = User.objects.filter(username=record["username"]).first()
        if user is None:
            _, password = services.user_create(
                actor=actor, username=record["username"], full_name=record["full_name"]
            )
            return "created", password
        if user.full_name != record["full_name"]:
            services.user_update(actor=actor, user=user, full_name=record["full_name"])
            return "updated"
        return "unchanged"

    def grant_role():
        user = User.objects.get(username=record["username"])
        unit = units[record["unit"]]
        role = _choice_value(record["role"], Role)
        scope = _choice_value(record["scope"], Membership.Scope) if record["scope"] else Membership.Scope.UNIT
        if role in ADMIN_ROLES:
            scope = Membership.Scope.ALL
        membership = Membership.objects.filter(user=user, unit=unit, role=role, is_active=True).first()
        if membership is None:
            services.membership_grant(
                actor=actor, user=user, unit=unit, role=role, scope=scope, post=record["post"]
            )
            return "created"
        if membership.scope == scope and membership.post == record["post"]:
            return "unchanged"
        services.membership_update(actor=actor, membership=membership, scope=scope, post=record["post"])
        return "updated"

    return open_account if accounts_phase else grant_role


# --- responsibility items --------------------------------------------------------------------------


def _import_items(actor: User, rows, result: ImportResult) -> list:
    spec = ITEMS
    col = spec.column
    units = {u.name: u for u in Unit.objects.all()}
    codes = {r["code"] for _, r in rows if r["code"]}
    existing = {i.code: i for i in ResponsibilityItem.objects.filter(code__in=codes)}
    _check_duplicates(result, spec, rows, ("code",))
    for number, record in rows:
        _check_length(result, number, col("code"), record["code"], 40)
        _check_length(result, number, col("name"), record["name"], 200)
        _check_length(result, number, col("legal_basis"), record["legal_basis"], 10_000)
        item = existing.get(record["code"])
        if item is not None and not item.is_active:
            result.error(number, col("code").header, record["code"], "该编码属于已废止的事项，不能再用。")
        if not record["kind"]:
            result.error(number, col("kind").header, "", "必填，不能为空。")
        elif _choice_value(record["kind"], ResponsibilityItem.Kind) is None:
            labels = "、".join(ResponsibilityItem.Kind.labels)
            result.error(
                number, col("kind").header, record["kind"], f"不是可选的职权类型，应为{labels}之一。"
            )
        unit = units.get(record["unit"])
        if not record["unit"]:
            result.error(number, col("unit").header, "", "必填，不能为空。")
        elif unit is None:
            result.error(number, col("unit").header, record["unit"], "系统中没有这个单位。")
        elif not unit.is_active:
            result.error(
                number,
                col("unit").header,
                record["unit"],
                f"该单位{unit.get_status_display()}，请改用承继单位。",
            )
    if result.errors:
        return []
    return [(number, record, _item_writer(actor, record, units, existing)) for number, record in rows]


def _item_writer(actor: User, record: dict, units: dict[str, Unit], existing: dict) -> Callable[[], str]:
    def write() -> str:
        fields = {
            "code": record["code"],
            "kind": _choice_value(record["kind"], ResponsibilityItem.Kind),
            "name": record["name"],
            "legal_basis": record["legal_basis"],
            "unit": units[record["unit"]],
        }
        item = existing.get(record["code"])
        if item is None:
            services.responsibility_item_create(actor=actor, **fields)
            return "created"
        if all(getattr(item, key) == value for key, value in fields.items()):
            return "unchanged"
        services.responsibility_item_update(actor=actor, item=item, **fields)
        return "updated"

    return write
