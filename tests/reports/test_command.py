import json

import pytest
from django.core.management import CommandError, call_command

from tests.reports.conftest import DATA, SEEDS


def run(*args) -> str:
    import io

    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_review_prints_a_chinese_summary():
    text = run("review", str(DATA / SEEDS["suizhou"]))
    assert "报告审查：随州市（2023年度）" in text
    assert "✗ 其他需要报告的情况：未找到" in text
    assert (
        "✓ 党政主要负责人履行推进法治建设第一责任人职责情况：“二、党政主要负责人履行推进法治建设第一责任人职责情况”"
        in text
    )
    assert "行政复议·纠错率：17.4%［2023年］" in text
    assert "直接纠错率17.4%无误：纠错4件÷办结23件=17.391%，四舍五入正是17.4%。" in text


def test_review_json_has_parts_figures_and_checks():
    data = json.loads(run("review", str(DATA / SEEDS["puyang"]), "--json"))
    assert {p["part"]: p["found"] for p in data["parts"]} == {
        "measures": True,
        "deficiencies": True,
        "responsibility": False,
        "plans": False,
        "other": False,
    }
    assert data["parts"][0]["heading"] == "一、我市法治政府建设的基本情况"
    received = [f for f in data["figures"] if f["indicator"] == "procuratorial_suggestion.received"]
    assert received == [
        {
            "indicator": "procuratorial_suggestion.received",
            "name": "检察建议·收到",
            "value": 342,
            "unit": "件",
            "qualifier": "",
            "quote": "全市检察机关提出诉前检察建议342件",
            "year": None,
            "period": "",
            "subset": False,
        }
    ]
    check = data["checks"][0]
    assert set(check) == {"kind", "ok", "severity", "explanation", "figures"}
    assert all(
        {"indicator", "value", "unit", "quote"} <= set(f) for c in data["checks"] for f in c["figures"]
    )


def test_compare_prints_region_by_indicator():
    text = run("compare", str(DATA / SEEDS["jinan"]), str(DATA / SEEDS["kundulun"]))
    header, *rows = text.splitlines()
    assert "济南市（2020年度）" in header and "昆都仑区（2022年度）" in header
    appearance = next(r for r in rows if r.startswith("行政诉讼·负责人出庭应诉率"))
    assert "80.86%" in appearance


def test_review_with_compare_option_gives_the_same_table_as_json():
    data = json.loads(
        run("review", str(DATA / SEEDS["suizhou"]), "--compare", str(DATA / SEEDS["kundulun"]), "--json")
    )
    assert [r["label"] for r in data["rows"]] == ["随州市（2023年度）", "昆都仑区（2022年度）"]
    assert data["rows"][0]["cells"]["reconsideration.correction_rate"]["value"] == 17.4
    assert data["rows"][1]["cells"]["hotline.closure_rate"]["value"] == 95.64


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run("review", str(tmp_path / "nope.txt"))


def test_an_unsupported_file_is_a_clear_error(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="只能审查TXT、DOCX或HTML文件"):
        run("review", str(path))
