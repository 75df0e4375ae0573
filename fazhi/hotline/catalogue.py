"""The 12345 category tree every installation starts with, read from data/categories.txt.

The data migration loads it once; afterwards the centre edits categories and their keywords
in the admin, so loading never overwrites a row that exists.
"""

from dataclasses import dataclass
from pathlib import Path

CATEGORY_FILE = Path(__file__).resolve().parent / "data" / "categories.txt"
LEVEL_BY_CODE_LENGTH = {2: 1, 4: 2, 6: 3}


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    keywords: str

    @property
    def level(self) -> int:
        return LEVEL_BY_CODE_LENGTH[len(self.code)]

    @property
    def parent_code(self) -> str | None:
        return self.code[:-2] or None


def read_categories(path: Path = CATEGORY_FILE) -> list[CategorySpec]:
    """Parse "代码 名称 | 关键词、关键词" lines; '#' starts a comment. Raises ValueError naming the line."""
    specs: list[CategorySpec] = []
    seen: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, keywords = line.partition("|")
        code, _, name = head.strip().partition(" ")
        name = name.strip()
        if len(code) not in LEVEL_BY_CODE_LENGTH or not code.isdigit() or not name:
            raise ValueError(f"{path.name} 第{number}行格式应为“代码 名称 | 关键词”，代码为2、4或6位数字。")
        if code in seen:
            raise ValueError(f"{path.name} 第{number}行：分类代码{code}重复。")
        seen.add(code)
        specs.append(CategorySpec(code=code, name=name, keywords=keywords.strip()))
    for spec in specs:
        if spec.parent_code and spec.parent_code not in seen:
            raise ValueError(f"{path.name}：分类{spec.code}{spec.name}的上级分类{spec.parent_code}不存在。")
    return specs


def load_categories(category_model, path: Path = CATEGORY_FILE) -> int:
    """Create the categories that do not exist yet, parents first; return how many were created."""
    specs = sorted(read_categories(path), key=lambda s: (len(s.code), s.code))
    by_code = {c.code: c for c in category_model.objects.all()}
    created = 0
    for spec in specs:
        if spec.code in by_code:
            continue
        by_code[spec.code] = category_model.objects.create(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            parent=by_code.get(spec.parent_code) if spec.parent_code else None,
            keywords=spec.keywords,
        )
        created += 1
    return created
