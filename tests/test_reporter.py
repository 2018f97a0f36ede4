"""Reporter, year and dates on the seeds and the corpus, against hand-made expectations.

tests/data/expected_reporters.json was written by reading each text (not by running the
extractor); scoring follows FACTS.md: the name matches when the jurisdiction's name, the last
element of its path, or the department is the expected name or ends with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.reporter import find_year, parse_date
from kg.eval import norm, reporter_right
from kg.extract import process

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "tests/data/expected_reporters.json").read_text(encoding="utf-8"))
MANIFEST = ROOT / "tests/data/corpus/SOURCES.tsv"


def _path(source: str) -> Path:
    return ROOT / (source if source.startswith("seeds/") else "tests/data/" + source)


@pytest.fixture(scope="module")
def extracted() -> dict[str, object]:
    paths = [_path(e["source"]) for e in EXPECTED]
    items = list(process(paths, MANIFEST))
    return {str(Path(it.source).resolve()): it for it in items}


# FACTS.md's reporter rule, as `kg eval` scores it
name_matches = reporter_right


@pytest.mark.parametrize("exp", EXPECTED, ids=[e["source"] for e in EXPECTED])
def test_reporter(extracted, exp):
    item = extracted[str(_path(exp["source"]).resolve())]
    assert item.report is not None, item.errors
    rep = item.report.to_dict()
    j = rep["jurisdiction"]
    want = exp["reporter"]
    if not exp["determined"]:
        assert j["code"] is None, f"undetermined text must not get a code: {j}"
        return
    assert name_matches(rep, want), (
        f"expected {want['name']} ({exp['why']}); got {j} dept={rep['department']}"
    )
    if want.get("code") and not exp.get("inferred"):
        assert j["code"] == want["code"].ljust(12, "0"), j
        assert j["level"] == want["level"]
        chain = [*want["parent_chain"], want["name"]] if want["level"] != "national" else None
        if chain:
            assert [norm(x) for x in j["path"]][-len(chain) :] == [norm(x) for x in chain]
    elif want["level"] in ("zone", "national"):
        assert j["level"] == want["level"], j


@pytest.mark.parametrize("exp", EXPECTED, ids=[e["source"] for e in EXPECTED])
def test_year_and_dates(extracted, exp):
    item = extracted[str(_path(exp["source"]).resolve())]
    rep = item.report
    assert rep is not None
    if exp["year_determined"]:
        assert rep.year == exp["year"]
    else:
        assert rep.year is None
    assert rep.signed == exp["signed"]
    if exp["published"]:
        assert rep.published == exp["published"]


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2024年3月6日", "2024-03-06"),
        ("2025217", "2025-02-17"),
        ("20250217", "2025-02-17"),
        ("2025111", None),  # 1-11 or 11-1: not decidable
        ("二〇二四年三月六日", "2024-03-06"),
        ("2024/5/14 13:54:30", "2024-05-14"),
        ("2024年2月30日", None),
        ("第14次会议", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "title, opening, norm, year",
    [
        ("2020年静海区法治政府建设情况报告", "", "", 2020),
        ("关于2018年度全省法治政府建设工作情况的报告", "", "", 2018),
        ("", "2022年是党的二十大召开之年,是“十四五”承上启下的关键之年", "", 2022),
        ("", "2017年以来,在党中央、国务院坚强领导下", "", 2017),
        ("", "一、深入学习践行习近平法治思想", "一、深入学习践行习近平法治思想\n", None),
        ("", "", "现将2023年法治政府建设工作报告如下", 2023),
        (
            "",
            "根据中共中央《全面深化法治领域改革纲要(2023—2027年)》提出,2023年,清波街道以深入学习",
            "",
            2023,
        ),
    ],
)
def test_find_year(title, opening, norm, year):
    assert find_year(title, opening, norm)[0] == year


CASES = json.loads((ROOT / "tests/data/reporter_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reporter_cases(case):
    """Short openings in the genre (tests/data/reporter_cases.json, written from knowledge of
    real reports, codes checked against the NBS tables): provinces to townships, departments,
    zones, namesakes decided by parents or not at all, and the usual traps."""
    from extractors.pipeline import Runner
    from kg.ingest import clean_text
    from kg.model import Report

    text, meta = clean_text(case["text"])
    rep = Report(
        id=case["id"], version="", source=case["id"], text=text, url=case.get("url"), meta=meta
    )
    Runner().run(rep)
    exp, j, d = case["expected"], rep.jurisdiction, rep.to_dict()
    if exp["determined"]:
        assert name_matches(d, exp), (exp, d["jurisdiction"], rep.department)
        if exp.get("ambiguous"):
            assert j.code is None, j
            assert {c.code for c in j.candidates} == {
                x.ljust(12, "0") for x in exp["candidates"]
            }, j
        elif exp.get("code"):
            assert j.code == exp["code"].ljust(12, "0"), j
            assert j.level == exp["level"], j
        elif exp["level"] == "national":
            assert j.level == "national" and rep.department
    else:
        assert j.code is None, j
    assert rep.year == exp["year"]
    for key in ("signed", "published"):
        if exp.get(key):
            assert getattr(rep, key) == exp[key]
