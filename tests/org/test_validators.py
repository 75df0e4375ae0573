import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from fazhi.org.validators import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    credit_code_problem,
    region_code_problem,
    validate_credit_code,
    validate_region_code,
)
from tests.org.factories import credit_code


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the worked example printed with GB 32100-2015 guidance
        "91440300708461136T",  # a Shenzhen company, from its public business licence
        credit_code(1),
        credit_code(123456789, prefix="12"),
        credit_code(42, prefix="51"),
        credit_code(7, prefix="Y1"),
    ],
)
def test_valid_credit_codes_pass(code):
    assert credit_code_problem(code) is None
    validate_credit_code(code)


def test_check_char_31_wraps_to_zero():
    # Find a body whose weighted sum is divisible by 31: the check char must be "0", not "31".
    body = next(
        f"91410900{n:09d}"
        for n in range(10_000)
        if sum(
            CREDIT_CODE_CHARSET.index(c) * w
            for c, w in zip(
                f"91410900{n:09d}",
                (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
                strict=True,
            )
        )
        % 31
        == 0
    )
    assert credit_code_check_char(body) == "0"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y4", "应为18位，实际为17位"),
        ("91350100M000100Y44", "校验位错误，应为3"),
        ("91350100M000100I43", "第16位“I”不是允许的字符"),
        ("B1350100M000100Y43", "第1位登记管理部门代码“B”无效"),
        ("90350100M000100Y43", "第2位机构类别代码“0”无效"),
        ("9135A100M000100Y43", "第3至8位登记管理机关行政区划码“35A100”应为6位数字"),
    ],
)
def test_invalid_credit_codes_say_what_is_wrong(code, problem):
    assert problem in credit_code_problem(code)


def test_validate_credit_code_names_the_field_and_tolerates_case_and_spaces():
    validate_credit_code(" 91350100m000100y43 ")
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert exc.value.messages == ["统一社会信用代码校验位错误，应为3。"]


@given(st.text(alphabet=CREDIT_CODE_CHARSET, min_size=15, max_size=15))
def test_every_body_with_its_check_char_is_valid_and_any_other_check_char_is_not(tail):
    first17 = "91" + tail
    if not first17[2:8].isdigit():
        first17 = first17[:2] + "410900" + first17[8:]
    check = credit_code_check_char(first17)
    assert credit_code_problem(first17 + check) is None
    wrong = next(c for c in CREDIT_CODE_CHARSET if c != check)
    assert credit_code_problem(first17 + wrong) == f"校验位错误，应为{check}"


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "parent_level"),
    [
        ("410000", 1, None, None),  # 河南省
        ("410900", 2, "410000", 1),  # 濮阳市
        ("410923", 3, "410900", 2),  # 南乐县
        ("210214", 3, "210200", 2),  # 大连市普兰店区
        ("429004", 3, "420000", 1),  # 仙桃市: a county-level city directly under the province
        ("410923100", 4, "410923", 3),  # a town of 南乐县
        ("441900003", 4, "441900", 2),  # 东莞市 streets sit directly under the city
        ("410923100001", 5, "410923100", 4),
        ("410900", 2, None, None),  # a city install needs no province above it
    ],
)
def test_valid_region_codes(code, level, parent_code, parent_level):
    assert region_code_problem(code, level, parent_code, parent_level) is None


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "parent_level", "problem"),
    [
        ("41000", 1, None, None, "第1级区划代码应为6位数字"),
        ("410900", 1, None, None, "省级区划代码应为“XX0000”形式"),
        ("410000", 2, None, None, "市级区划代码应为“XXXX00”形式"),
        ("410923", 2, None, None, "市级区划代码应为“XXXX00”形式"),
        ("410900", 3, None, None, "区县级区划代码后两位不能为00"),
        ("4109231", 4, "410923", 3, "第4级区划代码应为9位数字"),
        ("420900", 2, "410000", 1, "应以上级区划代码的前2位“41”开头"),
        ("411023", 3, "410900", 2, "应以上级区划代码的前4位“4109”开头"),
        ("410922100", 4, "410923", 3, "应以上级区划代码的前6位“410923”开头"),
        ("410923", 3, "410923100", 4, "上级区划的层级应高于本级"),
        ("410923", 7, None, None, "层级“7”无效"),
    ],
)
def test_invalid_region_codes_say_what_is_wrong(code, level, parent_code, parent_level, problem):
    assert problem in region_code_problem(code, level, parent_code, parent_level)


def test_validate_region_code_reports_on_the_code_field():
    with pytest.raises(ValidationError) as exc:
        validate_region_code(code="420900", level=2, parent_code="410000", parent_level=1)
    assert "code" in exc.value.message_dict
