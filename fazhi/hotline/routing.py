"""派单建议: which category a text belongs to and which unit should lead, with a confidence
and the reasons a person can check.

Order of authority: the category the operator chose beats a guessed one; the routing table
(ordered rules) beats the boundary items (边界事项) of the responsibility list; below
`AUTO_ROUTE_CONFIDENCE` nothing is routed on its own. The learned model (learning.py) proposes
the category when it is surer than the keywords, and the lead unit when no rule applies; the
routing table still beats it (docs/adr/0009-learned-routing.md).
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q

from fazhi.hotline.models import Category, RoutingRule
from fazhi.org.models import BoundaryItem, Region, Unit

STRONG_MATCH_CHARS = 6  # six matched characters of category vocabulary is a confident match


def auto_route_confidence() -> float:
    return getattr(settings, "FAZHI_HOTLINE_AUTO_ROUTE_CONFIDENCE", 0.6)


@dataclass(frozen=True)
class CategoryGuess:
    category: Category
    score: float
    hits: tuple[str, ...]


@dataclass
class RouteSuggestion:
    category: Category | None = None
    category_confidence: float = 0.0
    lead_unit: Unit | None = None
    co_units: list[Unit] = field(default_factory=list)
    confidence: float = 0.0
    source: str = "none"  # "rule", "model", "boundary" or "none"
    rule: RoutingRule | None = None
    boundary_item: BoundaryItem | None = None
    reasons: list[str] = field(default_factory=list)
    category_source: str = "none"  # "operator", "model", "keywords" or "none"
    learned: Any = None  # learning.LearnedRoute of the active model version, when there is one

    @property
    def routable(self) -> bool:
        return self.lead_unit is not None and self.confidence >= auto_route_confidence()


def region_chain(region: Region | None) -> list[int]:
    """The region and its ancestors, nearest first (at most five levels)."""
    ids: list[int] = []
    node = region
    while node is not None and len(ids) < 6:
        ids.append(node.pk)
        node = (
            Region.objects.only("id", "parent_id").filter(pk=node.parent_id).first()
            if node.parent_id
            else None
        )
    return ids


def category_chain(category: Category | None) -> list[int]:
    if category is None:
        return []
    ids = [category.pk]
    parent_id = category.parent_id
    while parent_id:
        ids.append(parent_id)
        parent_id = Category.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ids


def guess_categories(text: str, *, limit: int = 3) -> list[CategoryGuess]:
    """Third-level categories whose name or keywords occur in the text, best first.

    Score = characters matched: the category's own name and keywords count in full, the names
    of its second-level parent count half (they say less about the exact matter).
    """
    text = text or ""
    if not text.strip():
        return []
    guesses = []
    leaves = Category.objects.filter(level=Category.Level.THIRD, is_active=True).select_related("parent")
    for leaf in leaves:
        terms = dict.fromkeys([leaf.name, *leaf.keyword_list()])
        hits = [t for t in terms if t and t in text]
        score = float(sum(len(t) for t in hits))
        if leaf.parent and leaf.parent.name in text:
            hits.append(leaf.parent.name)
            score += len(leaf.parent.name) / 2
        if score:
            guesses.append(CategoryGuess(category=leaf, score=score, hits=tuple(hits)))
    guesses.sort(key=lambda g: (-g.score, g.category.code))
    return guesses[:limit]


def category_confidence(guesses: list[CategoryGuess]) -> float:
    """Strength of the best match times how clearly it beats the runner-up, in [0, 1]."""
    if not guesses:
        return 0.0
    best = guesses[0].score
    second = guesses[1].score if len(guesses) > 1 else 0.0
    strength = min(1.0, best / STRONG_MATCH_CHARS)
    margin = best / (best + second)
    return round(strength * margin, 2)


def rule_for(*, category: Category | None, region: Region | None, request_type: str = "", text: str = ""):
    """The first active routing rule (by priority) whose every set condition holds, or None."""
    category_ids = category_chain(category)
    region_ids = region_chain(region)
    rules = (
        RoutingRule.objects.filter(is_active=True)
        .filter(Q(category__isnull=True) | Q(category_id__in=category_ids))
        .filter(Q(region__isnull=True) | Q(region_id__in=region_ids))
        .filter(Q(request_type="") | Q(request_type=request_type))
        .select_related("lead_unit", "category", "region")
        .prefetch_related("co_units")
        .order_by("priority", "id")
    )
    for rule in rules:
        words = rule.keyword_list()
        if words and not any(w in (text or "") for w in words):
            continue
        if not rule.lead_unit.is_active:
            continue  # a merged unit's rules wait for the centre to point them at the successor
        return rule
    return None


def boundary_matches(text: str) -> list[tuple[BoundaryItem, list[str]]]:
    from fazhi.org.selectors import boundary_items_matching

    return boundary_items_matching(text)


def suggest_route(
    *,
    text: str,
    region: Region | None = None,
    category: Category | None = None,
    request_type: str = "",
) -> RouteSuggestion:
    from fazhi.hotline import learning

    suggestion = RouteSuggestion()
    learned = suggestion.learned = learning.predict(
        text=text, region=region, category=category, request_type=request_type
    )
    model_floor = learning.model_min_confidence()
    if category is not None:
        suggestion.category, suggestion.category_confidence = category, 1.0
        suggestion.category_source = "operator"
        suggestion.reasons.append(f"分类「{category.name}」由话务员选定。")
    else:
        guesses = guess_categories(text)
        keyword_confidence = category_confidence(guesses)
        if (
            learned is not None
            and learned.category is not None
            and learned.category_confidence >= model_floor
            and learned.category_confidence >= keyword_confidence
        ):
            suggestion.category = learned.category
            suggestion.category_confidence = round(learned.category_confidence, 2)
            suggestion.category_source = "model"
            evidence = f"，依据“{'”“'.join(learned.evidence)}”" if learned.evidence else ""
            runner_up = (
                f"；其次「{learned.alternatives[0][0].name}」（{learned.alternatives[0][1]:.0%}）"
                if learned.alternatives
                else ""
            )
            suggestion.reasons.append(
                f"分类「{learned.category.name}」：派单模型第{learned.version}版判断，置信度{learned.category_confidence:.0%}{evidence}{runner_up}。"
            )
        elif guesses:
            suggestion.category_source = "keywords"
            best = guesses[0]
            suggestion.category = best.category
            suggestion.category_confidence = category_confidence(guesses)
            runner_up = f"；其次「{guesses[1].category.name}」" if len(guesses) > 1 else ""
            suggestion.reasons.append(
                f"分类「{best.category.name}」：内容含“{'”“'.join(best.hits)}”{runner_up}。"
            )
        else:
            suggestion.reasons.append("内容中没有识别到分类关键词。")

    rule = rule_for(category=suggestion.category, region=region, request_type=request_type, text=text)
    if rule is not None:
        suggestion.rule, suggestion.source = rule, "rule"
        suggestion.lead_unit = rule.lead_unit
        suggestion.co_units = list(rule.co_units.all())
        matched_words = [w for w in rule.keyword_list() if w in text]
        # A rule on the category is as sure as the category; one that also matched words is surer;
        # a catch-all rule ("everything else goes to …") is a fallback, never sure enough alone.
        if rule.category_id:
            base = suggestion.category_confidence
        elif rule.region_id or rule.keywords or rule.request_type:
            base = 0.7
        else:
            base = 0.5
        suggestion.confidence = round(min(1.0, base + (0.1 if matched_words else 0.0)), 2)
        where = f"，区域「{rule.region.name}」" if rule.region_id else ""
        suggestion.reasons.append(
            f"派单规则「{rule.name}」（优先级{rule.priority}{where}）：由{rule.lead_unit.name}主办。"
        )
        if learned is not None and learned.lead_unit is not None and learned.lead_unit != rule.lead_unit:
            suggestion.reasons.append(
                f"派单模型倾向{learned.lead_unit.name}（置信度{learned.unit_confidence:.0%}），以派单规则为准。"
            )
        return suggestion

    if learned is not None and learned.lead_unit is not None and learned.unit_confidence >= model_floor:
        suggestion.source, suggestion.lead_unit = "model", learned.lead_unit
        # The unit was read with the suggested category: it is no surer than that category, or a
        # confident unit for a wrongly guessed matter would route on its own.
        sure = learned.unit_confidence
        if suggestion.category_source != "operator":
            sure = min(sure, suggestion.category_confidence)
        suggestion.confidence = round(sure, 2)
        suggestion.reasons.append(
            f"派单模型第{learned.version}版（{learned.samples}件历史工单）：类似诉求多由{learned.lead_unit.name}办理，置信度{suggestion.confidence:.0%}。"
        )
        return suggestion

    matches = boundary_matches(text)
    if matches:
        item, hits = matches[0]
        suggestion.boundary_item, suggestion.source = item, "boundary"
        suggestion.lead_unit = item.lead_unit
        suggestion.co_units = list(item.co_units.all())
        suggestion.confidence = round(min(0.9, 0.4 + 0.15 * len(hits)), 2)
        suggestion.reasons.append(
            f"边界事项「{item.name}」：内容含“{'”“'.join(hits)}”，由{item.lead_unit.name}牵头。"
        )
        return suggestion

    suggestion.reasons.append("派单规则和边界事项都没有对应的承办单位，请人工派单。")
    return suggestion
