"""What a citizen may attach on the portal: photos and PDF files, recognised by their first bytes.

The extension and the browser's content type are the sender's word; the magic bytes are the
file's. A file whose bytes and extension disagree is refused, so a script renamed to .jpg never
reaches the handling unit's desk.
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]


JPEG = Kind("JPEG图片", (".jpg", ".jpeg"))
PNG = Kind("PNG图片", (".png",))
GIF = Kind("GIF图片", (".gif",))
WEBP = Kind("WebP图片", (".webp",))
PDF = Kind("PDF文件", (".pdf",))
ALLOWED = (JPEG, PNG, GIF, WEBP, PDF)
ALLOWED_TEXT = "JPG、PNG、GIF、WebP图片或PDF文件"


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
    return None


def check(upload: UploadedFile) -> str:
    """An error message naming the file and the rule, or "" when the file may be kept."""
    name = upload.name or "附件"
    if upload.size > MAX_FILE_BYTES:
        return f"附件「{name}」为{upload.size / 1024 / 1024:.1f}MB，每个附件不超过{MAX_FILE_BYTES // 1024 // 1024}MB。"
    if upload.size == 0:
        return f"附件「{name}」是空文件。"
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        return f"附件「{name}」不是{ALLOWED_TEXT}（按文件内容识别）。"
    if not name.lower().endswith(kind.extensions):
        return f"附件「{name}」的内容是{kind.label}，但扩展名不符，请使用{'或'.join(kind.extensions)}。"
    return ""
