import io
import logging

import pytest

from fazhi.core.logging import PiiRedactingFilter, install_record_factory, redact


@pytest.fixture
def captured():
    """A logger writing to a buffer through the PII filter, as settings.LOGGING sets up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PiiRedactingFilter())
    logger = logging.getLogger("tests.pii")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来电 13812341234", "来电 138****1234"),
        ("来电 +86 138-1234-1234 未接通", "来电 138****1234 未接通"),
        ("号码:+8613812341234", "号码:138****1234"),
        ("身份证 110101199003071234。", "身份证 110101********1234。"),
        ('{"id_number": "11010119900307123x"}', '{"id_number": "110101********123X"}'),
    ],
)
def test_phone_and_id_numbers_are_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    ["工单 2024-000123 已办结", "耗时 1234 ms", "编号 12345678", "2025-01-01 08:00:00 请求 /cases/42/"],
)
def test_ordinary_numbers_are_left_alone(text):
    assert redact(text) == text


def test_arguments_of_a_log_call_are_redacted(captured):
    logger, stream = captured

    logger.info("来电号码 %s 证件 %s", "13812341234", "110101199003071234")

    line = stream.getvalue()
    assert "13812341234" not in line and "110101199003071234" not in line
    assert "138****1234" in line and "110101********1234" in line


def test_exception_text_is_redacted(captured):
    logger, stream = captured

    try:
        raise ValueError("号码 13812341234 格式不对")
    except ValueError:
        logger.exception("处理失败")

    assert "13812341234" not in stream.getvalue()
    assert "138****1234" in stream.getvalue()


def test_records_are_redacted_even_on_handlers_without_the_filter():
    install_record_factory()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # e.g. Django's own console handler
    logger = logging.getLogger("tests.pii.unfiltered")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Not Found: /api/v1/tickets?phone=%s", "13812341234")
    finally:
        logger.removeHandler(handler)

    assert "13812341234" not in stream.getvalue()


def test_settings_install_the_filter_on_the_console_handler(settings):
    assert settings.LOGGING["filters"]["pii"]["()"] == "fazhi.core.logging.PiiRedactingFilter"
    assert "pii" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_request_carrying_a_phone_number_is_logged_masked(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/api/v1/lookup/13812341234/")

    assert response.status_code in (401, 404)
    assert "13812341234" not in caplog.text
    assert "138****1234" in caplog.text  # the line was written, masked
