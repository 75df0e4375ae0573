"""Numbers as Chinese government reports write them.

Arabic or Chinese numerals (两, 〇, 十/百/千/万/亿 composites), 万/亿 after Arabic digits,
percentages (%, ％, 百分之…), full-width digits and punctuation, qualifiers (余, 近, 以上, 超过, 约 …)
and year ranges (2021—2023年). The Chinese-numeral arithmetic itself is cn2an's.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

# Kept as written: "，" separates clauses while an ASCII "," may be a thousands separator.
_KEEP = frozenset("，")
_DASHES = frozenset("—–―‒‑‐－~～")

CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_NUMERAL = f"[{CN_NUMERAL_CHARS}]+(?:点[零〇一二两三四五六七八九]+)?"

# What a qualifier means for the figure, keyed by how reports write it.
QUALIFIERS = {
    "近": "近",
    "将近": "近",
    "接近": "近",
    "约": "约",
    "大约": "约",
    "左右": "约",
    "上下": "约",
    "超过": "超过",
    "超": "超过",
    "逾": "超过",
    "突破": "超过",
    "以上": "以上",
    "余": "余",
    "多": "余",
    "不足": "不足",
    "不到": "不足",
    "以下": "以下",
    "以内": "以下",
}

UNITS = (
    "个百分点",
    "百分点",
    "件次",
    "人次",
    "场次",
    "户次",
    "万元",
    "亿元",
    "件",
    "个",
    "项",
    "名",
    "人",
    "份",
    "次",
    "本",
    "条",
    "家",
    "所",
    "宗",
    "卷",
    "批",
    "场",
    "户",
    "起",
    "篇",
    "元",
    "%",
)

_QUANTITY = re.compile(
    r"(?P<pre>将近|接近|大约|超过|突破|不足|不到|近|约|逾|超)?"
    r"(?P<num>百分之" + _CN_NUMERAL + r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + _CN_NUMERAL + r")"
    r"(?P<mult>万亿|千万|百万|亿|万)?"
    r"(?P<mid>余|多)?"
    r"(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")?"
    r"(?P<post>以上|左右|上下|以下|以内|余)?"
)
_YEAR_RANGE = re.compile(
    r"(?P<a>(?:19|20)\d{2})\s*年?\s*(?:-+|至|到)\s*(?P<b>(?:19|20)\d{2})\s*年(?P<du>度)?"
)
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2}|[一二〇零][〇零一二三四五六七八九]{3})\s*年(?P<du>度)?")
_MULTIPLIERS = {"万": 10**4, "亿": 10**8, "百万": 10**6, "千万": 10**7, "万亿": 10**12}


@dataclass(frozen=True)
class Normalized:
    """Text with digits and punctuation made half-width, and where each character came from."""

    text: str
    origin: list[int]
    source: str

    def quote(self, start: int, end: int) -> str:
        return self.source[self.origin[start] : self.origin[end]]


def normalize(source: str) -> Normalized:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(source):
        if ch in _KEEP:
            out = ch
        elif ch in _DASHES:
            out = "-"
        else:
            out = unicodedata.normalize("NFKC", ch)
        for c in out:
            chars.append(c)
            origin.append(i)
    origin.append(len(source))
    return Normalized("".join(chars), origin, source)


def parse_number(text: str) -> Decimal:
    """The value of one written number: "1,234.5", "4.3万", "两千三百", "二〇二三", "百分之三十二点四".

    Raises ValueError when the text is not a number."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if raw.startswith("百分之"):
        return parse_number(raw[3:])
    multiplier = 1
    for suffix in ("万亿", "千万", "百万", "亿", "万"):
        head = raw[: -len(suffix)]
        if raw.endswith(suffix) and head and re.fullmatch(r"[\d.,]+", head):
            raw, multiplier = head, _MULTIPLIERS[suffix]
            break
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", raw):
        return Decimal(raw.replace(",", "")) * multiplier
    if raw in {"十", "百", "千", "万", "亿"}:
        # "超万件", "近百人": a bare order of magnitude, which cn2an refuses.
        return Decimal({"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}[raw])
    if not raw or any(c not in CN_NUMERAL_CHARS + "点" for c in raw):
        raise ValueError(f"不是数字：{text}")
    if "点" in raw and any(c in "十百千万亿" for c in raw.split("点", 1)[1]):
        raise ValueError(f"不是数字：{text}")
    if re.fullmatch(r"[〇零一二三四五六七八九]{2,}", raw):
        # Digit by digit, as in 二〇二三 (a year) — cn2an reads these only in its loose mode.
        return Decimal("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in raw))
    try:
        value = cn2an.cn2an(raw, "normal")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"不是数字：{text}") from exc
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:  # pragma: no cover - cn2an returns int or float
        raise ValueError(f"不是数字：{text}") from exc


def decimals_shown(text: str) -> int:
    """How many decimal places a written number shows: "99.23" → 2, "百分之十七点四" → 1."""
    raw = unicodedata.normalize("NFKC", text)
    for separator in (".", "点"):
        if separator in raw:
            tail = raw.split(separator, 1)[1]
            return len(re.match(r"[\d〇零一二两三四五六七八九]*", tail).group(0))
    return 0


@dataclass(frozen=True)
class Quantity:
    """A number found in normalized text, with its unit and qualifier."""

    start: int
    end: int
    raw: str
    value: Decimal
    unit: str
    qualifier: str
    decimals: int

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def is_points(self) -> bool:
        return self.unit in {"个百分点", "百分点"}


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    first: int
    last: int
    fiscal: bool  # "年度"

    @property
    def is_range(self) -> bool:
        return self.first != self.last


def find_years(text: str) -> list[YearMention]:
    """Years and year ranges ("2017-2019年", "2021—2023年", "二〇二三年") in normalized text."""
    found: list[YearMention] = []
    taken: list[tuple[int, int]] = []
    for m in _YEAR_RANGE.finditer(text):
        first, last = int(m["a"]), int(m["b"])
        if first < last:
            found.append(YearMention(m.start(), m.end(), first, last, bool(m["du"])))
            taken.append((m.start(), m.end()))
    for m in _YEAR.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        year = int(parse_number(m["y"]))
        if 1949 <= year <= 2100:
            found.append(YearMention(m.start(), m.end(), year, year, bool(m["du"])))
    return sorted(found, key=lambda y: y.start)


def find_quantities(text: str) -> list[Quantity]:
    """Every number that carries a unit (件, 人, %, …) in normalized text; years are left out."""
    years = find_years(text)
    blocked = [(y.start, y.end) for y in years]
    found: list[Quantity] = []
    pos = 0
    while True:
        m = _QUANTITY.search(text, pos)
        if m is None:
            break
        pos = m.end() if m.end() > m.start() else m.start() + 1
        num = m["num"]
        start = m.start("num")
        if any(a <= start < b for a, b in blocked):
            continue
        if start > 0 and (text[start - 1] == "第" or text[start - 1].isdigit() or text[start - 1] == "."):
            continue
        unit = m["unit"] or ""
        is_percent_word = num.startswith("百分之")
        if is_percent_word:
            unit = "%"
        if not unit:
            continue
        if unit == "元" and m["mult"] is None and not m["unit"]:
            continue
        chinese = num[0] in CN_NUMERAL_CHARS or is_percent_word
        if chinese and m["mult"]:
            continue  # "三万万" is not a number; let the Chinese numeral keep its own 万
        bare = num.removeprefix("百分之")
        if (
            chinese
            and not is_percent_word
            and bare in {"十", "百", "千", "万", "亿"}
            and not (m["pre"] or m["mid"] or m["post"])
        ):
            continue  # "万人比", "千家万户": a bare order of magnitude counts only when qualified
        if unit == "%" and not is_percent_word and m["mult"]:
            continue
        try:
            value = parse_number(num + (m["mult"] or ""))
        except ValueError:
            continue
        if unit in {"万元", "亿元"}:
            value *= _MULTIPLIERS[unit[0]]
            unit = "元"
        qualifier_words = [w for w in (m["pre"], m["mid"], m["post"]) if w]
        qualifier = "、".join(dict.fromkeys(QUALIFIERS[w] for w in qualifier_words))
        begin = m.start() if m["pre"] else start
        found.append(
            Quantity(
                start=begin,
                end=m.end(),
                raw=text[begin : m.end()],
                value=value,
                unit=unit,
                qualifier=qualifier,
                decimals=decimals_shown(bare),
            )
        )
    return found


def display(value: Decimal) -> str:
    """A value as a report would print it: 1000万 stays 10000000, 17.40 → 17.4."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
