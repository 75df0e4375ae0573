"""Writes of 考核: trees, cycles, submissions, scoring, appeals, publication, rectification.

Every function is keyword-only, atomic, checks permission first and is audited. Points derived
from records are computed here from the metrics registry and the case engine, never typed in.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fazhi.assessment import permissions, rules
from fazhi.assessment.models import (
    Appeal,
    AssessmentCycle,
    Deduction,
    Evidence,
    Indicator,
    IndicatorTree,
    Rectification,
    Result,
    Score,
    ScoringRule,
    SelfAssessment,
    Submission,
)
from fazhi.cases import services as case_services
from fazhi.cases.models import CaseType
from fazhi.core import audit, uploads
from fazhi.metrics.registry import registry
from fazhi.org.models import Unit, User

STARTER_TREE = Path(__file__).parent / "data" / "starter_tree.json"
RECTIFICATION_CASE_TYPE = "rectification"
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_SUFFIXES = frozenset(
    {".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".zip"}
)
CENT = Decimal("0.01")


def _q(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _shown(value: Decimal) -> str:
    """2.00 → "2", 0.50 → "0.5": points as people write them."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _require_manager(actor: User) -> None:
    if not permissions.can_manage(actor):
        raise PermissionDenied("只有法治督察人员（法治办）可以管理考核。")


# --- indicator trees -------------------------------------------------------------------------------


@dataclass
class Row:
    """One indicator as imports and the starter file give it; `rule` is None for a heading."""

    level: int
    code: str
    parent_code: str
    name: str
    max_score: Decimal
    weight: Decimal | None = None
    requirement: str = ""
    rule: dict | None = None


def rule_problems(rule: dict, max_score: Decimal) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with a leaf's rule."""
    kind = rule.get("kind")
    if kind not in ScoringRule.Kind.values:
        return [("kind", "评分方式须为“指标阈值”“事件扣分”或“佐证材料评审”之一。")]
    problems = []
    if kind == ScoringRule.Kind.METRIC:
        if rule.get("metric_code", "") not in registry:
            problems.append(("metric_code", "指标代码不在指标库中，请从“选项”表中选择。"))
        if not rule.get("bands"):
            problems.append(("bands", "按指标阈值评分须填写分档，如“≥95:3；其他:0”。"))
    elif kind == ScoringRule.Kind.EVENTS:
        source = rule.get("source", "")
        if source not in ScoringRule.Source.values:
            problems.append(("source", "事件来源须为“案件超期”或“行政诉讼败诉”。"))
        if (
            source == ScoringRule.Source.CASE_LATE
            and not CaseType.objects.filter(code=rule.get("case_type_code", "")).exists()
        ):
            problems.append(("case_type_code", "按案件超期扣分须填写存在的案件类型代码。"))
        per = rule.get("points_per_record")
        if per is None or Decimal(str(per)) <= 0:
            problems.append(("points_per_record", "每件扣分须大于0。"))
        cap = rule.get("cap")
        if cap is not None and not (0 < Decimal(str(cap)) <= max_score):
            problems.append(("cap", f"扣分上限须大于0且不超过该项分值{max_score}。"))
    return problems


def row_problems(rows: Sequence[Row]) -> list[tuple[int, str, str]]:
    """(index, field, message) for every rule a set of rows breaks: levels 1–3, parents one level
    up and listed earlier, unique codes, leaves with a rule and a score, headings summing up."""
    problems: list[tuple[int, str, str]] = []
    seen: dict[str, Row] = {}
    for i, row in enumerate(rows):
        if row.level not in (1, 2, 3):
            problems.append((i, "level", "级别须为1、2或3。"))
        if not row.code:
            problems.append((i, "code", "编号不能为空。"))
        elif row.code in seen:
            problems.append((i, "code", "编号重复。"))
        if not row.name.strip():
            problems.append((i, "name", "名称不能为空。"))
        if row.level == 1 and row.parent_code:
            problems.append((i, "parent_code", "一级指标不填上级编号。"))
        if row.level in (2, 3):
            parent = seen.get(row.parent_code)
            if parent is None:
                problems.append((i, "parent_code", "上级编号须是本表中列在前面的指标。"))
            elif parent.level != row.level - 1:
                problems.append((i, "parent_code", f"{row.level}级指标的上级须是{row.level - 1}级指标。"))
            elif parent.rule is not None:
                problems.append((i, "parent_code", "上级指标已设评分方式，不能再有下级指标。"))
        if row.max_score < 0:
            problems.append((i, "max_score", "分值不能为负数。"))
        if row.rule is not None:
            problems.extend((i, field, message) for field, message in rule_problems(row.rule, row.max_score))
        if row.code:
            seen[row.code] = row
    parents = {row.parent_code for row in rows if row.parent_code}
    for i, row in enumerate(rows):
        if row.code not in parents and row.rule is None:
            problems.append((i, "kind", "没有下级的指标是评分项，须填写评分方式。"))
    return problems


def _write_indicators(tree: IndicatorTree, rows: Sequence[Row]) -> None:
    by_code: dict[str, Indicator] = {}
    for order, row in enumerate(rows, start=1):
        indicator = Indicator.objects.create(
            tree=tree,
            parent=by_code.get(row.parent_code),
            level=row.level,
            code=row.code,
            name=row.name.strip(),
            requirement=row.requirement.strip(),
            weight=row.weight,
            max_score=_q(row.max_score),
            order=order,
        )
        by_code[row.code] = indicator
        if row.rule is not None:
            _rule_save(indicator, row.rule)
    # a heading's score is the sum of its children's, so the tree adds up by construction
    for indicator in sorted(by_code.values(), key=lambda i: -i.level):
        if indicator.level < 3 and indicator.children.exists():
            total = indicator.children.aggregate(total=Sum("max_score"))["total"] or 0
            Indicator.objects.filter(pk=indicator.pk).update(max_score=total)


def _rule_save(indicator: Indicator, rule: dict) -> ScoringRule:
    kind = rule["kind"]
    fields = {
        "kind": kind,
        "metric_code": rule.get("metric_code", "") if kind == ScoringRule.Kind.METRIC else "",
        "bands": rule.get("bands", []) if kind == ScoringRule.Kind.METRIC else [],
        "source": rule.get("source", "") if kind == ScoringRule.Kind.EVENTS else "",
        "case_type_code": rule.get("case_type_code", "") if kind == ScoringRule.Kind.EVENTS else "",
        "points_per_record": _q(rule["points_per_record"]) if kind == ScoringRule.Kind.EVENTS else None,
        "cap": _q(rule["cap"]) if kind == ScoringRule.Kind.EVENTS and rule.get("cap") is not None else None,
    }
    found, _ = ScoringRule.objects.update_or_create(indicator=indicator, defaults=fields)
    return found


@transaction.atomic
def tree_create(
    *,
    actor: User,
    name: str,
    version: str,
    rows: Sequence[Row],
    description: str = "",
    is_template: bool = False,
) -> IndicatorTree:
    """A new indicator tree (draft) from rows checked as a whole: nothing is written if any is wrong."""
    _require_manager(actor)
    if not name.strip() or not version.strip():
        raise ValidationError({"name": "请填写指标体系名称和版本。"})
    if IndicatorTree.objects.filter(name=name.strip(), version=version.strip()).exists():
        raise ValidationError({"version": f"“{name}”已有版本“{version}”，请换一个版本号。"})
    problems = row_problems(rows)
    if problems:
        i, field, message = problems[0]
        raise ValidationError({field: f"第{i + 1}项（{rows[i].code}）：{message}"})
    tree = IndicatorTree.objects.create(
        name=name.strip(), version=version.strip(), description=description, is_template=is_template
    )
    _write_indicators(tree, rows)
    audit.record(actor=actor, action="assessment.tree_created", target=tree, after={"indicators": len(rows)})
    return tree


def _starter_rows(specs: Iterable[dict], parent: str = "", level: int = 1) -> list[Row]:
    rows = []
    for spec in specs:
        rule = dict(spec["rule"]) if "rule" in spec else None
        if rule and "bands" in rule:
            rule["bands"] = rules.parse_bands(rule["bands"])
        rows.append(
            Row(
                level=level,
                code=spec["code"],
                parent_code=parent,
                name=spec["name"],
                max_score=Decimal(str(spec.get("max_score", 0))),
                requirement=spec.get("requirement", ""),
                rule=rule,
            )
        )
        rows.extend(_starter_rows(spec.get("children", []), spec["code"], level + 1))
    return rows


def tree_load_starter(*, actor: User) -> IndicatorTree:
    """The shipped template (纲要 and 示范指标体系 headings, example scores), as a draft to adapt;
    loading it twice returns the one already loaded."""
    spec = json.loads(STARTER_TREE.read_text(encoding="utf-8"))
    found = IndicatorTree.objects.filter(name=spec["name"], version=spec["version"]).first()
    if found is not None:
        return found
    return tree_create(
        actor=actor,
        name=spec["name"],
        version=spec["version"],
        description=spec["description"],
        rows=_starter_rows(spec["indicators"]),
        is_template=True,
    )


def _tree_in_use(tree: IndicatorTree) -> bool:
    return tree.cycles.exists()


@transaction.atomic
def tree_set_status(*, actor: User, tree: IndicatorTree, status: str) -> IndicatorTree:
    _require_manager(actor)
    if status not in IndicatorTree.Status.values:
        raise ValidationError({"status": "状态无效。"})
    if status == IndicatorTree.Status.DRAFT and _tree_in_use(tree):
        raise ValidationError("该指标体系已用于考核，不能退回草稿；请复制为新版本后修改。")
    before = {"status": tree.status}
    tree.status = status
    tree.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, action="assessment.tree_status", target=tree, before=before, after={"status": status}
    )
    return tree


def tree_rows(tree: IndicatorTree) -> list[Row]:
    indicators = tree.indicators.select_related("parent", "rule").order_by("order", "id")
    rows = []
    for ind in indicators:
        rule = None
        if hasattr(ind, "rule"):
            r = ind.rule
            rule = {
                "kind": r.kind,
                "metric_code": r.metric_code,
                "bands": r.bands,
                "source": r.source,
                "case_type_code": r.case_type_code,
                "points_per_record": r.points_per_record,
                "cap": r.cap,
            }
        rows.append(
            Row(
                level=ind.level,
                code=ind.code,
                parent_code=ind.parent.code if ind.parent_id else "",
                name=ind.name,
                max_score=ind.max_score,
                weight=ind.weight,
                requirement=ind.requirement,
                rule=rule,
            )
        )
    return rows


@transaction.atomic
def tree_copy(*, actor: User, tree: IndicatorTree, version: str, name: str = "") -> IndicatorTree:
    """A new draft version of a tree, to change without touching the cycles that used the old one."""
    copy = tree_create(
        actor=actor,
        name=name or tree.name,
        version=version,
        description=tree.description,
        rows=tree_rows(tree),
        is_template=tree.is_template and not name,
    )
    audit.record(actor=actor, action="assessment.tree_copied", target=copy, after={"from": tree.pk})
    return copy


@transaction.atomic
def indicator_update(
    *,
    actor: User,
    indicator: Indicator,
    name: str,
    requirement: str,
    max_score: Decimal,
    weight: Decimal | None = None,
    rule: dict | None = None,
) -> Indicator:
    """Edit one indicator of a draft tree (名称、要求、分值、权重; a leaf's rule)."""
    _require_manager(actor)
    tree = indicator.tree
    if tree.status != IndicatorTree.Status.DRAFT:
        raise ValidationError("只能修改草稿状态的指标体系；已启用的请复制为新版本后修改。")
    if not name.strip():
        raise ValidationError({"name": "名称不能为空。"})
    is_leaf = not indicator.children.exists()
    if is_leaf and rule is not None:
        problems = rule_problems(rule, max_score)
        if problems:
            raise ValidationError({problems[0][0]: f"{indicator.code}：{problems[0][1]}"})
    if max_score < 0:
        raise ValidationError({"max_score": "分值不能为负数。"})
    before = {"name": indicator.name, "max_score": str(indicator.max_score)}
    indicator.name, indicator.requirement, indicator.weight = name.strip(), requirement.strip(), weight
    if is_leaf:
        indicator.max_score = _q(max_score)
    indicator.save()
    if is_leaf and rule is not None:
        _rule_save(indicator, rule)
    ancestor = indicator.parent
    while ancestor is not None:
        ancestor.max_score = ancestor.children.aggregate(total=Sum("max_score"))["total"] or 0
        ancestor.save(update_fields=["max_score"])
        ancestor = ancestor.parent
    audit.record(
        actor=actor,
        action="assessment.indicator_updated",
        target=indicator,
        before=before,
        after={"name": indicator.name, "max_score": str(indicator.max_score)},
    )
    return indicator


# --- cycles -------------------------------------------------------------------------------------------


def leaves(tree: IndicatorTree) -> list[Indicator]:
    return list(
        tree.indicators.filter(children__isnull=True)
        .select_related("rule", "parent__parent")
        .order_by("order")
    )


@transaction.atomic
def cycle_open(
    *,
    actor: User,
    tree: IndicatorTree,
    year: int,
    units: Sequence[Unit],
    submit_due: date,
    appeal_due: date,
    name: str = "",
) -> AssessmentCycle:
    """开启年度考核 on an active tree for the units in scope; each unit gets its submission."""
    _require_manager(actor)
    if tree.status != IndicatorTree.Status.ACTIVE:
        raise ValidationError({"tree": f"指标体系“{tree}”未启用，请先启用（模板须按本地办法修改后启用）。"})
    if not units:
        raise ValidationError({"units": "请选择考核对象单位。"})
    if appeal_due < submit_due:
        raise ValidationError({"appeal_due": "申诉截止日不能早于报送截止日。"})
    name = name.strip() or f"{year}年度法治政府建设考核"
    if AssessmentCycle.objects.filter(name=name, year=year).exists():
        raise ValidationError({"name": f"{year}年已有“{name}”。"})
    cycle = AssessmentCycle.objects.create(
        name=name, year=year, tree=tree, submit_due=submit_due, appeal_due=appeal_due, opened_by=actor
    )
    cycle.units.set(units)
    Submission.objects.bulk_create(Submission(cycle=cycle, unit=unit) for unit in units)
    audit.record(
        actor=actor,
        action="assessment.cycle_opened",
        target=cycle,
        after={"year": year, "tree": tree.pk, "units": [u.pk for u in units]},
    )
    return cycle


_NEXT = {
    AssessmentCycle.Status.OPEN: AssessmentCycle.Status.SUBMITTING,
    AssessmentCycle.Status.SUBMITTING: AssessmentCycle.Status.REVIEWING,
}


@transaction.atomic
def cycle_advance(*, actor: User, cycle: AssessmentCycle) -> AssessmentCycle:
    """开始报送, then 进入评审 — which computes every metric and event score from the records."""
    _require_manager(actor)
    if cycle.status not in _NEXT:
        raise ValidationError("考核已进入评审或已公布；公布请使用“公布结果”。")
    before = {"status": cycle.status}
    cycle.status = _NEXT[cycle.status]
    cycle.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="assessment.cycle_advanced",
        target=cycle,
        before=before,
        after={"status": cycle.status},
    )
    if cycle.status == AssessmentCycle.Status.REVIEWING:
        cycle_score_auto(actor=actor, cycle=cycle)
    return cycle


def _score_put(
    *, cycle, unit, indicator, points, basis, source=Score.Source.AUTO, reviewer=None, comment=""
) -> Score:
    score, _ = Score.objects.update_or_create(
        cycle=cycle,
        unit=unit,
        indicator=indicator,
        defaults={
            "points": _q(max(Decimal("0"), points)),
            "basis": basis[:300],
            "source": source,
            "reviewer": reviewer,
            "comment": comment,
            "scored_at": timezone.now(),
        },
    )
    return score


def _events_score(cycle: AssessmentCycle, unit: Unit, leaf: Indicator) -> tuple[Score, int]:
    """Deductions for the unit's records under the rule, up to the cap; the score is what is left.
    Deductions already written (and any appeal on them) are kept; new records add new rows."""
    rule = leaf.rule
    cap = min(rule.cap or leaf.max_score, leaf.max_score)
    found = rules.event_cases(rule, unit=unit, year=cycle.year)
    existing = Deduction.objects.filter(cycle=cycle, unit=unit, indicator=leaf)
    taken = set(existing.values_list("case_id", flat=True))
    active = existing.filter(status=Deduction.Status.ACTIVE).aggregate(total=Sum("points"))[
        "total"
    ] or Decimal("0")
    created = 0
    for case in found.select_related("case_type").iterator():
        if active >= cap:
            break
        if case.pk in taken:
            continue
        points = min(rule.points_per_record, cap - active)
        Deduction.objects.create(
            cycle=cycle,
            unit=unit,
            indicator=leaf,
            case=case,
            points=points,
            reason=rules.event_reason(rule, case)[:300],
        )
        active += points
        created += 1
    count = found.count()
    what = rules.event_label(rule)
    basis = f"{what}{count}件，每件扣{_shown(rule.points_per_record)}分，扣{_shown(active)}分（上限{_shown(cap)}分）"
    if not count:
        basis = f"{cycle.year}年无{what}记录，不扣分"
    return _score_put(
        cycle=cycle, unit=unit, indicator=leaf, points=leaf.max_score - active, basis=basis
    ), created


def _recompute_events(cycle: AssessmentCycle, unit: Unit, leaf: Indicator) -> Score:
    active = Deduction.objects.filter(
        cycle=cycle, unit=unit, indicator=leaf, status=Deduction.Status.ACTIVE
    ).aggregate(total=Sum("points"))["total"] or Decimal("0")
    score = Score.objects.get(cycle=cycle, unit=unit, indicator=leaf)
    score.points = _q(max(Decimal("0"), leaf.max_score - active))
    score.basis = f"{score.basis.split('；')[0]}；申诉处理后有效扣分{_shown(active)}分"[:300]
    score.save(update_fields=["points", "basis"])
    return score


@transaction.atomic
def cycle_score_auto(*, actor: User, cycle: AssessmentCycle) -> dict[str, int]:
    """Compute the metric-threshold and event-deduction leaves for every unit in the cycle.
    Running it again picks up records added since (a late case closed, a judgment entered)."""
    _require_manager(actor)
    if cycle.status != AssessmentCycle.Status.REVIEWING:
        raise ValidationError("只有评审阶段可以计算得分。")
    counts = {"scores": 0, "deductions": 0}
    auto = [leaf for leaf in leaves(cycle.tree) if leaf.rule.kind != ScoringRule.Kind.EVIDENCE]
    for unit in cycle.units.order_by("sort_order", "id"):
        for leaf in auto:
            if leaf.rule.kind == ScoringRule.Kind.METRIC:
                outcome = rules.metric_score(leaf.rule, unit=unit, year=cycle.year)
                _score_put(cycle=cycle, unit=unit, indicator=leaf, points=outcome.points, basis=outcome.basis)
            else:
                _score, created = _events_score(cycle, unit, leaf)
                counts["deductions"] += created
            counts["scores"] += 1
    audit.record(actor=actor, action="assessment.scored_auto", target=cycle, after=counts)
    return counts


# --- submissions ---------------------------------------------------------------------------------------


def _require_submitting(submission: Submission, actor: User) -> None:
    if not permissions.can_submit(actor, submission.unit):
        raise PermissionDenied(f"只有{submission.unit.name}的工作人员可以填报本单位的自评。")
    if submission.cycle.status != AssessmentCycle.Status.SUBMITTING:
        raise ValidationError("当前不在单位报送阶段。")
    if submission.status == Submission.Status.SUBMITTED:
        raise ValidationError("本单位自评已报送，不能再修改。")


@transaction.atomic
def submission_save(
    *, actor: User, submission: Submission, entries: dict[int, tuple[Decimal | None, str]]
) -> Submission:
    """Save the self-assessment: {indicator id: (自评分, 说明)} for leaves of the cycle's tree."""
    _require_submitting(submission, actor)
    by_id = {leaf.pk: leaf for leaf in leaves(submission.cycle.tree)}
    for indicator_id, (self_score, statement) in entries.items():
        leaf = by_id.get(indicator_id)
        if leaf is None:
            raise ValidationError({"entries": "自评的指标不属于本次考核的评分项。"})
        if self_score is not None and not (0 <= self_score <= leaf.max_score):
            raise ValidationError(
                {"self_score": f"{leaf.code} {leaf.name}：自评分须在0至{leaf.max_score}之间。"}
            )
        SelfAssessment.objects.update_or_create(
            submission=submission,
            indicator=leaf,
            defaults={"self_score": self_score, "statement": statement.strip()},
        )
    submission.save(update_fields=["updated_at"])
    audit.record(
        actor=actor, action="assessment.submission_saved", target=submission, after={"entries": len(entries)}
    )
    return submission


@transaction.atomic
def evidence_add(
    *, actor: User, submission: Submission, indicator: Indicator, upload: UploadedFile
) -> Evidence:
    _require_submitting(submission, actor)
    if indicator.tree_id != submission.cycle.tree_id or indicator.children.exists():
        raise ValidationError({"indicator": "佐证材料须对应本次考核的评分项。"})
    if Path(upload.name).suffix.lower() not in EVIDENCE_SUFFIXES:
        raise ValidationError(
            {
                "file": f"文件“{upload.name}”的格式不能作为佐证材料，请上传{'、'.join(sorted(EVIDENCE_SUFFIXES))}格式的文件。"
            }
        )
    problem = uploads.upload_problem(upload, allowed=uploads.DOCUMENTS, max_bytes=MAX_EVIDENCE_BYTES)
    if problem:
        raise ValidationError({"file": problem})
    evidence = Evidence(
        submission=submission,
        indicator=indicator,
        name=Path(upload.name).name[:200],
        size=upload.size,
        sha256=uploads.sha256_of(upload),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    evidence.file.save(Path(upload.name).name, upload, save=False)
    evidence.save()
    audit.record(
        actor=actor,
        action="assessment.evidence_added",
        target=submission,
        after={"indicator": indicator.code, "name": evidence.name, "sha256": evidence.sha256},
    )
    return evidence


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    """报送: every evidence-scored leaf needs a statement or a file; afterwards it is read-only."""
    _require_submitting(submission, actor)
    explained = set(submission.entries.exclude(statement="").values_list("indicator_id", flat=True))
    explained |= set(submission.evidence.values_list("indicator_id", flat=True))
    missing = [
        leaf
        for leaf in leaves(submission.cycle.tree)
        if leaf.rule.kind == ScoringRule.Kind.EVIDENCE and leaf.pk not in explained
    ]
    if missing:
        names = "、".join(f"{leaf.code} {leaf.name}" for leaf in missing[:5])
        raise ValidationError(f"以下评分项须填写自评说明或上传佐证材料后才能报送：{names}。")
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = actor
    submission.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit.record(actor=actor, action="assessment.submitted", target=submission)
    return submission


# --- review, appeals, publication --------------------------------------------------------------------------


@transaction.atomic
def score_review(
    *, actor: User, cycle: AssessmentCycle, unit: Unit, indicator: Indicator, points: Decimal, comment: str
) -> Score:
    """A reviewer scores an evidence leaf; a score below the maximum says why."""
    if not permissions.can_review(actor, cycle):
        raise PermissionDenied("只有法治督察人员可以评分。")
    if cycle.status != AssessmentCycle.Status.REVIEWING:
        raise ValidationError("只有评审阶段可以评分。")
    if (
        indicator.tree_id != cycle.tree_id
        or getattr(getattr(indicator, "rule", None), "kind", "") != ScoringRule.Kind.EVIDENCE
    ):
        raise ValidationError({"indicator": f"{indicator.code}不是按佐证材料评审的评分项。"})
    if not cycle.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"{unit.name}不在本次考核范围内。"})
    if not (0 <= points <= indicator.max_score):
        raise ValidationError(
            {"points": f"{indicator.code} {indicator.name}：得分须在0至{indicator.max_score}之间。"}
        )
    if points < indicator.max_score and len(comment.strip()) < 5:
        raise ValidationError({"comment": f"{indicator.code}：扣分须写明理由（不少于5个字）。"})
    before = Score.objects.filter(cycle=cycle, unit=unit, indicator=indicator).values("points").first()
    score = _score_put(
        cycle=cycle,
        unit=unit,
        indicator=indicator,
        points=points,
        basis="评审人依据佐证材料评分",
        source=Score.Source.REVIEWER,
        reviewer=actor,
        comment=comment.strip(),
    )
    audit.record(
        actor=actor,
        action="assessment.scored",
        target=score,
        before={"points": str(before["points"])} if before else None,
        after={"points": str(score.points), "comment": score.comment},
    )
    return score


@transaction.atomic
def appeal_submit(*, actor: User, deduction: Deduction, reasons: str) -> Appeal:
    """申诉: a unit contests a deduction once, with its reasons, before the deadline."""
    if not permissions.can_submit(actor, deduction.unit):
        raise PermissionDenied(f"只有{deduction.unit.name}的工作人员可以对本单位的扣分申诉。")
    cycle = deduction.cycle
    if cycle.status != AssessmentCycle.Status.REVIEWING:
        raise ValidationError("只有评审阶段可以申诉；结果公布后不再受理。")
    if timezone.localdate() > cycle.appeal_due:
        raise ValidationError(f"申诉截止日{cycle.appeal_due:%Y-%m-%d}已过。")
    if Appeal.objects.filter(deduction=deduction).exists():
        raise ValidationError("每处扣分只能申诉一次，该扣分已申诉。")
    if len(reasons.strip()) < 10:
        raise ValidationError({"reasons": "请写明申诉理由和依据（不少于10个字）。"})
    appeal = Appeal.objects.create(
        deduction=deduction, reasons=reasons.strip(), submitted_by=actor, submitted_at=timezone.now()
    )
    audit.record(actor=actor, action="assessment.appealed", target=deduction, after={"appeal": appeal.pk})
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, accept: bool, reason: str) -> Appeal:
    """处理申诉: accepted withdraws the deduction and gives the points back; either way with reasons."""
    deduction = appeal.deduction
    if not permissions.can_review(actor, deduction.cycle):
        raise PermissionDenied("只有法治督察人员可以处理申诉。")
    if appeal.decision != Appeal.Decision.PENDING:
        raise ValidationError("该申诉已处理。")
    if deduction.cycle.status != AssessmentCycle.Status.REVIEWING:
        raise ValidationError("只有评审阶段可以处理申诉。")
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": "请写明处理理由（不少于5个字）。"})
    appeal.decision = Appeal.Decision.ACCEPTED if accept else Appeal.Decision.REJECTED
    appeal.decision_reason = reason.strip()
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save()
    if accept:
        deduction.status = Deduction.Status.WITHDRAWN
        deduction.save(update_fields=["status"])
        _recompute_events(deduction.cycle, deduction.unit, deduction.indicator)
    audit.record(
        actor=actor,
        action="assessment.appeal_decided",
        target=deduction,
        after={"decision": appeal.decision, "reason": appeal.decision_reason},
    )
    return appeal


def ranking(totals: dict[int, Decimal]) -> dict[int, int]:
    """Standard competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(totals.values(), reverse=True)
    return {unit_id: ordered.index(total) + 1 for unit_id, total in totals.items()}


@transaction.atomic
def cycle_publish(*, actor: User, cycle: AssessmentCycle, bulletin_number: str = "") -> AssessmentCycle:
    """公布: every leaf scored for every unit and no appeal pending; totals and ranks are frozen."""
    _require_manager(actor)
    if cycle.status != AssessmentCycle.Status.REVIEWING:
        raise ValidationError("只有评审阶段的考核可以公布。")
    all_leaves = leaves(cycle.tree)
    units = list(cycle.units.order_by("sort_order", "id"))
    scored = set(Score.objects.filter(cycle=cycle).values_list("unit_id", "indicator_id"))
    missing = [(u, leaf) for u in units for leaf in all_leaves if (u.pk, leaf.pk) not in scored]
    if missing:
        shown = "、".join(f"{u.name}“{leaf.code} {leaf.name}”" for u, leaf in missing[:5])
        raise ValidationError(f"还有{len(missing)}项未评分，不能公布：{shown}等。")
    pending = Appeal.objects.filter(deduction__cycle=cycle, decision=Appeal.Decision.PENDING).count()
    if pending:
        raise ValidationError(f"还有{pending}件扣分申诉未处理，不能公布。")
    full = sum((leaf.max_score for leaf in all_leaves), Decimal("0"))
    totals = {
        row["unit_id"]: _q(row["total"])
        for row in Score.objects.filter(cycle=cycle).values("unit_id").annotate(total=Sum("points"))
    }
    ranks = ranking(totals)
    Result.objects.filter(cycle=cycle).delete()
    Result.objects.bulk_create(
        Result(cycle=cycle, unit=u, total=totals[u.pk], lost=_q(full - totals[u.pk]), rank=ranks[u.pk])
        for u in units
    )
    cycle.status = AssessmentCycle.Status.PUBLISHED
    cycle.published_at = timezone.now()
    cycle.bulletin_number = bulletin_number.strip()
    cycle.save(update_fields=["status", "published_at", "bulletin_number", "updated_at"])
    audit.record(
        actor=actor,
        action="assessment.published",
        target=cycle,
        after={str(u.pk): {"total": str(totals[u.pk]), "rank": ranks[u.pk]} for u in units},
    )
    return cycle


# --- rectification ----------------------------------------------------------------------------------------


@transaction.atomic
def rectification_open(
    *,
    actor: User,
    cycle: AssessmentCycle,
    unit: Unit,
    indicator: Indicator,
    deduction: Deduction | None = None,
    period: str = "",
) -> Rectification:
    """整改: a lost point becomes a rectification case for the unit, clocked by the case engine."""
    _require_manager(actor)
    if cycle.status != AssessmentCycle.Status.PUBLISHED:
        raise ValidationError("结果公布后才能交办整改。")
    if deduction is not None:
        if deduction.cycle_id != cycle.pk or deduction.status != Deduction.Status.ACTIVE:
            raise ValidationError("只能对本次考核有效的扣分交办整改。")
        if Rectification.objects.filter(deduction=deduction).exists():
            raise ValidationError(f"扣分（{deduction.case.number}）已交办整改。")
        unit, indicator, lost = deduction.unit, deduction.indicator, deduction.points
        cause = f"扣分{lost}分：{deduction.reason}"
    else:
        score = Score.objects.filter(cycle=cycle, unit=unit, indicator=indicator).first()
        lost = indicator.max_score - score.points if score else Decimal("0")
        if lost <= 0:
            raise ValidationError(f"{unit.name}在“{indicator.code} {indicator.name}”上没有失分。")
        if Rectification.objects.filter(cycle=cycle, unit=unit, indicator=indicator, deduction=None).exists():
            raise ValidationError(f"{unit.name}“{indicator.code} {indicator.name}”的失分已交办整改。")
        cause = f"失分{_q(lost)}分：{score.basis}{'；' + score.comment if score.comment else ''}"
    case = case_services.case_open(
        case_type=CaseType.objects.get(code=RECTIFICATION_CASE_TYPE),
        title=f"整改：{cycle.name}“{indicator.code} {indicator.name}”失分",
        description=f"{cause}\n考核要求：{indicator.requirement}\n请分析原因、落实整改，写明整改情况后办结。",
        handling_unit=unit,
        actor=actor,
        period=period,
    )
    rectification = Rectification.objects.create(
        cycle=cycle, unit=unit, indicator=indicator, deduction=deduction, case=case, lost_points=_q(lost)
    )
    audit.record(
        actor=actor,
        action="assessment.rectification_opened",
        target=rectification,
        after={"case": case.number, "due": case.due_date.isoformat(), "lost": str(rectification.lost_points)},
    )
    return rectification
