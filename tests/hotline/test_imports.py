"""Importing historical 12345 records from XLSX and CSV: every row checked, all or nothing, file kept."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.cases.models import Case
from fazhi.core.models import AuditEvent
from fazhi.hotline import imports
from fazhi.hotline.models import Callback, Channel, ReopenRequest, Reply, Ticket
from fazhi.hotline.records import HistoryImport
from fazhi.org.models import Role
from tests.org.factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in imports.COLUMNS]


def record(**values) -> list[str]:
    row = {
        "受理时间": "2024-09-23 09:30",
        "渠道": "电话",
        "诉求类型": "求助",
        "诉求分类": "010101",
        "所在区域": "410902001001",
        "详细地址": "幸福路12号",
        "来电人": "王先生",
        "来电号码": "13812341234",
        "保密": "否",
        "诉求内容": "幸福路和建设路交叉口东侧路面有个大坑，晚上骑车很危险。",
        "主办单位": "濮阳市城市管理局",
        "签收时间": "2024-09-23 11:00",
        "答复时间": "2024-09-25 16:00",
        "答复内容": "您反映的幸福路路面坑洼问题，养护队已于9月25日修补完毕，路面已恢复平整。",
        "办理情况": "9月25日上午养护二队到场，用沥青冷补料修补坑槽约3平方米。",
        "已联系来电人": "是",
        "回访时间": "2024-09-26 10:00",
        "满意度": "不满意",
        "解决情况": "未解决",
        "回访记录": "补过的地方又塌了",
    } | values
    return [row.get(h, "") for h in HEADERS]


def xlsx(*rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADERS)
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(*rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def places(community, urban):
    return community, urban


def test_a_clean_file_is_imported_with_replies_callbacks_and_the_file_kept(operator, places):
    content = xlsx(record(), record(诉求内容="明湖路人行道井盖丢了，很危险，请尽快处理。", 诉求分类="井盖缺失破损",
                                   签收时间="", 答复时间="", 答复内容="", 办理情况="", 已联系来电人="", 回访时间="",
                                   满意度="", 解决情况="", 回访记录=""))  # fmt: skip

    result = imports.history_import(actor=operator, file_name="旧系统2024.xlsx", content=content)

    assert result.status == HistoryImport.Status.DONE and result.tickets == 2
    assert bytes(result.content) == content
    closed = Ticket.objects.get(case__status=Case.Status.CLOSED)
    assert closed.channel == Channel.PHONE and closed.caller_phone == "13812341234"
    assert Reply.objects.get(ticket=closed).contacted_caller is True
    assert Callback.objects.get(ticket=closed).satisfaction == Callback.Satisfaction.UNSATISFIED
    assert ReopenRequest.objects.filter(ticket=closed, status="pending").exists()  # the unhappy caller
    assert Ticket.objects.get(case__status=Case.Status.OPEN).category.code == "010102"
    assert AuditEvent.objects.filter(action="hotline.history_imported", success=True).count() == 1


def test_the_csv_exported_from_chinese_excel_in_gb18030_is_read(operator, places):
    result = imports.history_import(
        actor=operator, file_name="导出.csv", content=csv_bytes(record(), encoding="gb18030")
    )

    assert result.status == HistoryImport.Status.DONE
    assert Ticket.objects.get().content.startswith("幸福路")


def test_every_bad_row_is_named_with_its_column_value_and_rule_and_nothing_is_written(operator, places):
    content = xlsx(
        record(),
        record(诉求类型="抱怨", 所在区域="999999"),
        record(答复内容="已转相关部门处理。"),
        record(签收时间="2024-09-26 10:00"),  # signed after the reply
        record(主办单位="不存在的局"),
        record(受理时间="去年秋天"),
    )

    result = imports.history_import(actor=operator, file_name="有错.xlsx", content=content)

    assert result.status == HistoryImport.Status.REFUSED
    errors = {(e["row"], e["column"]) for e in result.errors}
    assert {
        (3, "诉求类型"),
        (3, "所在区域"),
        (4, "答复内容"),
        (5, "答复时间"),
        (6, "主办单位"),
        (7, "受理时间"),
    } <= errors
    wrong_type = next(e for e in result.errors if e["column"] == "诉求类型")
    assert wrong_type["value"] == "抱怨" and "咨询" in wrong_type["message"]
    assert not Ticket.objects.exists() and not Case.objects.exists()
    assert bytes(HistoryImport.objects.get().content) == content  # kept although refused
    assert AuditEvent.objects.filter(action="hotline.history_import_refused", success=False).exists()


def test_a_file_without_the_template_columns_is_refused(operator, places):
    result = imports.history_import(
        actor=operator, file_name="x.csv", content="姓名,电话\n张三,123\n".encode()
    )

    assert result.status == HistoryImport.Status.REFUSED
    assert "缺少必填列" in result.errors[0]["message"]


def test_only_the_centre_imports(urban_handler, places):
    with pytest.raises(Exception, match="12345中心"):
        imports.history_import(actor=urban_handler, file_name="a.xlsx", content=xlsx(record()))


def test_the_template_has_the_columns_and_imports_back_when_filled(operator, places):
    wb = load_workbook(io.BytesIO(imports.template()))
    sheet = wb.active
    assert [c.value for c in sheet[1]] == HEADERS
    sheet.append(record())
    buffer = io.BytesIO()
    wb.save(buffer)

    assert imports.history_import(actor=operator, file_name="t.xlsx", content=buffer.getvalue()).tickets == 1


# --- the page: four permission cases ------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("hotline_data:import"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_unit_handler_may_not_import(client, urban_handler):
    client.force_login(urban_handler)

    assert client.get(reverse("hotline_data:import")).status_code == 403
    assert client.get(reverse("hotline_data:import_template")).status_code == 403


def test_an_operator_uploads_and_sees_the_row_errors(client, operator, places):
    client.force_login(operator)
    bad = SimpleUploadedFile("bad.xlsx", xlsx(record(诉求类型="抱怨")))

    response = client.post(reverse("hotline_data:import"), {"file": bad})

    assert response.status_code == 422
    page = response.content.decode()
    assert "未导入任何诉求" in page and "抱怨" in page and "诉求类型" in page
    good = SimpleUploadedFile("good.xlsx", xlsx(record()))
    done = client.post(reverse("hotline_data:import"), {"file": good})
    assert done.status_code == 200 and "已导入 1 件诉求" in done.content.decode()
    template = client.get(reverse("hotline_data:import_template"))
    assert template.status_code == 200 and template["Content-Type"] == imports.XLSX_CONTENT_TYPE


def test_another_centres_import_file_cannot_be_downloaded(client, operator, places, city):
    other_centre = UnitFactory(name="另一热线中心", region=city)
    other_operator = user_with_role(Role.OPERATOR, other_centre)
    mine = imports.history_import(actor=operator, file_name="mine.xlsx", content=xlsx(record()))
    client.force_login(other_operator)

    assert client.get(reverse("hotline_data:import_file", args=[mine.pk])).status_code == 404
    client.force_login(operator)
    own = client.get(reverse("hotline_data:import_file", args=[mine.pk]))
    assert own.status_code == 200 and own.content == bytes(mine.content)


# --- the command --------------------------------------------------------------------------------------------


def test_the_command_imports_a_file_as_an_operator(operator, places, tmp_path):
    path = tmp_path / "history.xlsx"
    path.write_bytes(xlsx(record()))
    out = io.StringIO()

    call_command("hotline_history", "import", str(path), "--as", operator.username, stdout=out)

    assert "已导入 1 件" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(record(诉求类型="抱怨")))
    with pytest.raises(CommandError, match="第2行"):
        call_command("hotline_history", "import", str(bad), "--as", operator.username)
