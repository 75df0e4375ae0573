"""Historical records in from Excel: replayed through the services, all or nothing, errors by row."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.cases.models import Case
from fazhi.core.models import AuditEvent
from fazhi.legal import xlsx
from fazhi.legal.models import Attendance, Lawsuit, Reconsideration, Result
from tests.org.factories import PASSWORD

pytestmark = pytest.mark.django_db


def workbook(kind: str, rows: list[dict]) -> SimpleUploadedFile:
    spec = xlsx.SHEETS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title
    ws.append([c.header for c in spec.columns])
    for row in rows:
        ws.append([row.get(c.key, "") for c in spec.columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def decided_row(**overrides) -> dict:
    row = {
        "received_on": "2024-09-27",
        "channel": "当面递交",
        "applicant_kind": "公民",
        "applicant_name": "李建国",
        "respondent": "明湖市城市管理局",
        "act_name": "行政处罚决定",
        "act_number": "明城管罚决字〔2024〕第0135号",
        "act_category": "行政处罚",
        "claims": "请求撤销罚款决定。",
        "correction_notified_on": "2024-09-30",
        "correction_items": "补充处罚决定书复印件",
        "correction_received_on": "2024-10-14",
        "acceptance": "已受理",
        "accepted_on": "2024-10-16",
        "procedure": "普通程序",
        "copy_served_on": "2024-10-18",
        "answer_received_on": "2024-10-30",
        "outcome": "撤销",
        "outcome_ground": "违反法定程序（第六十四条第一款第二项）",
        "remake_ordered": "是",
        "decided_on": "2024-12-10",
        "summary": "被申请人未告知陈述申辩权利。",
    }
    row.update(overrides)
    return row


def test_a_historical_case_is_replayed_with_every_deadline(clerk, body, urban):
    result = xlsx.import_file(
        "reconsiderations", actor=clerk, upload=workbook("reconsiderations", [decided_row()])
    )

    assert result.ok and result.created == 1
    rec = Reconsideration.objects.get()
    assert rec.case.number == "复〔2024〕1号" and rec.applicant_name == "李建国"
    assert (rec.correction_due, rec.review_due) == (date(2024, 10, 18), date(2024, 10, 21))
    assert (rec.copy_due, rec.answer_due) == (date(2024, 10, 25), date(2024, 11, 1))
    assert rec.case.due_date == date(2024, 12, 16)
    assert rec.outcome == "annulled" and rec.remake_ordered and rec.case.status == Case.Status.CLOSED
    assert [e.action for e in rec.case.timeline.all()][:3] == ["opened", "suspended", "resumed"]


def test_one_bad_row_stops_the_whole_file_and_is_named(clerk, body, urban):
    rows = [
        decided_row(),
        decided_row(
            act_number="明城管罚决字〔2024〕第0200号", respondent="不存在的局", accepted_on="2024-13-01"
        ),
        decided_row(
            act_number="明城管罚决字〔2024〕第0201号",
            acceptance="不予受理",
            accepted_on="2024-10-11",
            rejection_ground="不属于行政复议范围（第三十条第一款第五项、第十二条）",
            outcome="",
            decided_on="",
        ),
    ]
    result = xlsx.import_file("reconsiderations", actor=clerk, upload=workbook("reconsiderations", rows))

    assert not result.ok and result.created == 0
    messages = [str(e) for e in result.errors]
    assert any(m.startswith("第3行「被申请人」") for m in messages)
    assert any(m.startswith("第3行「受理日期」") and "YYYY-MM-DD" in m for m in messages)
    assert not Reconsideration.objects.exists()
    assert AuditEvent.objects.filter(action="legal.import_reconsiderations", success=False).exists()


def test_a_rule_broken_in_replay_is_reported_by_row_and_rolls_back(clerk, body, urban):
    rows = [
        decided_row(),
        decided_row(
            act_number="明城管罚决字〔2024〕第0201号",
            correction_notified_on="",
            correction_items="",
            correction_received_on="",
            acceptance="不予受理",
            accepted_on="2024-10-11",
            rejection_ground="不属于行政复议范围（第三十条第一款第五项、第十二条）",
            outcome="",
            decided_on="",
        ),
    ]
    result = xlsx.import_file("reconsiderations", actor=clerk, upload=workbook("reconsiderations", rows))

    assert not result.ok
    assert any(str(e).startswith("第3行") and "第三十三条" in str(e) for e in result.errors)
    assert not Reconsideration.objects.exists() and not Case.objects.exists()


def test_the_same_application_is_not_imported_twice(clerk, body, urban):
    xlsx.import_file("reconsiderations", actor=clerk, upload=workbook("reconsiderations", [decided_row()]))
    again = xlsx.import_file(
        "reconsiderations", actor=clerk, upload=workbook("reconsiderations", [decided_row()])
    )
    assert not again.ok and "已在系统中登记" in str(again.errors[0])


def test_only_the_body_imports_reconsiderations(urban_handler, body):
    with pytest.raises(PermissionDenied):
        xlsx.import_file(
            "reconsiderations", actor=urban_handler, upload=workbook("reconsiderations", [decided_row()])
        )


def lawsuit_row(**overrides) -> dict:
    row = {
        "court": "明湖市湖滨区人民法院",
        "court_number": "（2025）鲁9902行初1号",
        "instance": "一审",
        "defendant": "明湖市城市管理局",
        "plaintiff_kind": "法人",
        "plaintiff_org": "明湖市某建材有限公司",
        "act_name": "责令停产整治决定",
        "act_category": "行政处罚",
        "filed_on": "2025-01-20",
        "complaint_received_on": "2025-01-24",
        "defence_filed_on": "2025-02-07",
        "judgment_type": "判决撤销或者部分撤销",
        "judgment_on": "2025-04-25",
        "judgment_served_on": "2025-04-28",
        "appealed_by": "行政机关上诉",
        "concluded_on": "2025-05-09",
    }
    row.update(overrides)
    return row


def test_lawsuits_and_their_appeals_come_in_together(urban_handler, urban):
    rows = [
        lawsuit_row(),
        lawsuit_row(
            court="明湖市中级人民法院",
            court_number="（2025）鲁99行终3号",
            instance="二审",
            appeal_of="（2025）鲁9902行初1号",
            filed_on="2025-06-03",
            complaint_received_on="2025-06-05",
            defence_filed_on="2025-06-18",
            judgment_type="判决驳回上诉、维持原判",
            judgment_on="2025-08-01",
            judgment_served_on="2025-08-04",
            appealed_by="",
            concluded_on="",
        ),
    ]
    result = xlsx.import_file("lawsuits", actor=urban_handler, upload=workbook("lawsuits", rows))

    assert result.ok, [str(e) for e in result.errors]
    first, second = Lawsuit.objects.order_by("filed_on")
    assert first.defence_due == date(2025, 2, 8) and first.appealed_by == "defendant"
    assert second.appeal_of == first and second.result == Result.LOST
    assert second.case.status == Case.Status.CLOSED


def test_hearing_attendance_comes_in_by_court_number(urban_handler, urban):
    xlsx.import_file("lawsuits", actor=urban_handler, upload=workbook("lawsuits", [lawsuit_row()]))
    rows = [
        {
            "court_number": "（2025）鲁9902行初1号",
            "held_at": "2025-03-12 09:00",
            "head_summoned": "是",
            "unit": "明湖市城市管理局",
            "attendees": "王志强/局长/正职负责人；刘明/法规科科长/工作人员",
        },
        {
            "court_number": "（2025）鲁9902行初1号",
            "held_at": "2025-04-02 09:00",
            "unit": "明湖市城市管理局",
            "attendees": "刘明/法规科科长/局长",
            "absence_reason": "需要履行他人不能代替的公务",
        },
    ]
    bad = xlsx.import_file("hearings", actor=urban_handler, upload=workbook("hearings", rows))
    assert not bad.ok and "出庭身份" in str(bad.errors[0]) and str(bad.errors[0]).startswith("第3行")

    rows[1]["attendees"] = "刘明/法规科科长/工作人员"
    result = xlsx.import_file("hearings", actor=urban_handler, upload=workbook("hearings", rows))
    assert result.ok, [str(e) for e in result.errors]
    capacities = sorted(a.absence_reason for a in Attendance.objects.all())
    assert capacities == ["", "duty"]


def test_the_import_page_follows_the_permission_cases(client, clerk, urban_handler, body):
    url = reverse("legal:import", args=["reconsiderations"])
    assert client.get(url).status_code == 302
    client.login(username=urban_handler.username, password=PASSWORD)
    assert client.get(url).status_code == 403
    client.logout()
    client.login(username=clerk.username, password=PASSWORD)
    template = client.get(url, {"template": 1})
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).active["B1"].value == "收到申请日期"
    response = client.post(
        url, {"file": workbook("reconsiderations", [decided_row(respondent="不存在的局")])}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "<td>2</td><td>被申请人</td><td>不存在的局</td>" in page


def test_the_sweep_command_deems_lapsed_reviews_accepted(clerk, body, urban, capsys):
    xlsx.import_file(
        "reconsiderations",
        actor=clerk,
        upload=workbook(
            "reconsiderations",
            [
                decided_row(
                    correction_notified_on="",
                    correction_items="",
                    correction_received_on="",
                    acceptance="审查中",
                    accepted_on="",
                    procedure="",
                    copy_served_on="",
                    answer_received_on="",
                    outcome="",
                    outcome_ground="",
                    remake_ordered="",
                    decided_on="",
                    summary="",
                )
            ],
        ),
    )
    call_command("legal_sweep", "--today", "2024-10-11")
    assert "视为受理 1 件" in capsys.readouterr().out
    assert Reconsideration.objects.get().acceptance == "deemed"
