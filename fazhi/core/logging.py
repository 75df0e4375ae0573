"""Keep citizen phone and ID numbers out of every log line.

Two layers, because settings.LOGGING does not own every handler: Django's own "django" logger
keeps handlers from its default configuration, and third-party code may add more.

- ``PiiRedactingFilter`` sits on the handlers settings.LOGGING configures;
- building that filter also installs a log-record factory, so every record in the process is
  redacted when it is created, whichever handler later writes it.

The message, its arguments, the exception text and the stack are all redacted. Masks match
what screens show (crypto.mask_phone, crypto.mask_id).
"""

import logging
import re

from fazhi.core.crypto import mask_id, mask_phone

# 18-digit resident ID numbers (last character may be X); mainland mobiles with an optional
# +86 and the spaces or dashes people type ("+86 138-1234-1234").
_ID = r"\d{17}[\dXx]"
_PHONE = r"(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}"
PII_PATTERN = re.compile(rf"(?<![\d+])(?:(?P<id>{_ID})|(?P<phone>{_PHONE}))(?![\dXx])")


def _mask(match: re.Match) -> str:
    return mask_id(match["id"]) if match["id"] else mask_phone(match["phone"])


def redact(text: str) -> str:
    return PII_PATTERN.sub(_mask, text)


def redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:
        return  # a malformed record: leave it to logging's own error reporting
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text when set, so the traceback is written redacted.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


_factory_installed = False


def install_record_factory() -> None:
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True


class PiiRedactingFilter(logging.Filter):
    def __init__(self, name: str = ""):
        super().__init__(name)
        install_record_factory()

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True
