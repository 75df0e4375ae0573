"""The review vocabulary, loaded from data/vocabulary.toml: required parts, subjects, indicators,
and how rates, stages and outcomes relate."""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VOCABULARY_FILE = Path(__file__).with_name("data") / "vocabulary.toml"


def _regex(pattern: str) -> re.Pattern | None:
    return re.compile(pattern) if pattern else None


@dataclass(frozen=True)
class Part:
    key: str
    order: int
    name: str
    match: re.Pattern
    unless: re.Pattern | None
    within: tuple[str, ...]

    def named_by(self, heading: str) -> bool:
        return bool(self.match.search(heading)) and not (self.unless and self.unless.search(heading))


@dataclass(frozen=True)
class Topic:
    key: str
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    short: str
    topic: str
    kind: str  # "count" or "rate"
    units: tuple[str, ...]
    label: re.Pattern | None
    after: re.Pattern | None
    exclude: re.Pattern | None

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"


@dataclass(frozen=True)
class Rate:
    rate: str
    numerator: str
    denominators: tuple[str, ...]
    derive: bool = True


@dataclass(frozen=True)
class Stage:
    part: str
    whole: str


@dataclass(frozen=True)
class Vocabulary:
    parts: tuple[Part, ...]
    topics: dict[str, Topic]
    indicators: tuple[Indicator, ...]
    rates: tuple[Rate, ...]
    stages: tuple[Stage, ...]
    outcome_words: re.Pattern
    completed_words: re.Pattern
    by_code: dict[str, Indicator]

    def indicator(self, code: str) -> Indicator:
        return self.by_code[code]

    def rate_for(self, code: str) -> Rate | None:
        return next((r for r in self.rates if r.rate == code), None)


def parse_vocabulary(text: str) -> Vocabulary:
    data = tomllib.loads(text)
    parts = tuple(
        sorted(
            (
                Part(
                    key=key,
                    order=p["order"],
                    name=p["name"],
                    match=re.compile(p["match"]),
                    unless=_regex(p.get("unless", "")),
                    within=tuple(p.get("within", ())),
                )
                for key, p in data["parts"].items()
            ),
            key=lambda p: p.order,
        )
    )
    topics = {key: Topic(key, t["name"], tuple(t["terms"])) for key, t in data["topics"].items()}
    indicators = tuple(
        Indicator(
            code=i["code"],
            name=i["name"],
            short=i["short"],
            topic=i["topic"],
            kind=i["kind"],
            units=tuple(i.get("units", ("%",))),
            label=_regex(i.get("label", "")),
            after=_regex(i.get("after", "")),
            exclude=_regex(i.get("not", "")),
        )
        for i in data["indicators"]
    )
    codes = {i.code for i in indicators}
    for i in indicators:
        if i.topic not in topics:
            raise ValueError(f"指标{i.code}的主题{i.topic}未定义。")
    rates = tuple(
        Rate(r["rate"], r["numerator"], tuple(r["denominators"]), r.get("derive", True))
        for r in data["rates"]
    )
    stages = tuple(Stage(s["part"], s["whole"]) for s in data["stages"])
    for code in [c for r in rates for c in (r.rate, r.numerator, *r.denominators)] + [
        c for s in stages for c in (s.part, s.whole)
    ]:
        if code not in codes:
            raise ValueError(f"词表引用了未定义的指标{code}。")
    return Vocabulary(
        parts=parts,
        topics=topics,
        indicators=indicators,
        rates=rates,
        stages=stages,
        outcome_words=re.compile(data["outcomes"]["words"]),
        completed_words=re.compile(data["outcomes"]["completed"]),
        by_code={i.code: i for i in indicators},
    )


@cache
def vocabulary() -> Vocabulary:
    return parse_vocabulary(VOCABULARY_FILE.read_text(encoding="utf-8"))
