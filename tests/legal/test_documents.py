"""Documents: drafted from the templates, edited, issued as numbered DOCX kept on the case."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.legal import documents, services
from fazhi.legal.models import DocumentKind, DocumentTemplate, LegalDocument, Outcome
from tests.legal.factories import accepted, apply, decided

pytestmark = pytest.mark.django_db


def issued_text(document: LegalDocument) -> list[str]:
    document.attachment.file.open("rb")
    try:
        return documents.docx_text(document.attachment.file.read())
    finally:
        document.attachment.file.close()


def test_an_acceptance_notice_is_drafted_edited_and_issued_with_a_number(
    clerk, body, urban, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    rec = accepted(clerk, body, urban)

    draft = services.document_draft(case=rec.case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=clerk)
    assert draft.status == LegalDocument.Status.DRAFT and draft.number == ""
    assert draft.text.startswith("李建国：")  # served on the applicant: the full name
    assert (
        "2024年9月27日" in draft.text and "2024年10月9日起予以受理" in draft.text and "六十日" in draft.text
    )

    services.document_update(
        document=draft, actor=clerk, text=draft.text + "\n联系人：张某，电话：0539-1234567。"
    )
    issued = services.document_issue(document=draft, actor=clerk, issued_on=date(2024, 10, 9))

    assert issued.number == "明政复受字〔2024〕1号"
    assert issued.attachment.case == rec.case and issued.attachment.name == "明政复受字〔2024〕1号.docx"
    paragraphs = issued_text(issued)
    assert paragraphs[:3] == ["明湖市人民政府", "行政复议受理通知书", "明政复受字〔2024〕1号"]
    assert "联系人：张某，电话：0539-1234567。" in paragraphs
    assert paragraphs[-1] == "2024年10月9日"


def test_an_issued_document_is_frozen(clerk, body, urban, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rec = accepted(clerk, body, urban)
    draft = services.document_draft(case=rec.case, kind=DocumentKind.ANSWER_NOTICE, actor=clerk)
    services.document_issue(document=draft, actor=clerk, issued_on=date(2024, 10, 10))

    with pytest.raises(ValidationError, match="已签发"):
        services.document_update(
            document=draft, actor=clerk, text="改动后的正文内容，共二十个字以上，用于测试修改。"
        )
    with pytest.raises(ValidationError, match="已于2024-10-10签发"):
        services.document_issue(document=draft, actor=clerk)
    with pytest.raises(ValidationError, match="已有"):
        services.document_draft(case=rec.case, kind=DocumentKind.ANSWER_NOTICE, actor=clerk)


def test_numbers_run_per_kind_and_year(clerk, body, urban, market, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    second = decided(clerk, body, market, Outcome.UPHELD, "lawful", received_at=first.case.received_at)
    numbers = []
    for rec in (first, second):
        draft = services.document_draft(case=rec.case, kind=DocumentKind.DECISION, actor=clerk)
        numbers.append(
            services.document_issue(document=draft, actor=clerk, issued_on=date(2024, 11, 20)).number
        )
    assert numbers == ["明政复决字〔2024〕1号", "明政复决字〔2024〕2号"]


def test_the_decision_states_the_outcome_its_ground_and_article(clerk, body, urban):
    rec = decided(clerk, body, urban, Outcome.CONFIRMED_UNLAWFUL, "minor_procedure")

    draft = services.document_draft(case=rec.case, kind=DocumentKind.DECISION, actor=clerk)

    assert draft.title == "行政复议决定书"
    assert "程序轻微违法，但是对申请人权利不产生实际影响" in draft.text
    assert "第六十五条" in draft.text and "确认被申请人作出的行政处罚决定违法" in draft.text
    assert "十五日内" in draft.text  # the applicant may sue


def test_a_mediation_gives_a_mediation_document_without_appeal_notice(clerk, body, urban):
    rec = decided(clerk, body, urban, Outcome.MEDIATED, "mediation_agreement")

    draft = services.document_draft(case=rec.case, kind=DocumentKind.DECISION, actor=clerk)

    assert draft.title == "行政复议调解书" and "提起行政诉讼" not in draft.text


def test_the_rejection_decision_names_the_competent_body(clerk, body, urban):
    rec = apply(clerk, body, urban)
    services.reconsideration_reject(
        reconsideration=rec,
        actor=clerk,
        rejected_on=date(2024, 10, 8),
        ground="not_competent",
        competent_body="国家税务总局明湖市税务局",
    )

    draft = services.document_draft(case=rec.case, kind=DocumentKind.REJECTION_DECISION, actor=clerk)

    assert "不属于本机关管辖" in draft.text and "国家税务总局明湖市税务局" in draft.text


def test_the_correction_notice_lists_the_items(clerk, body, urban):
    rec = apply(clerk, body, urban)
    services.correction_request(
        reconsideration=rec,
        actor=clerk,
        items="1. 行政处罚决定书复印件；2. 申请人身份证明。",
        notified_on=date(2024, 9, 30),
    )

    draft = services.document_draft(case=rec.case, kind=DocumentKind.CORRECTION_NOTICE, actor=clerk)

    assert "1. 行政处罚决定书复印件" in draft.text and "十个工作日" in draft.text


def test_documents_wait_for_the_step_they_record(clerk, body, urban):
    rec = apply(clerk, body, urban)
    for kind in (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.DECISION, DocumentKind.CORRECTION_NOTICE):
        with pytest.raises(ValidationError, match="当前状态"):
            services.document_draft(case=rec.case, kind=kind, actor=clerk)


def test_the_template_is_data_the_installation_edits(clerk, body, urban):
    DocumentTemplate.objects.filter(kind=DocumentKind.ACCEPTANCE_NOTICE).update(
        body="{{ applicant }}：你的申请已于{{ accepted|date:'Y年n月j日' }}受理。本机关地址：明湖市政务中心三楼。"
    )
    rec = accepted(clerk, body, urban)

    draft = services.document_draft(case=rec.case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=clerk)

    assert draft.text == "李建国：你的申请已于2024年10月9日受理。本机关地址：明湖市政务中心三楼。"


def test_only_the_case_handler_writes_documents(clerk, body, urban, urban_handler):
    rec = accepted(clerk, body, urban)
    with pytest.raises(PermissionDenied):
        services.document_draft(case=rec.case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=urban_handler)
    draft = services.document_draft(case=rec.case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=clerk)
    with pytest.raises(PermissionDenied):
        services.document_issue(document=draft, actor=urban_handler)
