"""Indicators of 行政复议 and 行政应诉, registered in the metrics registry.

The counts are the ones the 复议应诉 pages use (`selectors.COUNTS`): an application is placed by the
time it was received, a conclusion by the time its case closed (the decision day), a hearing by
the time it was held, and a defendant's 审级 by its first trial hearing. Reconsiderations are
attributed to the respondent (被申请人) and lawsuits to the defendant, so a department's 纠错率,
败诉率 and 出庭应诉率 read the same on the cockpit, in the assessment and in the annual report.
Which outcomes count as 纠错 or 调撤, the 纠错率 denominator and the win/loss mapping are local
settings (`FigureSettings`, `JudgmentType`): a change to them redoes every day's rollup.

平均审理天数 is a mean: the registry's `total` measure adds up each concluded case's calendar days
from acceptance to decision, and the metric divides it by the 审结数 with `scale=1`.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Func, IntegerField, Q, QuerySet
from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.legal import catalogue, selectors
from fazhi.legal.models import (
    ActCategory,
    Attendance,
    FigureSettings,
    JudgmentType,
    Lawsuit,
    Reconsideration,
)
from fazhi.metrics.registry import Measure, Metric, RecordRow, Watch, local_date, register

RECONSIDERATION_DOMAIN = "行政复议"
LITIGATION_DOMAIN = "行政应诉"
MIN_SAMPLE = 5  # a department has a handful of cases a year; below this its rate is shown, not ranked


@dataclass(frozen=True)
class SettingsWatch:
    """A change to the 统计口径 or the win/loss mapping moves every day that has such records."""

    settings_model: type
    model: type
    anchors: tuple[str, ...]

    def days(self, since: datetime) -> set[date]:
        if not self.settings_model.objects.filter(updated_at__gte=since).exists():
            return set()
        found: set[date] = set()
        for anchor in self.anchors:
            found |= set(
                self.model.objects.annotate(_d=local_date(anchor))
                .exclude(_d=None)
                .values_list("_d", flat=True)
                .distinct()
            )
        return found


@dataclass(frozen=True)
class PairWatch:
    """Attendance recorded at a later hearing changes whether the defendant's head appeared in that
    审级, which is counted on the day of its first trial hearing: redo every hearing day of it."""

    def days(self, since: datetime) -> set[date]:
        lawsuits = Attendance.objects.filter(recorded_at__gte=since).values("hearing__lawsuit")
        return set(
            Attendance.objects.filter(hearing__lawsuit__in=lawsuits)
            .annotate(_d=local_date("hearing__held_at"))
            .values_list("_d", flat=True)
            .distinct()
        )


class DaysBetween(Func):
    """Calendar days from one date column to a later one, as an integer (NULL if either is)."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, first, last, **extra):
        super().__init__(last, first, **extra)  # SQL: last - first

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date - date is an integer number of days
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


RECONSIDERATION_WATCHES = (
    Watch(Reconsideration, "case__received_at", ("updated_at",)),
    Watch(Reconsideration, "case__closed_at", ("updated_at",)),
    Watch(Case, "received_at", ("updated_at",)),
    Watch(Case, "closed_at", ("updated_at",)),
    SettingsWatch(FigureSettings, Reconsideration, ("case__received_at", "case__closed_at")),
)
LAWSUIT_WATCHES = (
    Watch(Lawsuit, "case__received_at", ("updated_at",)),
    Watch(Lawsuit, "case__closed_at", ("updated_at",)),
    SettingsWatch(JudgmentType, Lawsuit, ("case__closed_at",)),
)
ATTENDANCE_WATCHES = (Watch(Attendance, "hearing__held_at", ("recorded_at",)), PairWatch())


def _visible_reconsiderations(user) -> Q:
    return Q(pk__in=selectors.reconsiderations_visible_to(user).values("pk"))


def _visible_lawsuits(user) -> Q:
    return Q(pk__in=selectors.lawsuits_visible_to(user).values("pk"))


def _visible_attendances(user) -> Q:
    return Q(hearing__lawsuit__in=selectors.lawsuits_visible_to(user).values("pk"))


def _reconsideration_list(rows: QuerySet) -> QuerySet:
    return rows.select_related("case", "respondent").order_by("-case__received_at", "-id")


def _reconsideration_row(rec: Reconsideration) -> RecordRow:
    state = rec.get_outcome_display() if rec.outcome else rec.get_acceptance_display()
    return RecordRow(
        number=rec.case.number,
        title=f"{rec.act_name}（{rec.get_act_category_display()}）",
        unit=rec.respondent.name,
        day=timezone.localdate(rec.case.received_at),
        state=f"{state}，期限{rec.case.due_date:%Y-%m-%d}",
        url=rec.get_absolute_url(),
    )


def _lawsuit_list(rows: QuerySet) -> QuerySet:
    return rows.select_related("case", "case__handling_unit", "judgment_type").order_by("-filed_on", "-id")


def _lawsuit_row(lawsuit: Lawsuit) -> RecordRow:
    state = lawsuit.judgment_type.name if lawsuit.judgment_type_id else lawsuit.case.get_status_display()
    return RecordRow(
        number=lawsuit.court_number or lawsuit.case.number,
        title=f"{lawsuit.get_instance_display()}：{lawsuit.act_name}",
        unit=lawsuit.case.handling_unit.name,
        day=lawsuit.filed_on,
        state=state,
        url=lawsuit.get_absolute_url(),
    )


def _attendance_list(rows: QuerySet) -> QuerySet:
    return (
        rows.select_related("hearing__lawsuit__case", "unit")
        .prefetch_related("attendees")
        .order_by("-hearing__held_at", "-id")
    )


def _attendance_row(attendance: Attendance) -> RecordRow:
    lawsuit = attendance.hearing.lawsuit
    people = (
        "、".join(f"{p.name}（{p.get_capacity_display()}）" for p in attendance.attendees.all()) or "无人出庭"
    )
    return RecordRow(
        number=lawsuit.court_number or lawsuit.case.number,
        title=f"{attendance.hearing.get_kind_display()}：{lawsuit.act_name}",
        unit=attendance.unit.name,
        day=timezone.localdate(attendance.hearing.held_at),
        state=people,
        url=lawsuit.get_absolute_url(),
    )


_MODEL_PARTS = {
    Reconsideration: (
        _visible_reconsiderations,
        _reconsideration_list,
        _reconsideration_row,
        RECONSIDERATION_WATCHES,
    ),
    Lawsuit: (_visible_lawsuits, _lawsuit_list, _lawsuit_row, LAWSUIT_WATCHES),
    Attendance: (_visible_attendances, _attendance_list, _attendance_row, ATTENDANCE_WATCHES),
}


def _measure(spec: selectors.CountSpec) -> Measure:
    visible, prepare, describe, watches = _MODEL_PARTS[spec.model]
    return Measure(
        code=spec.code,
        name=spec.name,
        model=spec.model,
        anchor=spec.anchor,
        unit=spec.unit,
        dimension=spec.dimension,
        visible=visible,
        where=spec.where,
        annotate=spec.facts,
        watches=watches,
        prepare=prepare,
        describe=describe,
    )


MEASURES = {code: _measure(spec) for code, spec in selectors.COUNTS.items()}


def _categories() -> dict[str, str]:
    return dict(ActCategory.choices)


def _register(definition: selectors.Definition, domain: str, *, exclusions: str, **kwargs) -> None:
    register(
        Metric(
            code=f"legal.{'reconsideration' if domain == RECONSIDERATION_DOMAIN else 'litigation'}.{definition.code}",
            name=definition.name,
            domain=domain,
            definition=definition.definition,
            numerator=tuple(MEASURES[c] for c in definition.numerator),
            denominator=tuple(MEASURES[c] for c in definition.denominator),
            numerator_text=definition.numerator_text or definition.name,
            denominator_text=definition.denominator_text,
            exclusions=exclusions,
            precision=1 if definition.is_rate else 0,
            min_sample=MIN_SAMPLE if definition.is_rate else 0,
            dimension_label="行为类别",
            dimension_names=_categories,
            **kwargs,
        )
    )


# Written with the installation's defaults; the registry's definition pages show these words,
# the 复议应诉 pages the current settings.
_RECONSIDERATION_EXCLUSIONS = {
    "received": "无。",
    "accepted": "不予受理、视为放弃申请和尚在审查中的申请不计入。",
    "concluded": "未经受理而结束的申请（不予受理、视为放弃）不计入。",
}
for _definition in selectors.reconsideration_definitions(FigureSettings(**catalogue.DEFAULT_FIGURE_SETTINGS)):
    _register(
        _definition,
        RECONSIDERATION_DOMAIN,
        exclusions=_RECONSIDERATION_EXCLUSIONS.get(
            _definition.code, "计入哪些结案方式、以何为分母由本地统计口径设置。"
        ),
        higher_is_better=_definition.code not in ("upheld_rate", "rejected_rate"),
    )

HANDLING_DAYS = Measure(
    code="legal.reconsideration.handling_days",
    name="审理天数合计",
    model=Reconsideration,
    anchor=selectors.CLOSED_AT,
    unit="respondent_id",
    dimension="act_category",
    visible=_visible_reconsiderations,
    where=selectors.CONCLUDED & Q(accepted_on__isnull=False),
    annotate=selectors.reconsideration_facts,
    watches=RECONSIDERATION_WATCHES,
    prepare=_reconsideration_list,
    describe=_reconsideration_row,
    total=DaysBetween("accepted_on", "decided_on"),
)
register(
    Metric(
        code="legal.reconsideration.average_days",
        name=selectors.AVERAGE_DAYS.name,
        domain=RECONSIDERATION_DOMAIN,
        definition=selectors.AVERAGE_DAYS.definition,
        numerator=(HANDLING_DAYS,),
        denominator=(MEASURES[selectors.R + "concluded"],),
        numerator_text="审理天数合计：各审结案件自受理之日至决定之日的自然日数之和",
        denominator_text="审结数",
        exclusions="未经受理而结束的申请不计入；中止期间不扣除（自然日）。",
        precision=1,
        min_sample=MIN_SAMPLE,
        higher_is_better=False,
        dimension_label="行为类别",
        dimension_names=_categories,
        scale=1,
        value_unit="天",
    )
)

_LITIGATION_EXCLUSIONS = {
    "loss_rate": "已上诉的裁判不计入（以上诉审结果计）；尚未登记裁判结果的不计入。",
    "loss_rate_judgments": "撤诉、驳回起诉等裁定和调解结案的不计入。",
    "loss_rate_first": "二审、再审案件不计入。",
}
for _definition in selectors.litigation_definitions(mapping="按本地“裁判结果类型”设置"):
    _register(
        _definition,
        LITIGATION_DOMAIN,
        exclusions=_LITIGATION_EXCLUSIONS.get(
            _definition.code, "庭前会议、宣判不计入；未登记出庭情况的庭审不计入。"
        )
        if _definition.code.startswith(("loss", "appearance"))
        else "无。",
        higher_is_better=not _definition.code.startswith("loss"),
    )
