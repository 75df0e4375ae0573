import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from fazhi.core.models import AuditEvent
from fazhi.org import services, xlsx
from fazhi.org.models import Membership, ResponsibilityItem, Role, Unit, User
from tests.org.factories import (
    ResponsibilityItemFactory,
    UnitFactory,
    UserFactory,
    credit_code,
    user_with_role,
)


def upload(kind: str, rows: list[list], header: list[str] | None = None) -> SimpleUploadedFile:
    spec = xlsx.SHEETS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title
    ws.append(header or [c.header for c in spec.columns])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("名录.xlsx", buffer.getvalue())


def as_upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("导出.xlsx", content)


def data_rows(content: bytes, kind: str) -> list[list]:
    ws = load_workbook(io.BytesIO(content))[xlsx.SHEETS[kind].title]
    return [list(row) for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def bureaus(sysadmin, government):
    justice = services.unit_create(
        actor=sysadmin,
        name="濮阳市司法局",
        short_name="司法局",
        kind=Unit.Kind.DEPARTMENT,
        region=government.region,
        parent=government,
        credit_code=credit_code(11),
        sort_order=3,
    )
    section = services.unit_create(
        actor=sysadmin,
        name="濮阳市司法局复议科",
        kind=Unit.Kind.OTHER,
        region=government.region,
        parent=justice,
    )
    return justice, section


# --- templates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["units", "staff", "responsibility_items"])
def test_template_has_chinese_headers_notes_and_dropdowns(kind, government):
    wb = load_workbook(io.BytesIO(xlsx.template(kind)))
    spec = xlsx.SHEETS[kind]

    sheet = wb[spec.title]
    assert [c.value for c in sheet[1]] == [c.header for c in spec.columns]
    assert all(v is None for row in sheet.iter_rows(min_row=2, values_only=True) for v in row)
    notes = [row[0] for row in wb[xlsx.NOTES_SHEET].iter_rows(values_only=True)]
    assert all(c.header in notes for c in spec.columns)
    assert sheet.data_validations.dataValidation, "kinds and roles are offered as drop-downs"
    assert wb[xlsx.OPTIONS_SHEET].sheet_state == "hidden"
    for index, column in enumerate(spec.columns, start=1):
        if column.as_text:  # codes stay text: an 18-digit number would lose digits in Excel
            assert sheet.column_dimensions[get_column_letter(index)].number_format == "@"


def test_unit_template_offers_the_unit_kinds(government):
    wb = load_workbook(io.BytesIO(xlsx.template("units")))
    kinds_column = [c.key for c in xlsx.UNITS.columns].index("kind") + 1
    offered = [
        r[0]
        for r in wb[xlsx.OPTIONS_SHEET].iter_rows(
            min_col=kinds_column, max_col=kinds_column, values_only=True
        )
    ]
    assert offered[1:] == list(Unit.Kind.labels)


# --- round trips ---------------------------------------------------------------------------------


def test_units_export_imports_back_unchanged(sysadmin, bureaus, government):
    before = list(Unit.objects.values().order_by("pk"))
    events = AuditEvent.objects.count()
    content = xlsx.export("units", user=sysadmin)
    assert [
        "濮阳市司法局",
        "司法局",
        "政府工作部门",
        "濮阳市人民政府",
        "410900",
        credit_code(11),
        3,
    ] in data_rows(content, "units")

    result = xlsx.import_file("units", actor=sysadmin, upload=as_upload(content))

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Unit.objects.values().order_by("pk")) == before
    assert AuditEvent.objects.count() == events + 1  # the import itself, nothing else


def test_responsibility_items_export_imports_back_unchanged(sysadmin, bureaus):
    justice, _ = bureaus
    ResponsibilityItemFactory(unit=justice, legal_basis="《行政复议法》第四条\n第二款")
    ResponsibilityItemFactory(unit=justice, kind=ResponsibilityItem.Kind.PENALTY)
    before = list(ResponsibilityItem.objects.values().order_by("pk"))

    result = xlsx.import_file(
        "responsibility_items",
        actor=sysadmin,
        upload=as_upload(xlsx.export("responsibility_items", user=sysadmin)),
    )

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(ResponsibilityItem.objects.values().order_by("pk")) == before


def test_staff_export_imports_back_unchanged_for_both_administrators(sysadmin, secadmin, bureaus):
    justice, _ = bureaus
    user_with_role(Role.HANDLER, justice, post="科员")
    user_with_role(Role.UNIT_LEADER, justice, scope=Membership.Scope.SUBTREE, post="局长")
    content = xlsx.export("staff", user=secadmin)
    before = list(Membership.objects.values().order_by("pk"))

    for actor in (sysadmin, secadmin):
        result = xlsx.import_file("staff", actor=actor, upload=as_upload(content))
        assert result.errors == []
        assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert list(Membership.objects.values().order_by("pk")) == before


# --- importing new data --------------------------------------------------------------------------


def test_units_import_creates_children_listed_before_their_parents(sysadmin, government):
    rows = [
        ["南乐县司法局复议股", "", "其他", "南乐县司法局", "410900", "", ""],
        ["南乐县司法局", "", "政府工作部门", "濮阳市人民政府", "410900", credit_code(77), 2],
    ]

    result = xlsx.import_file("units", actor=sysadmin, upload=upload("units", rows))

    assert result.errors == [] and result.created == 2
    parent = Unit.objects.get(name="南乐县司法局")
    child = Unit.objects.get(name="南乐县司法局复议股")
    assert child.path == f"{government.path}{parent.pk}/{child.pk}/"
    assert parent.sort_order == 2 and parent.credit_code == credit_code(77)
    assert AuditEvent.objects.filter(action="org.unit_created", actor=sysadmin).count() >= 2


def test_units_import_updates_and_moves_existing_units(sysadmin, bureaus, government):
    justice, section = bureaus
    rows = [["濮阳市司法局复议科", "复议科", "其他", "濮阳市人民政府", "410900", "", ""]]

    result = xlsx.import_file("units", actor=sysadmin, upload=upload("units", rows))

    assert (result.created, result.updated) == (0, 1)
    section.refresh_from_db()
    assert section.short_name == "复议科" and section.parent == government
    assert section.path == f"{government.path}{section.pk}/"


def test_a_bad_unit_file_is_reported_in_full_and_nothing_is_written(sysadmin, bureaus):
    good = credit_code(21)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        ["濮阳市财政局", "", "政府工作部门", "濮阳市人民政府", "410900", good, 1],  # row 2: fine
        ["濮阳市审计局", "", "审计机关", "濮阳市人民政府", "410900", "", ""],  # row 3: kind
        ["濮阳市税务局", "", "政府工作部门", "濮阳市不存在局", "410999", bad, "第一"],  # row 4
        ["濮阳市财政局", "", "政府工作部门", "", "410900", "", ""],  # row 5: duplicate
        ["", "无名", "政府工作部门", "", "410900", "", ""],  # row 6: no name
    ]
    units_before = Unit.objects.count()
    events_before = AuditEvent.objects.filter(success=True).count()

    result = xlsx.import_file("units", actor=sysadmin, upload=upload("units", rows))

    messages = [str(e) for e in result.errors]
    assert f"第4行「统一社会信用代码」值“{bad}”：校验位错误，应为{good[-1]}" in messages
    assert any(m.startswith("第3行「单位类型」值“审计机关”：不是可选的单位类型") for m in messages)
    assert "第4行「上级单位」值“濮阳市不存在局”：系统和本表中都没有这个单位。" in messages
    assert "第4行「区划代码」值“410999”：系统中没有这个区划代码，请先在后台添加该区划。" in messages
    assert "第4行「排序」值“第一”：应为不小于0的整数。" in messages
    assert "第5行「单位名称」值“濮阳市财政局”：与第2行重复。" in messages
    assert "第6行「单位名称」：必填，不能为空。" in messages
    assert not result.ok and (result.created, result.updated) == (0, 0)
    assert Unit.objects.count() == units_before
    assert AuditEvent.objects.filter(success=True).count() == events_before
    failure = AuditEvent.objects.get(action="org.import_units", success=False)
    assert failure.after == {"errors": len(result.errors)}


def test_parent_cycles_across_file_and_database_are_refused(sysadmin, bureaus, government):
    justice, section = bureaus
    rows = [["濮阳市司法局", "", "政府工作部门", "濮阳市司法局复议科", "410900", "", ""]]

    result = xlsx.import_file("units", actor=sysadmin, upload=upload("units", rows))

    assert [str(e) for e in result.errors] == [
        "第2行「上级单位」值“濮阳市司法局复议科”：上级关系形成循环：濮阳市司法局 → 濮阳市司法局复议科 → 濮阳市司法局。"
    ]
    justice.refresh_from_db()
    assert justice.parent == government


def test_a_service_refusal_after_the_checks_undoes_the_earlier_rows(sysadmin, government, monkeypatch):
    from django.core.exceptions import ValidationError

    real_create = services.unit_create
    calls = []

    def flaky_create(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise ValidationError({"name": "「单位名称」“乙局”已被另一单位使用。"})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "unit_create", flaky_create)
    rows = [["甲局", "", "其他", "", "410900", "", ""], ["乙局", "", "其他", "", "410900", "", ""]]

    result = xlsx.import_file("units", actor=sysadmin, upload=upload("units", rows))

    assert [str(e) for e in result.errors] == [
        "第3行「单位名称」值“乙局”：「单位名称」“乙局”已被另一单位使用。"
    ]
    assert not Unit.objects.filter(name="甲局").exists()


def test_wrong_headers_and_non_xlsx_files_are_explained(sysadmin, government):
    result = xlsx.import_file(
        "units", actor=sysadmin, upload=upload("units", [["甲局"]], header=["单位名称*", "单位民称"])
    )
    messages = [str(e) for e in result.errors]
    assert any(m.startswith("第1行「单位民称」：不是“单位名录”模板中的列") for m in messages)
    assert "第1行「单位类型」：缺少必填列，请使用本系统下载的模板。" in messages

    result = xlsx.import_file("units", actor=sysadmin, upload=SimpleUploadedFile("a.xlsx", b"not a workbook"))
    assert str(result.errors[0]).startswith("文件不是有效的 XLSX 工作簿")


# --- staff: two administrators, one file -----------------------------------------------------------


def test_staff_import_opens_accounts_then_grants_roles(sysadmin, secadmin, bureaus):
    justice, section = bureaus
    rows = [
        ["wangwu", "王五", "濮阳市司法局", "承办人员", "", "科员"],
        ["wangwu", "王五", "濮阳市司法局复议科", "单位负责人", "本单位及下级单位", "科长"],
        ["zhaoliu", "赵六", "濮阳市司法局", "法治督察（法治办/司法局）", "全部", ""],
    ]

    early = xlsx.import_file("staff", actor=secadmin, upload=upload("staff", rows))
    assert "第2行「账号」值“wangwu”：系统中没有这个账号，请先由系统管理员导入本表开设账号。" in [
        str(e) for e in early.errors
    ]

    opened = xlsx.import_file("staff", actor=sysadmin, upload=upload("staff", rows))
    assert opened.errors == [] and opened.created == 2 and opened.unchanged == 1
    assert sorted(u for u, _, _ in opened.initial_passwords) == ["wangwu", "zhaoliu"]
    wangwu = User.objects.get(username="wangwu")
    assert wangwu.password_changed_at is None
    assert not wangwu.memberships.exists(), "the system administrator grants no roles"

    granted = xlsx.import_file("staff", actor=secadmin, upload=upload("staff", rows))
    assert granted.errors == [] and granted.created == 3
    leader = Membership.objects.get(user=wangwu, role=Role.UNIT_LEADER)
    assert (leader.unit, leader.scope, leader.post) == (section, Membership.Scope.SUBTREE, "科长")


def test_staff_import_enforces_three_admins_across_file_and_database(secadmin, sysadmin, bureaus):
    justice, _ = bureaus
    UserFactory(username="qianqi", full_name="钱七")
    rows = [
        ["qianqi", "钱七", "濮阳市司法局", "审计管理员", "", ""],
        ["qianqi", "钱七", "濮阳市司法局", "承办人员", "", ""],
        [sysadmin.username, sysadmin.full_name, "濮阳市司法局", "承办人员", "", ""],
    ]

    result = xlsx.import_file("staff", actor=secadmin, upload=upload("staff", rows))

    rows_with_errors = {e.row for e in result.errors if e.message.startswith("三员分立")}
    assert rows_with_errors == {2, 3, 4}
    assert not Membership.objects.filter(user__username="qianqi").exists()


def test_staff_import_checks_names_units_and_roles(sysadmin, bureaus, city):
    UnitFactory(name="原法制办", region=city, status=Unit.Status.MERGED, successor=bureaus[0])
    rows = [
        ["sunba", "孙八", "原法制办", "承办人员", "", ""],
        ["sunba", "孙捌", "濮阳市司法局", "办事员", "某处", ""],
        ["bad name!", "某", "濮阳市司法局", "承办人员", "", ""],
    ]

    result = xlsx.import_file("staff", actor=sysadmin, upload=upload("staff", rows))

    messages = [str(e) for e in result.errors]
    assert "第2行「单位名称」值“原法制办”：该单位已合并，请改用承继单位。" in messages
    assert "第3行「姓名」值“孙捌”：与第2行同一账号的姓名“孙八”不一致。" in messages
    assert any(m.startswith("第3行「角色」值“办事员”：不是可选的角色") for m in messages)
    assert any(m.startswith("第3行「范围」值“某处”") for m in messages)
    assert "第4行「账号」值“bad name!”：只能包含字母、数字和 @ . + - _ 字符。" in messages
    assert not User.objects.filter(username="sunba").exists()


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["units", "responsibility_items", "staff"])
def test_imports_need_the_right_administrator(kind, government, auditadmin):
    handler = user_with_role(Role.HANDLER, government)
    for actor in (handler, auditadmin):
        with pytest.raises(PermissionDenied):
            xlsx.import_file(kind, actor=actor, upload=upload(kind, []))


def test_security_admin_cannot_import_units(secadmin):
    with pytest.raises(PermissionDenied, match="只有系统管理员"):
        xlsx.import_file("units", actor=secadmin, upload=upload("units", []))


def test_staff_export_is_scoped_to_the_viewer(bureaus, government):
    justice, section = bureaus
    mine = user_with_role(Role.HANDLER, justice)
    other = user_with_role(Role.HANDLER, section)

    exported = {row[0] for row in data_rows(xlsx.export("staff", user=mine), "staff")}

    assert mine.username in exported and other.username not in exported


def test_empty_file_is_refused(sysadmin):
    result = xlsx.import_file("units", actor=sysadmin, upload=upload("units", []))
    assert [str(e) for e in result.errors] == ["文件中没有数据行：请从第2行起填写。"]


def test_unit_kind_accepts_stored_values_as_well_as_labels(sysadmin, government):
    result = xlsx.import_file(
        "units", actor=sysadmin, upload=upload("units", [["甲局", "", "department", "", "410900", "", None]])
    )
    assert result.ok and Unit.objects.get(name="甲局").kind == Unit.Kind.DEPARTMENT
