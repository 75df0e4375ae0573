"""Reads of annual reports, scoped to the reader; the public sees only published reports."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import unit_scope
from fazhi.reports import annual
from fazhi.reports.models import AnnualReport, FigureSentence, ReportSection
from fazhi.reports.permissions import READER_ROLES

CN_NUMBERS = "一二三四五六七八九十"


def annual_reports_visible_to(user: User) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(unit_scope(user, READER_ROLES).q("unit")).select_related(
        "unit", "case"
    )


def annual_reports_published() -> QuerySet[AnnualReport]:
    """What the portal shows: published reports, newest year first."""
    return (
        AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED)
        .select_related("unit")
        .order_by("-year", "-level", "unit__sort_order", "unit_id")
    )


def with_content(reports: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    return reports.prefetch_related(
        Prefetch(
            "sections",
            queryset=ReportSection.objects.prefetch_related(
                Prefetch("sentences", queryset=FigureSentence.objects.order_by("order"))
            ),
        )
    )


@dataclass
class SentenceState:
    sentence: FigureSentence
    changes: list[dict] = field(default_factory=list)


def sentence_states(report: AnnualReport) -> list[SentenceState]:
    """Every figure sentence with what moved since it was written (recomputed now, in one
    registry call per unit subtree and year)."""
    sentences = list(FigureSentence.objects.filter(section__report=report).order_by("section__part", "order"))
    groups: dict[tuple[str, int], set[str]] = defaultdict(set)
    for s in sentences:
        groups[(s.scope_path, s.year)].update(s.metric_codes)
    now = {
        key: annual.snapshot_of(annual.figures_for(sorted(codes), scope_path=key[0], year=key[1]))
        for key, codes in groups.items()
    }
    return [SentenceState(s, annual.changes(s.snapshot, now[(s.scope_path, s.year)])) for s in sentences]


@dataclass
class Block:
    """One line of the document as exported: title, heading (level 1 or 2) or paragraph."""

    kind: str
    text: str
    sentence: FigureSentence | None = None


def document_blocks(report: AnnualReport) -> list[Block]:
    """The report as a 公文: title, the addressee line for a department, the five parts with part
    one's 纲要 headings numbered (一)(二)… over those that have content."""
    blocks = [Block("title", report.title)]
    sections = list(report.sections.all())
    for part, _label in ReportSection.Part.choices:
        heading = annual.PART_HEADINGS[part].format(year=report.year, next=report.next_year)
        blocks.append(Block("h1", f"{CN_NUMBERS[part - 1]}、{heading}"))
        within = [s for s in sections if s.part == part]
        n = 0
        for section in within:
            sentences = list(section.sentences.all())
            if not (section.paragraphs or sentences):
                continue
            if section.heading_key:
                n += 1
                blocks.append(Block("h2", f"（{CN_NUMBERS[n - 1]}）{section.heading}"))
            blocks += [Block("p", text) for text in section.paragraphs]
            blocks += [Block("p", s.paragraph, s) for s in sentences]
    return blocks


def document_text(report: AnnualReport) -> str:
    return "\n".join(b.text for b in document_blocks(report))


@dataclass(frozen=True)
class LateUnit:
    unit: Unit
    report: AnnualReport | None
    due: date
    what: str


def annual_reports_late(user: User, *, year: int, today: date | None = None) -> list[LateUnit]:
    """Units in the reader's reach without a submitted report after their deadline, and submitted
    reports not yet public after the public deadline."""
    today = today or timezone.localdate()
    scope = unit_scope(user, {Role.SUPERVISOR, Role.LEADER})
    reports = {
        r.unit_id: r for r in AnnualReport.objects.filter(scope.q("unit"), year=year).select_related("unit")
    }
    units = Unit.objects.filter(scope.q(), kind__in=(Unit.Kind.GOVERNMENT, Unit.Kind.DEPARTMENT)).filter(
        status=Unit.Status.ACTIVE
    )
    late = []
    for unit in units.order_by("path"):
        report = reports.get(unit.pk)
        level = "government" if unit.kind == Unit.Kind.GOVERNMENT else "department"
        due = report.due_date if report else annual.deadline(level, year)
        if report is None or report.status == AnnualReport.Status.DRAFT:
            if due < today:
                late.append(LateUnit(unit, report, due, "未报送" if report else "未起草"))
            continue
        public_due = report.public_due_date
        if report.status == AnnualReport.Status.SUBMITTED and public_due < today:
            late.append(LateUnit(unit, report, public_due, "未公开"))
    return late
