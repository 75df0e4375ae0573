from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.reports.review.numbers import decimals_shown, find_quantities, find_years, normalize, parse_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("308", 308),
        ("68,476", 68476),
        ("１２３", 123),
        ("99.23", Decimal("99.23")),
        ("4.3万", 43000),
        ("1000万", 10_000_000),
        ("10.55亿", 1_055_000_000),
        ("两千三百", 2300),
        ("一万零五", 10005),
        ("二百零八", 208),
        ("十二", 12),
        ("〇", 0),
        ("二〇二三", 2023),
        ("四亿五千万", 450_000_000),
        ("百分之三十二点四", Decimal("32.4")),
        ("百分之百", 100),
        ("万", 10_000),
    ],
)
def test_parse_number(written, value):
    assert parse_number(written) == Decimal(value)


@pytest.mark.parametrize("written", ["", "一是", "十四五", "abc", "三点五万"])
def test_parse_number_refuses_what_is_not_a_number(written):
    with pytest.raises(ValueError):
        parse_number(written)


@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_numerals_read_back_to_the_number_written(n):
    assert parse_number(cn2an.an2cn(n)) == n


@given(st.integers(min_value=0, max_value=10**9))
def test_full_width_digits_read_like_half_width(n):
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    [q] = find_quantities(normalize(f"受理{full}件").text)
    assert (q.value, q.unit) == (n, "件")


@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=0, max_value=99))
def test_percentages_keep_their_shown_precision(whole, cents):
    [q] = find_quantities(normalize(f"办结率{whole}.{cents:02d}％").text)
    assert q.value == Decimal(f"{whole}.{cents:02d}") and q.unit == "%" and q.decimals == 2


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("培训干部7000余人次", 7000, "人次", "余"),
        ("3000多名执法人员", 3000, "名", "余"),
        ("近4万人次", 40000, "人次", "近"),
        ("月接听量超万件", 10000, "件", "超过"),
        ("受理诉求突破1000万件", 10_000_000, "件", "超过"),
        ("满意率96%以上", 96, "%", "以上"),
        ("约1200件", 1200, "件", "约"),
        ("不足50件", 50, "件", "不足"),
        ("群众满意率为百分之九十八点五", Decimal("98.5"), "%", ""),
        ("查处资金4511万元", 45_110_000, "元", ""),
    ],
)
def test_qualifiers_units_and_multipliers(text, value, unit, qualifier):
    [q] = find_quantities(normalize(text).text)
    assert (q.value, q.unit, q.qualifier) == (Decimal(value), unit, qualifier)


def test_years_ordinals_and_words_are_not_counts():
    text = normalize("2023年第一次会议，一是推进“十四五”规划，行政执法三项制度，二〇二三年受理30件").text
    quantities = find_quantities(text)
    assert [(q.value, q.unit) for q in quantities] == [(3, "项"), (30, "件")]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2017-2019年分别为", 2017, 2019),
        ("2021—2023年", 2021, 2023),
        ("2016——2020年", 2016, 2020),
        ("2021至2023年", 2021, 2023),
        ("二〇二三年", 2023, 2023),
    ],
)
def test_years_and_ranges_across_years(text, first, last):
    [year] = find_years(normalize(text).text)
    assert (year.first, year.last) == (first, last)


def test_quotes_come_back_in_the_reports_own_characters():
    norm = normalize("办结率９５．６４％。")
    [q] = find_quantities(norm.text)
    assert norm.quote(q.start, q.end) == "９５．６４％"


def test_decimals_shown():
    assert decimals_shown("17.4") == 1
    assert decimals_shown("百分之三十二点四五") == 2
    assert decimals_shown("100") == 0
