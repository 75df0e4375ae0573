"""Report review from uploads: the engine in `review` reads the file; each upload is audited with
the file's name, size and SM3 digest, so what was reviewed can be matched to the file later."""

from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core import audit
from fazhi.org.models import User
from fazhi.reports.permissions import can_review_reports
from fazhi.reports.review import Comparison, Review, UnreadableReport, compare, review_file

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_COMPARE_FILES = 20


def _file_facts(name: str, data: bytes) -> dict:
    return {"file": name, "bytes": len(data), "sm3": audit.sm3_hex(data)}


def _read(*, actor: User, name: str, data: bytes, action: str) -> Review:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"“{name}”超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请只上传报告正文。"}
        )
    try:
        return review_file(name, data)
    except UnreadableReport as exc:
        audit.record(
            actor=actor, action=action, after=_file_facts(name, data), success=False, message=f"{name}：{exc}"
        )
        raise ValidationError({"file": f"“{name}”：{exc}"}) from exc


def report_review_upload(*, actor: User, name: str, data: bytes) -> Review:
    """Review one uploaded report (TXT, DOCX or HTML) and audit the upload."""
    if not can_review_reports(actor):
        raise PermissionDenied("只有在岗工作人员可以使用报告审查。")
    review = _read(actor=actor, name=name, data=data, action="reports.reviewed")
    audit.record(
        actor=actor,
        action="reports.reviewed",
        after={
            **_file_facts(name, data),
            "region": review.region,
            "year": review.year,
            "missing_parts": [p.name for p in review.missing_parts],
            "figures": len(review.figures),
            "problems": len([c for c in review.checks if not c.ok]),
        },
        message=f"审查报告{name}",
    )
    return review


def report_compare_upload(*, actor: User, files: list[tuple[str, bytes]]) -> tuple[Comparison, list[Review]]:
    """Review several uploaded reports and set them side by side (region × indicator)."""
    if not can_review_reports(actor):
        raise PermissionDenied("只有在岗工作人员可以使用报告审查。")
    if len(files) < 2:
        raise ValidationError({"files": "请至少选择两份报告进行对照。"})
    if len(files) > MAX_COMPARE_FILES:
        raise ValidationError({"files": f"一次最多对照{MAX_COMPARE_FILES}份报告。"})
    try:
        reviews = [
            _read(actor=actor, name=name, data=data, action="reports.compared") for name, data in files
        ]
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from exc
    audit.record(
        actor=actor,
        action="reports.compared",
        after={"files": [_file_facts(name, data) for name, data in files]},
        message=f"对照{len(files)}份报告",
    )
    return compare(reviews), reviews
