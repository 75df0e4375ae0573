"""A report as lines of text, whatever it came in: plain text, DOCX (python-docx: paragraphs and
tables in document order) or HTML (the standard library's parser). Headings keep their level when
the file marks them (Word heading styles, bold paragraphs, <h1>–<h6>, <strong> paragraphs)."""

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph


class UnreadableReport(ValueError):
    """The file is not a report this review can read; the message says why in Chinese."""


@dataclass(frozen=True)
class Block:
    text: str
    heading_level: int | None = None  # from the file's own markup; None for body text, -1 bold only


SUFFIXES = {".txt": "text", ".text": "text", ".docx": "docx", ".html": "html", ".htm": "html"}


def kind_of(name: str) -> str:
    suffix = re.search(r"\.[A-Za-z]+$", name or "")
    kind = SUFFIXES.get(suffix.group(0).lower()) if suffix else None
    if kind is None:
        raise UnreadableReport("只能审查TXT、DOCX或HTML文件，请把报告另存为其中一种格式后再上传。")
    return kind


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Reports from government sites come as UTF-8 or GB18030 (GBK); try the declared one first."""
    for encoding in filter(None, [declared, "utf-8-sig", "gb18030"]):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableReport("文件编码无法识别，请另存为UTF-8编码的文本后再上传。")


def read_report(name: str, data: bytes) -> list[Block]:
    kind = kind_of(name)
    if not data.strip():
        raise UnreadableReport("文件是空的。")
    if kind == "docx":
        return blocks_from_docx(data)
    if kind == "html":
        return blocks_from_html(data)
    return blocks_from_text(decode_text(data))


def blocks_from_text(text: str) -> list[Block]:
    return [Block(line) for line in text.splitlines() if line.strip()]


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table as sentences the figure extractor reads like prose.

    With a header row, each cell becomes "<row label><column header><value>" (a year header goes
    first: "2023年行政复议申请30件"), and a unit written in the row label's or header's brackets
    ("行政复议申请（件）") follows the value. Without one, a row's cells are joined with "，"."""
    rows = [[re.sub(r"\s+", "", c) for c in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return []
    header, body = rows[0], rows[1:]

    def numeric(cell: str) -> bool:
        if re.fullmatch(r"(19|20)\d{2}年?度?", cell):
            return False  # a year is a column header, not a value
        return bool(re.fullmatch(r"[\d.,，%％]+[^\d]{0,3}", cell))

    has_header = (
        len(rows) > 1
        and not any(numeric(c) for c in header[1:])
        and any(numeric(c) for row in body for c in row[1:])
    )
    if not has_header:
        return ["，".join(c for c in row if c) + "。" for row in rows]
    lines = []
    for row in body:
        label = row[0] if row else ""
        parts = []
        for j, cell in enumerate(row[1:], start=1):
            if not cell:
                continue
            column = header[j] if j < len(header) else ""
            unit = ""
            for source in (label, column):
                bracket = re.search(r"[（(]([^()（）]{1,4})[)）]", source)
                if bracket and not re.search(r"[%％]$", cell):
                    unit = bracket.group(1)
            clean_label = re.sub(r"[（(][^()（）]{1,4}[)）]", "", label)
            clean_column = re.sub(r"[（(][^()（）]{1,4}[)）]", "", column)
            if re.search(r"(19|20)\d{2}年", clean_column):
                parts.append(f"{clean_column}{clean_label}{cell}{unit if numeric(cell) else ''}")
            else:
                parts.append(f"{clean_label}{clean_column}{cell}{unit if numeric(cell) else ''}")
        if parts:
            lines.append("，".join(parts) + "。")
    return lines


def _table_block(rows: list[list[str]]) -> list[Block]:
    """A table is one passage, so a rate in one row is checked against the counts in the others."""
    text = "".join(table_lines(rows))
    return [Block(text)] if text else []


def _docx_heading_level(paragraph: Paragraph) -> int | None:
    style = paragraph.style.name if paragraph.style is not None else ""
    m = re.match(r"(?:Heading|标题)\s*(\d)", style or "")
    if m:
        return int(m.group(1))
    if style in {"Title", "标题"}:
        return 0
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs):
        return -1  # bold says "heading" but not which level
    return None


def blocks_from_docx(data: bytes) -> list[Block]:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableReport("这不是有效的DOCX文件；如是旧版DOC文件，请在Word中另存为DOCX。") from exc
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                blocks.append(Block(item.text, _docx_heading_level(item)))
        elif isinstance(item, Table):
            rows = [[cell.text for cell in row.cells] for row in item.rows]
            blocks.extend(_table_block(rows))
    return blocks


_BLOCK_TAGS = {
    "p", "div", "section", "article", "li", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "blockquote", "pre", "header", "footer", "body", "title",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "head"}


class _ReportHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._strong: list[str] = []
        self._heading: int | None = None
        self._skip = 0
        self._bold = 0
        self._tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def _flush(self) -> None:
        text = "".join(self._text).strip()
        strong = "".join(self._strong).strip()
        if text:
            level = self._heading
            if level is None and strong and re.sub(r"\s", "", strong) == re.sub(r"\s", "", text):
                level = -1  # bold says "heading" but not which level
            self.blocks.append(Block(text, level))
        self._text, self._strong = [], []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if tag == "table":
            self._flush()
            self._tables.append([])
            return
        if self._tables and tag == "tr":
            self._tables[-1].append([])
            return
        if self._tables and tag in {"td", "th"}:
            self._cell = []
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if re.fullmatch(r"h[1-6]", tag):
                self._heading = int(tag[1])
        if tag in {"strong", "b"}:
            self._bold += 1

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "table" and self._tables:
            rows = self._tables.pop()
            self.blocks.extend(_table_block(rows))
            return
        if self._tables and tag in {"td", "th"} and self._cell is not None:
            if self._tables[-1]:
                self._tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
            return
        if tag in {"strong", "b"}:
            self._bold = max(0, self._bold - 1)
        if tag in _BLOCK_TAGS:
            self._flush()
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
            return
        if self._tables:
            return
        self._text.append(data)
        if self._bold:
            self._strong.append(data)

    def close(self):
        super().close()
        self._flush()


def blocks_from_html(data: bytes) -> list[Block]:
    head = data[:4096].decode("ascii", errors="ignore")
    declared = re.search(r"charset\s*=\s*[\"']?([\w-]+)", head, re.IGNORECASE)
    text = decode_text(data, declared.group(1) if declared else None)
    parser = _ReportHTML()
    parser.feed(text)
    parser.close()
    return parser.blocks
