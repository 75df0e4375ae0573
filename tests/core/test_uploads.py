"""Every upload is judged by its bytes, not by its name: case attachments, evidence, answers."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.cases import services
from fazhi.cases.models import Attachment
from fazhi.core import uploads
from tests.cases.factories import open_case


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("答复书.pdf", b"%PDF-1.7 ..."),
        ("现场.jpg", b"\xff\xd8\xff\xe0 jpeg"),
        ("处理意见.docx", docx_bytes()),
        ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel"),
        ("情况说明.txt", "施工单位已停工，现场已围挡。".encode("gb18030")),
    ],
)
def test_documents_a_government_office_sends_are_kept(name, content):
    upload = SimpleUploadedFile(name, content)
    assert uploads.upload_problem(upload, allowed=uploads.DOCUMENTS, max_bytes=1024 * 1024) == ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("通知.pdf", b"MZ\x90\x00 program", "不是"),
        ("run.exe", b"MZ\x90\x00", "不是"),
        ("照片.pdf", b"\x89PNG\r\n\x1a\n....", "内容是PNG图片，但扩展名不符"),
        ("脚本.txt", b"\x00\x01binary", "不是"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_a_file_whose_bytes_are_not_what_its_name_says_is_refused(name, content, message):
    problem = uploads.upload_problem(
        SimpleUploadedFile(name, content), allowed=uploads.DOCUMENTS, max_bytes=1024
    )
    assert message in problem and name in problem


def test_a_case_attachment_that_is_a_program_is_refused_and_nothing_is_kept(unit, handler):
    case = open_case(unit)

    with pytest.raises(ValidationError, match="按文件内容识别"):
        services.attachment_add(
            case=case, actor=handler, upload=SimpleUploadedFile("证据.pdf", b"MZ\x90\x00")
        )

    assert not Attachment.objects.exists()
