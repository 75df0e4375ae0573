from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.reports.review import Review, review_file

DATA = Path(__file__).with_name("data")
SEEDS = {
    "puyang": "000_64fbbbadd72f571d.txt",  # 濮阳市人大常委会 2020 research report
    "jinan": "001_87fe262f221c8474.txt",  # 济南市 2020
    "suizhou": "002_6af8f142464aa17f.txt",  # 随州市 2023
    "kundulun": "003_13d687593c9c7455.txt",  # 包头市昆都仑区 2022
    "pulandian": "004_663c4dc1786bdb34.txt",  # 大连市普兰店区 2016
}


def seed_review(name: str) -> Review:
    path = DATA / SEEDS[name]
    return review_file(path.name, path.read_bytes())


@pytest.fixture(scope="module")
def seeds() -> dict[str, Review]:
    return {name: seed_review(name) for name in SEEDS}


def values(review: Review, code: str) -> list[Decimal]:
    """The values the review found for one indicator, in reading order."""
    return [f.value for f in review.figures if f.indicator.code == code]


def part_status(review: Review) -> dict[str, str]:
    return {p.key: p.status for p in review.parts}


def failing(review: Review, kind: str | None = None) -> list[str]:
    return [c.explanation for c in review.checks if not c.ok and (kind is None or c.kind == kind)]
