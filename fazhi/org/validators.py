"""Checks for the codes the registers hold: 统一社会信用代码 (GB 32100-2015) and 行政区划代码.

Each check has two forms: `*_problem()` returns the broken rule as a Chinese phrase (or None),
so an import report can say "第7行「统一社会信用代码」值“…”：校验位错误，应为X"; `validate_*()`
raises a ValidationError with the field named, for services and forms.
"""

from django.core.exceptions import ValidationError

# GB 32100-2015 §4: 31 characters, digits and capitals without I, O, S, V, Z.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# 登记管理部门代码: 1 机构编制, 5 民政, 9 工商 and Y 其他 in the 2015 text; the others were
# assigned later (2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 军队编制, N 农业).
CREDIT_CODE_AUTHORITIES = "123456789ANY"


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the first seventeen: 31 − (Σ value×weight mod 31), with 31 → 0."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """What is wrong with an (upper-cased, stripped) 统一社会信用代码, or None if it is valid."""
    if len(code) != 18:
        return f"应为18位，实际为{len(code)}位"
    for position, char in enumerate(code, start=1):
        if char not in CREDIT_CODE_CHARSET:
            return f"第{position}位“{char}”不是允许的字符（只能是数字或除I、O、S、V、Z以外的大写字母）"
    if code[0] not in CREDIT_CODE_AUTHORITIES:
        allowed = "、".join(CREDIT_CODE_AUTHORITIES)
        return f"第1位登记管理部门代码“{code[0]}”无效，应为{allowed}之一"
    if code[1] not in "123456789":
        return f"第2位机构类别代码“{code[1]}”无效，应为1至9的数字"
    if not code[2:8].isdigit():
        return f"第3至8位登记管理机关行政区划码“{code[2:8]}”应为6位数字"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"校验位错误，应为{expected}"
    return None


def normalise_credit_code(value: str | None) -> str | None:
    """Blank means "none recorded"; otherwise upper-case without spaces (people paste them so)."""
    cleaned = "".join((value or "").split()).upper()
    return cleaned or None


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(normalise_credit_code(value) or "")
    if problem:
        raise ValidationError(f"统一社会信用代码{problem}。", code="invalid_credit_code")


# Region codes: GB/T 2260 six digits for province (XX0000), city (XXXX00) and county; the
# statistics bureau's 9-digit township and 12-digit village codes extend the county's code.
REGION_CODE_LENGTHS = {1: 6, 2: 6, 3: 6, 4: 9, 5: 12}


def region_code_problem(
    code: str, level: int, parent_code: str | None = None, parent_level: int | None = None
) -> str | None:
    """What is wrong with a region code at a level under an optional parent, or None."""
    if level not in REGION_CODE_LENGTHS:
        return f"层级“{level}”无效，应为1（省）至5（社区村）"
    length = REGION_CODE_LENGTHS[level]
    if not code.isdigit() or len(code) != length:
        return f"第{level}级区划代码应为{length}位数字"
    if level == 1 and (code[2:] != "0000" or code[:2] == "00"):
        return "省级区划代码应为“XX0000”形式（后四位为0）"
    if level == 2 and (code[4:] != "00" or code[2:4] == "00"):
        return "市级区划代码应为“XXXX00”形式（第3、4位不为00，后两位为0）"
    if level == 3 and code[4:] == "00":
        return "区县级区划代码后两位不能为00"
    if parent_code is None:
        return None
    if parent_level is not None and parent_level >= level:
        return "上级区划的层级应高于本级"
    # A city extends its province's 2 digits, a county its city's 4; a township or village code
    # starts with the whole code above it (a township may sit directly under a 不设区的市).
    if level >= 4:
        prefix = len(parent_code)
    else:
        prefix = {1: 2, 2: 4}.get(parent_level or 0, 2 if parent_code.endswith("0000") else 4)
    if not code.startswith(parent_code[:prefix]):
        return f"应以上级区划代码的前{prefix}位“{parent_code[:prefix]}”开头"
    return None


def validate_region_code(
    *, code: str, level: int, parent_code: str | None = None, parent_level: int | None = None
) -> None:
    problem = region_code_problem(code, level, parent_code, parent_level)
    if problem:
        raise ValidationError({"code": f"区划代码{problem}。"}, code="invalid_region_code")


# Boundary-item keywords: people type them with any of these between words.
KEYWORD_SEPARATORS = "、，,;；/ \t\n"


def split_keywords(value: str) -> list[str]:
    text = value or ""
    for sep in KEYWORD_SEPARATORS:
        text = text.replace(sep, "\n")
    return [w.strip() for w in text.split("\n") if w.strip()]
