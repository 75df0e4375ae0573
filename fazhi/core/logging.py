"""Keep citizen phone and ID numbers out of every log line."""

import logging
import re

# Mainland mobile numbers and 18-digit resident ID numbers (last character may be X).
PII_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def redact(text: str) -> str:
    return PII_PATTERN.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 7) + m.group(0)[-4:], text)


class PiiRedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
