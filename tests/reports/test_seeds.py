"""The five published reports in ../shared/seeds, copied into data/: what each actually says."""

from decimal import Decimal

from tests.reports.conftest import failing, part_status, values


def test_every_seed_lacks_the_other_matters_part(seeds):
    # None of the five has a "其他需要报告的情况" part; the review must say so for each.
    for review in seeds.values():
        assert part_status(review)["other"] == "missing"


# --- 濮阳 (a 人大常委会 research report, not an annual report) ------------------------------------


def test_puyang_is_flagged_as_a_research_report_with_three_parts_missing(seeds):
    review = seeds["puyang"]
    assert review.region == "濮阳市"
    assert any("调研报告" in note for note in review.notes)
    assert part_status(review) == {
        "measures": "found",
        "deficiencies": "found",
        "responsibility": "missing",
        "plans": "missing",
        "other": "missing",
    }
    assert review.parts[1].heading == "二、我市法治政府建设存在的问题"


def test_puyang_procuratorial_suggestions_342_issued_308_answered(seeds):
    review = seeds["puyang"]
    assert values(review, "procuratorial_suggestion.received") == [Decimal(342)]
    assert values(review, "procuratorial_suggestion.replied") == [Decimal(308)]
    # "检察建议回复率不能做到100%" is a negation, not a stated rate of 100%.
    assert values(review, "procuratorial_suggestion.reply_rate") == []
    derived = [
        c.explanation for c in review.checks if c.kind == "rate_derived" and "检察建议" in c.explanation
    ]
    assert derived == ["报告未写检察建议回复率；按回复308件÷检察建议342件计算为90.1%。"]


def test_puyang_litigation_series_by_year_and_its_falling_trend(seeds):
    review = seeds["puyang"]
    by_year = {f.year: f.value for f in review.figures if f.indicator.code == "litigation.cases" and f.year}
    assert by_year == {2017: 708, 2018: 612, 2019: 494}
    trend = [c for c in review.checks if c.kind == "trend" and "逐年下降" in c.explanation]
    assert len(trend) == 1 and trend[0].ok


def test_puyang_rates_rising_from_2016_are_read_with_their_years(seeds):
    review = seeds["puyang"]
    appearance = [
        (f.year, f.value) for f in review.figures if f.indicator.code == "litigation.appearance_rate"
    ]
    assert appearance == [(2016, 18), (None, 42)]
    replies = [
        (f.year, f.value) for f in review.figures if f.indicator.code == "judicial_suggestion.reply_rate"
    ]
    assert replies == [(2016, 30), (2019, 91), (None, 100)]
    assert all(c.ok for c in review.checks if c.kind == "trend")


def test_puyang_losses_since_2016_and_the_county_part_of_them(seeds):
    review = seeds["puyang"]
    lost = [(f.value, f.subset, f.period) for f in review.figures if f.indicator.code == "litigation.lost"]
    assert lost == [(897, False, "2016年以来"), (610, True, "2016年以来")]
    assert values(review, "litigation.concluded") == [2838]
    assert values(review, "reconsideration.accepted") == [486]
    assert values(review, "reconsideration.corrected") == [120]
    parts = [c for c in review.checks if c.kind == "parts"]
    assert [c.ok for c in parts] == [True] and "610件未超过总数897件" in parts[0].explanation
    assert "按败诉897件÷审结2838件计算为31.6%" in " ".join(c.explanation for c in review.checks)


# --- 济南 2020 -------------------------------------------------------------------------------------


def test_jinan_parts_with_the_first_duty_only_as_a_subsection(seeds):
    review = seeds["jinan"]
    assert (review.region, review.year) == ("济南市", 2020)
    assert part_status(review) == {
        "measures": "found",
        "deficiencies": "found",
        "responsibility": "subsection",
        "plans": "found",
        "other": "missing",
    }
    responsibility = next(p for p in review.parts if p.key == "responsibility")
    assert "压实法治建设第一责任人职责" in responsibility.heading
    assert next(p for p in review.parts if p.key == "plans").heading == "三、2021年工作打算"


def test_jinan_figures(seeds):
    review = seeds["jinan"]
    assert values(review, "reconsideration.concluded") == [2242]
    assert values(review, "reconsideration.correction_rate") == [Decimal("32.42")]
    assert values(review, "litigation.cases") == [3155]
    assert values(review, "litigation.loss_rate") == [Decimal("19.86")]
    assert values(review, "litigation.appearance_rate") == [Decimal("80.86")]
    assert values(review, "legal_advisers.opinions") == [83]
    assert values(review, "suggestions.npc_handled") == [412]
    assert values(review, "suggestions.cppcc_handled") == [736]
    assert values(review, "normative_documents.reviewed") == [593]
    assert values(review, "normative_documents.filed") == [24]
    # "规章修改4件、废止1件" are 规章, not 规范性文件.
    assert values(review, "normative_documents.abolished") == []
    trained = [f for f in review.figures if f.indicator.code == "enforcement_staff.trained"]
    assert [(f.value, f.qualifier) for f in trained] == [(2500, "余")]
    hotline = [f for f in review.figures if f.indicator.code == "hotline.received"]
    assert [(f.value, f.qualifier, f.written) for f in hotline] == [(10_000_000, "超过", "突破1000万件")]


def test_jinan_12348_legal_hotline_is_not_the_12345_line(seeds):
    assert all(f.value != 10_000 for f in seeds["jinan"].figures if f.indicator.topic == "hotline")


def test_jinan_rates_that_no_whole_count_of_the_stated_cases_can_give(seeds):
    problems = failing(seeds["jinan"], "rate_implied")
    assert problems == [
        "综合纠错率写作32.42%，但以审理案件2242件为分母，没有哪个整数能得出这个比率（726件为32.38%，"
        "727件为32.43%）；分母可能另有口径，请写明综合纠错率的计算方法。",
        "败诉率写作19.86%，但以行政诉讼案件3155件为分母，没有哪个整数能得出这个比率（626件为19.84%，"
        "627件为19.87%）；分母可能另有口径，请写明败诉率的计算方法。",
    ]
    appearance = [c for c in seeds["jinan"].checks if c.kind == "rate_implied" and c.ok]
    assert len(appearance) == 1 and "相当于2551件" in appearance[0].explanation


# --- 随州 2023 -------------------------------------------------------------------------------------


def test_suizhou_combined_heading_covers_deficiencies_and_plans(seeds):
    review = seeds["suizhou"]
    assert (review.region, review.year) == ("随州市", 2023)
    parts = {p.key: p for p in review.parts}
    assert parts["deficiencies"].heading == parts["plans"].heading == "三、存在不足及下一年度安排"
    assert parts["responsibility"].heading == "二、党政主要负责人履行推进法治建设第一责任人职责情况"
    assert part_status(review)["other"] == "missing"


def test_suizhou_reconsideration_and_its_correct_rate(seeds):
    review = seeds["suizhou"]
    assert values(review, "reconsideration.received") == [30]
    assert values(review, "reconsideration.accepted") == [27]
    assert values(review, "reconsideration.concluded") == [23]
    assert values(review, "reconsideration.corrected") == [4]
    assert values(review, "reconsideration.correction_rate") == [Decimal("17.4")]
    assert all(f.year == 2023 for f in review.figures if f.indicator.topic == "reconsideration")
    rate = [c for c in review.checks if c.kind == "rate"]
    assert [(c.ok, c.explanation) for c in rate] == [
        (True, "直接纠错率17.4%无误：纠错4件÷办结23件=17.391%，四舍五入正是17.4%。")
    ]
    assert failing(review) == []


def test_suizhou_other_figures(seeds):
    review = seeds["suizhou"]
    assert values(review, "major_decisions.catalogued") == [8]
    assert values(review, "normative_documents.issued") == [22]
    assert values(review, "normative_documents.filing_rate") == [100]
    assert values(review, "normative_documents.abolished") == [7]
    assert values(review, "enforcement_staff.certified") == [500]
    trained = [f for f in review.figures if f.indicator.code == "enforcement_staff.trained"]
    assert [(f.value, f.qualifier) for f in trained] == [(3000, "余")]
    # "办结上级转办2件" is supervision work, and arbitration is not mediation.
    assert 2 not in values(review, "reconsideration.concluded")
    assert values(review, "mediation.disputes") == []


# --- 昆都仑区 2022 ---------------------------------------------------------------------------------


def test_kundulun_parts_all_present_but_other(seeds):
    review = seeds["kundulun"]
    assert (review.region, review.year) == ("昆都仑区", 2022)
    assert part_status(review) == {
        "measures": "found",
        "deficiencies": "found",
        "responsibility": "found",
        "plans": "found",
        "other": "missing",
    }


def test_kundulun_closure_rate_does_not_match_its_counts(seeds):
    review = seeds["kundulun"]
    assert values(review, "hotline.received") == [68476]
    assert values(review, "hotline.closed") == [65485]
    assert values(review, "hotline.closure_rate") == [Decimal("95.64")]
    closure = [c for c in review.checks if c.kind == "rate" and "办结率" in c.explanation]
    assert len(closure) == 1
    assert not closure[0].ok and closure[0].severity == "error"
    assert closure[0].explanation == (
        "办结率写作95.64%，但办结65485件÷受理68476件=95.632%，四舍五入为95.63%，与所写不符；"
        "若95.64%无误，办结数应在65488至65493件之间。"
    )


def test_kundulun_mediation_rate_is_truncated_not_rounded(seeds):
    review = seeds["kundulun"]
    assert values(review, "mediation.disputes") == [5920]
    assert values(review, "mediation.successful") == [5875]
    mediation = [c for c in review.checks if c.kind == "rate" and "调处成功率" in c.explanation]
    assert len(mediation) == 1 and not mediation[0].ok and mediation[0].severity == "warning"
    assert "四舍五入应为99.24%" in mediation[0].explanation
    assert "99.23%是直接舍去尾数得到的" in mediation[0].explanation


def test_kundulun_other_figures(seeds):
    review = seeds["kundulun"]
    assert values(review, "reconsideration.accepted") == [37]
    assert values(review, "reconsideration.concluded") == [25]
    assert values(review, "litigation.cases") == [43]
    assert values(review, "litigation.concluded") == [20]
    assert values(review, "normative_documents.filed") == [2]
    assert values(review, "major_decisions.catalogued") == [1]
    assert values(review, "legal_advisers.opinions") == [55]
    assert values(review, "enforcement_staff.certified") == [55]
    assert values(review, "case_files.reviewed") == [60]
    assert values(review, "suggestions.handled") == [414]
    satisfaction = [f for f in review.figures if f.indicator.code == "suggestions.satisfaction_rate"]
    assert [(f.value, f.qualifier) for f in satisfaction] == [(96, "以上")]
    assert values(review, "hotline.satisfaction_rate") == []


# --- 普兰店区 2016 ---------------------------------------------------------------------------------


def test_pulandian_problems_are_a_subsection_and_first_duty_is_missing(seeds):
    review = seeds["pulandian"]
    assert (review.region, review.year) == ("大连市普兰店区", 2016)
    assert part_status(review) == {
        "measures": "found",
        "deficiencies": "subsection",
        "responsibility": "missing",
        "plans": "found",
        "other": "missing",
    }
    assert next(p for p in review.parts if p.key == "deficiencies").heading == "(十)存在的问题"


def test_pulandian_outcomes_add_up_to_their_totals(seeds):
    review = seeds["pulandian"]
    sums = sorted(c.explanation for c in review.checks if c.kind == "parts")
    assert sums == [
        "列出的各项结果23+1=24件，与总数24件相符。",
        "列出的各项结果3+1+1=5件，与总数5件相符。",
        "列出的各项结果8+10+4+1=23件，与总数23件相符。",
    ]
    assert failing(review) == []


def test_pulandian_figures(seeds):
    review = seeds["pulandian"]
    assert values(review, "reconsideration.accepted") == [23]
    assert values(review, "reconsideration.corrected") == [8]
    assert values(review, "litigation.cases") == [30]  # not the 99 cases its law firms argued
    assert values(review, "normative_documents.reviewed") == [24]
    assert values(review, "normative_documents.abolished") == [1]
    assert values(review, "case_files.reviewed") == [63]
    assert values(review, "enforcement_staff.trained") == [472]
    opinions = [f for f in review.figures if f.indicator.code == "legal_advisers.opinions"]
    assert [(f.value, f.unit, f.qualifier) for f in opinions] == [(70, "份", "余")]
    # "应诉率达到100%" is not the head-of-agency appearance rate.
    assert values(review, "litigation.appearance_rate") == []
    passed = [c for c in review.checks if c.kind == "rate_implied"]
    assert [c.ok for c in passed] == [True] and "相当于390至394名" in passed[0].explanation


def test_plans_follow_the_reported_year_in_every_dated_seed(seeds):
    for name in ("jinan", "kundulun", "pulandian"):
        plan = [c for c in seeds[name].checks if c.kind == "plan_year"]
        assert [c.ok for c in plan] == [True], name
