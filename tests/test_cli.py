"""The `kg` command line: the extract contract, build/stats/query/export/validate/curate."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CORPUS = sorted((ROOT / "tests/data/corpus").glob("*.txt"))
MANIFEST = ROOT / "tests/data/corpus/SOURCES.tsv"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("KG_CURATION", str(tmp_path / "curation"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_contract(capsys):
    code, out, err = run(
        capsys,
        "extract",
        *map(str, SEEDS + CORPUS),
        "--manifest",
        str(MANIFEST),
        "--format",
        "jsonl",
    )
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == len(SEEDS) + len(CORPUS)
    sources = []
    for line in lines:
        obj = json.loads(line)
        sources.append(obj["source"])
        rep = obj["report"]
        assert set(obj) >= {"source", "report", "facts", "errors"}
        assert set(rep) >= {"id", "version", "url", "title", "year", "published", "signed",
                            "jurisdiction", "department", "duplicate_of", "text"}  # fmt: skip
        assert re.fullmatch(r"[0-9a-f]{64}", rep["version"])
        j = rep["jurisdiction"]
        assert set(j) >= {"name", "code", "level", "path", "confidence", "candidates"}
        if j["code"] is not None:
            assert re.fullmatch(r"\d{12}", j["code"])
            assert j["path"][-1] == j["name"]
        if j["level"] is not None:
            assert j["level"] in (
                "national",
                "province",
                "prefecture",
                "county",
                "township",
                "zone",
            )
        for f in obj["facts"]:
            assert rep["text"][f["start"] : f["end"]] == f["mention"]
        if "corpus" in obj["source"]:
            assert rep["url"] and rep["url"].startswith("http")
            assert rep["id"] == rep["url"]
    assert sources == [str(p) for p in SEEDS + CORPUS]  # input order


def test_extract_bad_file_still_gets_a_line(capsys, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    code, out, err = run(capsys, "extract", str(SEEDS[0]), str(bad))
    assert code == 1
    first, second = (json.loads(x) for x in out.splitlines())
    assert first["report"]["jurisdiction"]["name"] == "盖州市"
    assert second["report"] is None and second["errors"] and "scan.pdf" in second["errors"][0]
    assert "scan.pdf" in err


def test_build_stats_query_export_validate(capsys, tmp_path):
    code, out, err = run(capsys, "build", str(ROOT / "seeds"), "--no-progress")
    assert code == 0, err
    assert "5 ok" in out
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert "reports: 5" in out and "盖州市" in out and "210881000000" in out and "2022" in out
    code, out, _ = run(capsys, "stats", "--format", "json")
    st = json.loads(out)
    assert {r["reporter"] for r in st["report_rows"]} == {
        "盖州市",
        "大河镇",
        "济宁太白湖新区",
        "清远市",
        "保定市",
    }

    q = "SELECT ?name ?year WHERE { ?r a fz:Report ; fz:reporterName ?name ; fz:year ?year } ORDER BY ?year ?name"
    code, out, _ = run(capsys, "query", q, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["name", "year"] and ["保定市", "2023"] in rows and len(rows) == 6
    code, out, _ = run(capsys, "query", q, "--format", "json")
    assert {"name": "大河镇", "year": 2022} in json.loads(out)
    code, out, err = run(capsys, "query", "SELECT ?x WHERE { ?x ")
    assert code == 2 and "SPARQL" in err

    for fmt in ("ttl", "nq", "trig", "jsonld"):
        target = tmp_path / f"dump.{fmt}"
        code, _, err = run(capsys, "export", "--format", fmt, "--output", str(target))
        assert code == 0, err
        assert "盖州市" in target.read_text(encoding="utf-8")

    code, out, _ = run(capsys, "validate")
    assert code == 0 and "Conforms: True" in out


def test_curate_reporter_fix_survives_rebuild(capsys, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copyfile(SEEDS[1], d / "a.txt")
    assert run(capsys, "build", str(d), "--no-progress")[0] == 0
    code, out, _ = run(
        capsys, "curate", "reporter", "a.txt", "--code", "520201101", "--department", "大河镇司法所"
    )
    assert code == 0 and "decisions.jsonl" in out
    code, out, _ = run(capsys, "build", str(d), "--no-progress")
    assert "1 replaced" in out
    st = json.loads(run(capsys, "stats", "--format", "json")[1])
    assert st["report_rows"][0]["department"] == "大河镇司法所"
    code, out, _ = run(capsys, "build", str(d), "--no-progress")
    assert "1 unchanged" in out
    code, out, _ = run(capsys, "curate", "list")
    assert "大河镇司法所" in out
    code, _, err = run(capsys, "curate", "reporter", "a.txt", "--code", "999999")
    assert code == 2 and "unknown division code" in err


def test_readme_sparql_runs(capsys):
    """The README's evidence query is valid against the built graph."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = re.search(r"```sparql\n(.*?)```", readme, re.S).group(1)
    assert run(capsys, "build", str(ROOT / "seeds"), "--no-progress")[0] == 0
    code, out, err = run(capsys, "query", query, "--format", "json")
    assert code == 0, err
    assert isinstance(json.loads(out), list)
