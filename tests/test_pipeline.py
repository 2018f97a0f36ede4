"""The staged pipeline: registration, ordering, failure counting, segmentation and fuzzing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.pipeline import COMPONENTS, Runner, component
from extractors.segment import classify_heading, split_sentences
from kg.model import Report

ROOT = Path(__file__).resolve().parent.parent


def _report(text: str) -> Report:
    return Report(id="t", version="v", source="t.txt", text=text)


def test_runner_orders_by_requirements_and_records_versions():
    r = Runner(["reporter", "segment"])
    assert [c.name for c in r.components] == ["segment", "reporter"]
    assert r.versions == {"segment": "segment@1", "reporter": "reporter@1"}


def test_failing_component_is_counted_not_fatal():
    @component("boom", 1, requires=("sentences",))
    def boom(doc):
        raise ValueError("no opinion, loudly")

    try:
        runner = Runner(["segment", "boom", "reporter"])
        res = runner.run(_report("2024年,盖州市坚持依法行政。"))
        assert res.report.jurisdiction.name == "盖州市"
        assert any("boom@1 failed: ValueError" in e for e in res.errors)
        st_ = runner.stats_dict()["boom@1"]
        assert st_["failures"] == 1 and st_["calls"] == 1
    finally:
        COMPONENTS.pop("boom", None)


def test_missing_requirement_is_a_clear_error():
    @component("needy", 1, requires=("nothing-provides-this",))
    def needy(doc):
        return None

    try:
        with pytest.raises(ValueError, match="requires 'nothing-provides-this'"):
            Runner(["needy"])
    finally:
        COMPONENTS.pop("needy", None)


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("一、主要举措和成效", "achievements"),
        ("二、存在的问题", "problems"),
        ("二、2024年度新区法治政府建设存在的不足和原因", "problems"),
        ("三、下一步工作打算", "plans"),
        ("二、2025年工作安排", "plans"),
        ("四、2025年度推进法治政府建设的主要安排", "plans"),
        ("一、2025年度法治政府建设工作开展情况", "achievements"),
        ("三、党政主要负责人履行推进法治建设第一责任人职责情况", "achievements"),
        ("一、加强党的领导、强化法治思维", None),
    ],
)
def test_classify_heading(heading, kind):
    assert classify_heading(heading) == kind


def test_sentences_cover_text_exactly():
    text = "一、主要举措\n推行“首违不罚”。全年办结案件68件!\n\n下一步,将深化改革;持续推进"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "一、主要举措",
        "推行“首违不罚”。",
        "全年办结案件68件!",
        "下一步,将深化改革;",
        "持续推进",
    ]


def test_seed_plan_section():
    """盖州's report names 行政执法"三项制度" only under 二、2025年工作安排."""
    text = (ROOT / "seeds/000_4ee9ce8ba8ed3195.txt").read_text(encoding="utf-8")
    res = Runner().run(_report(text))
    in_plans = [s for s in res.sentences if "三项制度" in s.text]
    assert in_plans and all(s.section == "plans" for s in in_plans)
    assert any(s.section == "achievements" for s in res.sentences)
    kinds = [s.kind for s in res.report.sections]
    assert kinds.index("achievements") < kinds.index("plans")


def test_traditional_text_sections_and_offsets():
    text = "一、主要舉措和成效\n推行首違不罰。\n二、存在的問題\n執法不規範。"
    res = Runner().run(_report(text))
    assert [s.section for s in res.sentences] == ["achievements"] * 2 + ["problems"] * 2
    for s in res.sentences:
        assert text[s.start : s.end] == s.text


adversarial = st.one_of(
    st.text(max_size=400),
    st.text(alphabet="《》〈〉()（）“”0123456789年月日市县区镇一二三、。,", max_size=400),
    st.just("《" * 500),
    st.just("2024" * 300),
    st.just("市" * 100_000),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(adversarial)
def test_pipeline_never_crashes(text):
    runner = Runner()
    res = runner.run(_report(text))
    assert not res.errors, res.errors
    for s in res.sentences:
        assert text[s.start : s.end] == s.text
    for f in res.facts:
        assert text[f.mention.start : f.mention.end] == f.mention.surface
