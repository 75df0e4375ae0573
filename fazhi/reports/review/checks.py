"""Arithmetic checks on a report's own figures, each explained in one sentence a clerk understands.

- rate: a stated rate against its numerator and denominator, and which rounding produces it;
- rate_implied: a stated rate against its denominator alone (can any whole count give it?);
- rate_derived: a rate the report leaves out, computed from the counts it gives;
- stage: a later stage against the earlier one (受理 ≤ 收到, 办结 ≤ 受理 …);
- parts: the parts against their total ("其中…", outcomes listed after a total);
- trend: a stated direction or change against the values it links (从…提高到…, 逐年下降, 同比增长X%);
- plan_year: the year of the "next year" plans against the year reported on.
"""

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from fazhi.reports.review.figures import Figure, clean_label
from fazhi.reports.review.numbers import Quantity, display
from fazhi.reports.review.structure import PartFinding
from fazhi.reports.review.text import ReportText
from fazhi.reports.review.vocabulary import Vocabulary

HUNDRED = Decimal(100)
ROUNDINGS = (
    ("half_up", ROUND_HALF_UP, "四舍五入"),
    ("truncate", ROUND_DOWN, "直接舍去尾数"),
    ("half_even", ROUND_HALF_EVEN, "“四舍六入五成双”"),
)
UP_WORDS = ("上升", "提高", "提升", "增加", "增长")
DOWN_WORDS = ("下降", "降低", "减少", "回落", "压缩", "缩短")
_DIRECTION = "|".join(UP_WORDS + DOWN_WORDS)
_COMPARED = r"(?:同比|环比|较上年同期|较去年同期|比上年同期|比去年同期|较上年|比上年|较去年|比去年|与上年相比|与去年相比|较(?:19|20)\d{2}年(?:同期)?)"
_CHANGE_BEFORE = re.compile(rf"{_COMPARED}[^,，。;]{{0,6}}?(?P<dir>{_DIRECTION})了?\s*$")
_PREVIOUS_BEFORE = re.compile(
    r"(?:上年|去年|上一年度?|上年同期|去年同期|(?:19|20)\d{2}年(?:同期)?)(?:为|是|的|共)?\s*$"
)


@dataclass
class Check:
    kind: str
    ok: bool
    explanation: str
    figures: list[dict] = field(default_factory=list)
    severity: str = "info"  # "error" (a wrong number), "warning" (unclear or off by rounding), "info"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "ok": self.ok,
            "severity": self.severity,
            "explanation": self.explanation,
            "figures": self.figures,
        }


def rounded(value: Decimal, decimals: int, mode: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=mode)


def roundings_giving(exact: Decimal, shown: Decimal, decimals: int) -> list[str]:
    """Which of the usual roundings turn the exact rate into the one shown."""
    return [key for key, mode, _ in ROUNDINGS if rounded(exact, decimals, mode) == shown]


def counts_giving(shown: Decimal, decimals: int, denominator: Decimal) -> tuple[int, int] | None:
    """The whole counts k for which k ÷ denominator, rounded half up, is the rate shown."""
    half = Decimal(5).scaleb(-(decimals + 1))
    low = (shown - half) * denominator / HUNDRED
    high = (shown + half) * denominator / HUNDRED
    first = max(0, math.ceil(low))
    last = math.ceil(high) - 1
    last = min(last, int(denominator))
    return (first, last) if first <= last else None


def pct(value: Decimal, decimals: int) -> str:
    return f"{display(rounded(value, decimals))}%"


def ref(figure: Figure) -> dict:
    d = figure.as_dict()
    return {k: d[k] for k in ("indicator", "value", "unit", "qualifier", "quote")}


def ref_quantity(report: ReportText, q: Quantity, figures_by_start: dict[int, Figure]) -> dict:
    figure = figures_by_start.get(q.start)
    if figure is not None:
        return ref(figure)
    c_start, c_end = report.clause(q)
    value = q.value
    return {
        "indicator": "",
        "value": int(value) if value == value.to_integral_value() else float(value),
        "unit": q.unit,
        "qualifier": q.qualifier,
        "quote": report.quote(c_start, c_end),
    }


def _count(figure: Figure) -> str:
    return f"{figure.label}{figure.written}"


class Checker:
    def __init__(self, report: ReportText, figures: list[Figure], vocabulary: Vocabulary) -> None:
        self.report = report
        self.figures = figures
        self.vocabulary = vocabulary
        self.by_start = {f.quantity.start: f for f in figures}
        self.checks: list[Check] = []
        self._paired: set[tuple[int, int]] = set()

    def run(self, *, parts: list[PartFinding], year: int | None) -> list[Check]:
        self.rates()
        self.derived_rates()
        self.stages()
        self.parts_of_totals()
        self.trends()
        self.plan_year(parts, year)
        return self.checks

    # --- pairing figures --------------------------------------------------------------------------

    def _nearest(self, anchor: Figure, code: str) -> Figure | None:
        """The figure of `code` that goes with `anchor`: same paragraph, same year or span, not a
        part of another figure, nearest in the text."""
        candidates = [
            f
            for f in self.figures
            if f.indicator.code == code
            and f.paragraph == anchor.paragraph
            and (f.year, f.period) == (anchor.year, anchor.period)
            and not f.subset
            and f is not anchor
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda f: abs(f.quantity.start - anchor.quantity.start))

    # --- rates --------------------------------------------------------------------------------------

    def rates(self) -> None:
        for rate_figure in self.figures:
            spec = self.vocabulary.rate_for(rate_figure.indicator.code)
            if spec is None or rate_figure.subset:
                continue
            numerator = self._nearest(rate_figure, spec.numerator)
            denominators = [(code, self._nearest(rate_figure, code)) for code in spec.denominators]
            denominators = [(code, d) for code, d in denominators if d is not None and d.value > 0]
            if numerator is not None and denominators:
                self._rate(rate_figure, numerator, denominators)
            elif denominators:
                self._rate_implied(rate_figure, denominators[0][1])

    def _rate(self, rate: Figure, numerator: Figure, denominators: list[tuple[str, Figure]]) -> None:
        shown, decimals = rate.value, rate.quantity.decimals
        name = rate.label
        standard = denominators[0][1]
        for d in denominators:
            self._paired.add((numerator.quantity.start, d[1].quantity.start))
        figures = [ref(rate), ref(numerator), ref(standard)]
        if rate.qualifier:
            exact = numerator.value / standard.value * HUNDRED
            at_least = rate.qualifier in {"以上", "超过"}
            ok = (
                exact >= shown
                if at_least
                else exact <= shown
                if rate.qualifier in {"近", "不足", "以下"}
                else (abs(exact - shown) < 1)
            )
            verdict = "相符" if ok else "不符"
            self.checks.append(
                Check(
                    "rate",
                    ok,
                    f"{name}写作{rate.written}，按{_count(numerator)}÷{_count(standard)}计算为"
                    f"{pct(exact, decimals + 2)}，与所写{verdict}。",
                    figures,
                    "info" if ok else "error",
                )
            )
            return
        for position, (_code, denominator) in enumerate(denominators):
            exact = numerator.value / denominator.value * HUNDRED
            matches = roundings_giving(exact, shown, decimals)
            if not matches:
                continue
            division = f"{_count(numerator)}÷{_count(denominator)}={pct(exact, decimals + 2)}"
            if position > 0:
                std_exact = numerator.value / standard.value * HUNDRED
                self.checks.append(
                    Check(
                        "rate",
                        True,
                        f"{name}{rate.written}是按{division}得出的，分母用的是{denominator.indicator.short}数；"
                        f"通常以{standard.indicator.short}数为分母，按{_count(standard)}计算应为"
                        f"{pct(std_exact, decimals)}，请写明口径。",
                        [ref(rate), ref(numerator), ref(denominator)],
                        "warning",
                    )
                )
            elif "half_up" in matches:
                self.checks.append(
                    Check(
                        "rate",
                        True,
                        f"{name}{rate.written}无误：{division}，四舍五入正是{rate.written}。",
                        figures,
                    )
                )
            else:
                how = next(label for key, _m, label in ROUNDINGS if key == matches[0])
                self.checks.append(
                    Check(
                        "rate",
                        False,
                        f"{name}写作{rate.written}，{division}，四舍五入应为{pct(exact, decimals)}；"
                        f"{rate.written}是{how}得到的，建议改为{pct(exact, decimals)}。",
                        figures,
                        "warning",
                    )
                )
            return
        exact = numerator.value / standard.value * HUNDRED
        division = f"{_count(numerator)}÷{_count(standard)}={pct(exact, decimals + 2)}"
        counts = counts_giving(shown, decimals, standard.value)
        if counts is not None:
            first, last = counts
            span = f"为{first}{numerator.unit}" if first == last else f"在{first}至{last}{numerator.unit}之间"
            fix = f"若{rate.written}无误，{numerator.indicator.short}数应{span}。"
        else:
            fix = f"以{_count(standard)}为分母，没有哪个整数能得出{rate.written}，请核对分母。"
        self.checks.append(
            Check(
                "rate",
                False,
                f"{name}写作{rate.written}，但{division}，四舍五入为{pct(exact, decimals)}，与所写不符；{fix}",
                figures,
                "error",
            )
        )

    def _rate_implied(self, rate: Figure, denominator: Figure) -> None:
        shown, decimals = rate.value, rate.quantity.decimals
        if rate.qualifier or shown <= 0 or shown >= HUNDRED or denominator.qualifier:
            return
        name = rate.label
        counts = counts_giving(shown, decimals, denominator.value)
        figures = [ref(rate), ref(denominator)]
        if counts is not None:
            first, last = counts
            span = f"{first}{denominator.unit}" if first == last else f"{first}至{last}{denominator.unit}"
            self.checks.append(
                Check(
                    "rate_implied",
                    True,
                    f"{name}{rate.written}与{_count(denominator)}相符，相当于{span}（报告未写明该数）。",
                    figures,
                )
            )
            return
        below = math.floor(shown * denominator.value / HUNDRED)
        near = [k for k in (below, below + 1) if 0 <= k <= denominator.value]
        examples = "，".join(
            f"{k}{denominator.unit}为{pct(Decimal(k) / denominator.value * HUNDRED, decimals)}" for k in near
        )
        self.checks.append(
            Check(
                "rate_implied",
                False,
                f"{name}写作{rate.written}，但以{_count(denominator)}为分母，没有哪个整数能得出这个比率"
                f"（{examples}）；分母可能另有口径，请写明{name}的计算方法。",
                figures,
                "warning",
            )
        )

    def derived_rates(self) -> None:
        stated = {(f.indicator.code, f.paragraph, f.year, f.period) for f in self.figures}
        for spec in self.vocabulary.rates:
            if not spec.derive:
                continue
            for numerator in self.figures:
                if numerator.indicator.code != spec.numerator or numerator.subset:
                    continue
                if (spec.rate, numerator.paragraph, numerator.year, numerator.period) in stated:
                    continue
                denominator = self._nearest(numerator, spec.denominators[0])
                if denominator is None or denominator.value <= 0:
                    continue
                self._paired.add((numerator.quantity.start, denominator.quantity.start))
                rate = self.vocabulary.indicator(spec.rate)
                exact = numerator.value / denominator.value * HUNDRED
                if exact > HUNDRED and not (numerator.qualifier or denominator.qualifier):
                    self.checks.append(
                        Check(
                            "stage",
                            False,
                            f"{_count(numerator)}多于{_count(denominator)}，{numerator.indicator.short}数不应超过"
                            f"{denominator.indicator.short}数，请核对。",
                            [ref(numerator), ref(denominator)],
                            "error",
                        )
                    )
                    continue
                self.checks.append(
                    Check(
                        "rate_derived",
                        True,
                        f"报告未写{rate.name.replace('·', '')}；按{_count(numerator)}÷{_count(denominator)}"
                        f"计算为{pct(exact, 1)}。",
                        [ref(numerator), ref(denominator)],
                    )
                )

    # --- stages and totals --------------------------------------------------------------------------

    def stages(self) -> None:
        for spec in self.vocabulary.stages:
            for part in self.figures:
                if part.indicator.code != spec.part or part.subset:
                    continue
                whole = self._nearest(part, spec.whole)
                if whole is None or (part.quantity.start, whole.quantity.start) in self._paired:
                    continue
                if part.qualifier or whole.qualifier:
                    continue
                ok = part.value <= whole.value
                if ok:
                    text = f"{_count(part)}未超过{_count(whole)}。"
                else:
                    text = (
                        f"{_count(part)}多于{_count(whole)}，{part.indicator.short}数不应超过"
                        f"{whole.indicator.short}数，请核对。"
                    )
                self.checks.append(
                    Check("stage", ok, text, [ref(part), ref(whole)], "info" if ok else "error")
                )

    def _label(self, index: int) -> str:
        report, q = self.report, self.report.quantities[index]
        c_start, _ = report.clause(q)
        previous = report.quantities[index - 1] if index > 0 else None
        start = previous.end if previous is not None and previous.end > c_start else c_start
        return clean_label(report.text[start : q.start])

    def parts_of_totals(self) -> None:
        report = self.report
        quantities = report.quantities
        text = report.text
        outcome = self.vocabulary.outcome_words
        used: set[int] = set()
        for index, total in enumerate(quantities):
            if total.unit == "%" or index in used or total.qualifier:
                continue
            s_start, s_end = report.sentence(total)
            after = [(i, q) for i, q in enumerate(quantities) if q.start >= total.end and q.end <= s_end]
            # "X件，其中A件、B件": each part within the total.
            marker = text.find("其中", total.end, s_end)
            if marker != -1 and not any(q.start < marker and q.unit == total.unit for _, q in after):
                parts = [(i, q) for i, q in after if q.start > marker and q.unit == total.unit]
                if parts and not any(q.qualifier for _, q in parts):
                    used.update(i for i, _ in parts)
                    self._parts_check(total, [q for _, q in parts], "其中")
                    continue
            run: list[Quantity] = []
            for i, q in after:
                if q.unit != total.unit or not outcome.search(self._label(i)):
                    break
                run.append(q)
            if len(run) < 2 or outcome.search(self._label(index)) or any(q.qualifier for q in run):
                continue
            total_sum = sum(q.value for q in run)
            if total_sum < total.value:
                continue  # the rest may still be pending; nothing to say
            used.update(i for i, q in after if q in run)
            self._parts_check(total, run, "outcomes")

    def _parts_check(self, total: Quantity, parts: list[Quantity], how: str) -> None:
        report = self.report
        refs = [ref_quantity(report, total, self.by_start)] + [
            ref_quantity(report, q, self.by_start) for q in parts
        ]
        unit = total.unit
        listed = "+".join(display(q.value) for q in parts)
        total_sum = sum(q.value for q in parts)
        if how == "其中":
            too_big = [q for q in parts if q.value > total.value]
            if too_big:
                text = f"“其中”所列的{display(too_big[0].value)}{unit}比总数{display(total.value)}{unit}还多，请核对。"
                self.checks.append(Check("parts", False, text, refs, "error"))
            elif total_sum > total.value and len(parts) > 1:
                text = (
                    f"“其中”所列各项合计{display(total_sum)}{unit}（{listed}），多于总数{display(total.value)}{unit}；"
                    "如各项互不重叠，请核对是否重复统计。"
                )
                self.checks.append(Check("parts", False, text, refs, "warning"))
            elif total_sum == total.value and len(parts) > 1:
                text = f"“其中”所列各项合计{display(total_sum)}{unit}（{listed}），与总数{display(total.value)}{unit}相符。"
            else:
                text = f"“其中”所列{listed}{unit}未超过总数{display(total.value)}{unit}。"
                self.checks.append(Check("parts", True, text, refs))
            return
        if total_sum == total.value:
            text = (
                f"列出的各项结果{listed}={display(total_sum)}{unit}，与总数{display(total.value)}{unit}相符。"
            )
            self.checks.append(Check("parts", True, text, refs))
        else:
            text = (
                f"列出的各项结果合计{display(total_sum)}{unit}（{listed}），多于总数{display(total.value)}{unit}；"
                "如包含上年结转的案件，请注明，否则请核对。"
            )
            self.checks.append(Check("parts", False, text, refs, "error"))

    # --- trends -------------------------------------------------------------------------------------

    @staticmethod
    def _name(q: Quantity) -> str:
        return q.raw  # as the report writes it: "7.0%", "一百五十六件"

    def trends(self) -> None:
        report, text = self.report, self.report.text
        seen_sentences: set[tuple[int, int]] = set()
        for q in report.quantities:
            sentence = report.sentence(q)
            if sentence in seen_sentences:
                continue
            seen_sentences.add(sentence)
            self._from_to(*sentence)
            self._year_on_year_series(*sentence)
        for index, change in enumerate(report.quantities):
            start = report.quantities[index - 1].end if index > 0 else 0
            s_start, s_end = report.sentence(change)
            m = _CHANGE_BEFORE.search(text[max(start, s_start) : change.start])
            if m:
                self._stated_change(index, change, m.group("dir"), s_start, s_end)

    def _from_to(self, s_start: int, s_end: int) -> None:
        report, text = self.report, self.report.text
        pattern = re.compile(rf"(?:从|由)(?P<mid>[^。;]{{0,60}}?)(?P<dir>{_DIRECTION})了?(?:到|至)")
        for m in pattern.finditer(text, s_start, s_end):
            sources = report.quantities_between(m.start("mid"), m.end("mid"))
            targets = [q for q in report.quantities_between(m.end(), s_end) if q.start - m.end() <= 4]
            if not sources or not targets:
                continue
            target = targets[0]
            series = [*sources, target]
            if any(q.unit != target.unit for q in series):
                continue
            up = m.group("dir") in UP_WORDS
            steps = list(zip(series, series[1:], strict=False))
            ok = all((b.value > a.value) if up else (b.value < a.value) for a, b in steps)
            written = "、".join(self._name(q) for q in sources)
            refs = [ref_quantity(report, q, self.by_start) for q in series]
            if ok:
                explanation = f"从{written}{m.group('dir')}到{self._name(target)}，数字确实是{('上升' if up else '下降')}的。"
            else:
                explanation = (
                    f"写的是从{written}{m.group('dir')}到{self._name(target)}，但数字并非逐步"
                    f"{'上升' if up else '下降'}，请核对。"
                )
            self.checks.append(Check("trend", ok, explanation, refs, "info" if ok else "error"))

    def _year_on_year_series(self, s_start: int, s_end: int) -> None:
        report, text = self.report, self.report.text
        m = re.search(r"逐年(上升|增长|增加|提高|下降|减少|降低)", text[s_start:s_end])
        if not m:
            return
        after = report.quantities_between(s_start + m.end(), s_end)
        series: list[Quantity] = []
        for q in after:
            if series and (
                q.unit != series[-1].unit
                or not re.fullmatch(r"\s*[、,，和]\s*", text[series[-1].end : q.start])
            ):
                break
            series.append(q)
        if len(series) < 2:
            return
        up = m.group(1) in UP_WORDS
        ok = all(
            (b.value > a.value) if up else (b.value < a.value)
            for a, b in zip(series, series[1:], strict=False)
        )
        written = "、".join(self._name(q) for q in series)
        refs = [ref_quantity(report, q, self.by_start) for q in series]
        if ok:
            explanation = f"写的是{m.group(0)}，各年数字{written}确实逐年{m.group(1)}。"
        else:
            explanation = f"写的是{m.group(0)}，但各年数字{written}并非逐年{m.group(1)}，请核对。"
        self.checks.append(Check("trend", ok, explanation, refs, "info" if ok else "error"))

    def _stated_change(self, index: int, change: Quantity, direction: str, s_start: int, s_end: int) -> None:
        report, text = self.report, self.report.text
        quantities = report.quantities
        current = None
        for q in reversed(quantities[:index]):
            if q.start < s_start:
                break
            if change.is_points:
                fits = q.unit == "%"
            elif change.unit == "%":
                fits = not q.is_points
            else:
                fits = q.unit == change.unit
            if fits:
                current = q
                break
        if current is None:
            return
        previous = None
        for i, q in enumerate(quantities):
            if q is current or q is change or not (s_start <= q.start < s_end) or q.unit != current.unit:
                continue
            start = quantities[i - 1].end if i > 0 and quantities[i - 1].end > s_start else s_start
            if _PREVIOUS_BEFORE.search(text[start : q.start].strip(" ,，(（")):
                previous = q
                break
        if previous is None:
            figure = self.by_start.get(current.start)
            if figure is not None and figure.year is not None:
                earlier = [
                    f for f in self.figures if f.indicator == figure.indicator and f.year == figure.year - 1
                ]
                previous = earlier[0].quantity if earlier else None
        if previous is None or previous.value == 0:
            return
        up = direction in UP_WORDS
        refs = [ref_quantity(report, q, self.by_start) for q in (current, previous, change)]
        decimals = change.decimals
        if change.is_points:
            actual = current.value - previous.value
            shown = f"{display(abs(actual))}个百分点"
            computed = rounded(abs(actual), decimals)
            stated = change.value
        elif change.unit == "%":
            actual = (current.value - previous.value) / previous.value * HUNDRED
            computed = rounded(abs(actual), decimals)
            shown = pct(abs(actual), decimals)
            stated = change.value
        else:
            actual = current.value - previous.value
            computed = abs(actual)
            shown = f"{display(abs(actual))}{change.unit}"
            stated = change.value
        right_way = (actual > 0) if up else (actual < 0)
        ok = right_way and (computed == stated or change.qualifier != "")
        written = f"{direction}{display(change.value)}{change.unit}"
        actual_word = "增加" if actual > 0 else "减少" if actual < 0 else "持平"
        basis = f"本期{self._name(current)}、上期{self._name(previous)}"
        if ok:
            explanation = f"写的是{written}；按{basis}计算正是{actual_word}{shown}。"
        elif not right_way:
            explanation = f"写的是{written}，但按{basis}计算实际是{actual_word}{shown}，方向相反，请核对。"
        else:
            explanation = f"写的是{written}，但按{basis}计算应为{actual_word}{shown}，请核对。"
        self.checks.append(Check("trend", ok, explanation, refs, "info" if ok else "error"))

    # --- the plan's year ------------------------------------------------------------------------------

    def plan_year(self, parts: list[PartFinding], year: int | None) -> None:
        plans = next((p for p in parts if p.key == "plans" and p.found), None)
        if plans is None or year is None:
            return
        m = re.search(r"((?:19|20)\d{2})\s*年", plans.heading)
        if not m:
            return
        planned = int(m.group(1))
        if planned == year + 1:
            explanation = f"下一年度安排写的是{planned}年的工作，与{year}年度报告相衔接。"
            self.checks.append(Check("plan_year", True, explanation))
        else:
            explanation = f"本报告是{year}年度的报告，但“{plans.heading}”写的是{planned}年的工作，下一年度应为{year + 1}年。"
            self.checks.append(Check("plan_year", False, explanation, [], "error"))
