"""What a citizen may attach on the portal: photos and PDF files, recognised by their first bytes
(`fazhi.core.uploads`, the check every upload passes)."""

from django.core.files.uploadedfile import UploadedFile

from fazhi.core import uploads
from fazhi.core.uploads import GIF, JPEG, PDF, PNG, WEBP

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024

ALLOWED = (JPEG, PNG, GIF, WEBP, PDF)
ALLOWED_TEXT = "JPG、PNG、GIF、WebP图片或PDF文件"


def check(upload: UploadedFile) -> str:
    """An error message naming the file and the rule, or "" when the file may be kept."""
    return uploads.upload_problem(
        upload, allowed=ALLOWED, max_bytes=MAX_FILE_BYTES, noun="附件", allowed_label=ALLOWED_TEXT
    )
