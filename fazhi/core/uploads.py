"""What a file is, by its first bytes: the one check every upload passes (case attachments,
evidence, answers, the portal).

The extension and the browser's content type are the sender's word; the magic bytes are the
file's. A file whose bytes and extension disagree is refused, so a program renamed to .pdf never
reaches anyone's desk.
"""

import hashlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]


JPEG = Kind("JPEG图片", (".jpg", ".jpeg"))
PNG = Kind("PNG图片", (".png",))
GIF = Kind("GIF图片", (".gif",))
WEBP = Kind("WebP图片", (".webp",))
PDF = Kind("PDF文件", (".pdf",))
# Office Open XML, OFD and plain archives are all ZIP containers.
ZIP = Kind("Word/Excel/OFD文档或ZIP压缩包", (".docx", ".xlsx", ".pptx", ".ofd", ".zip"))
# The older Office and WPS formats are OLE2 compound files.
OLE2 = Kind("旧版Word/Excel/WPS文档", (".doc", ".xls", ".ppt", ".wps", ".et"))
TEXT = Kind("文本文件", (".txt",))

IMAGES = (JPEG, PNG, GIF, WEBP)
DOCUMENTS = (*IMAGES, PDF, ZIP, OLE2, TEXT)


def sniff(head: bytes) -> Kind | None:
    """The kind the file's first bytes say it is, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def allowed_text(allowed: tuple[Kind, ...]) -> str:
    return "、".join(kind.label for kind in allowed)


def upload_problem(
    upload: UploadedFile,
    *,
    allowed: tuple[Kind, ...],
    max_bytes: int,
    noun: str = "文件",
    allowed_label: str = "",
) -> str:
    """An error naming the file and the rule it breaks, or "" when the file may be kept."""
    name = upload.name or noun
    if upload.size > max_bytes:
        return f"{noun}「{name}」为{upload.size / 1024 / 1024:.1f}MB，每个{noun}不超过{max_bytes // 1024 // 1024}MB。"
    if upload.size == 0:
        return f"{noun}「{name}」是空文件。"
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    kind = sniff(head)
    if kind is None and TEXT in allowed and name.lower().endswith(TEXT.extensions) and _is_text(head[:4000]):
        kind = TEXT
    if kind is None or kind not in allowed:
        return f"{noun}「{name}」不是{allowed_label or allowed_text(allowed)}（按文件内容识别）。"
    if not name.lower().endswith(kind.extensions):
        return f"{noun}「{name}」的内容是{kind.label}，但扩展名不符，请使用{'或'.join(kind.extensions)}。"
    return ""


def sha256_of(upload: UploadedFile) -> str:
    """The file's SHA-256 (kept with every stored file, so a later copy can be checked against it)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
