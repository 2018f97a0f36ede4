"""Building the graph: re-ingest rules, bad input, atomic reports, killed builds, curation."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import iri
from kg.build import build, build_into, stored_reports
from kg.curation import Curation
from kg.queries import reports, stats
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for s in SEEDS:
        shutil.copyfile(s, d / s.name)
    return d


@pytest.fixture
def curation(tmp_path: Path) -> Curation:
    return Curation(tmp_path / "curation" / "decisions.jsonl")


def _graph_quads(store, report_id: str) -> set[str]:
    return {str(q) for q in store.quads(graph=iri.report_graph(report_id))}


def test_seeds_reporters_codes_years(seeds_dir, curation):
    store = OxigraphStore(None)
    summary = build_into(store, [seeds_dir], curation=curation, progress=False)
    assert summary.counts == {"ok": 5, "unchanged": 0, "replaced": 0, "failed": 0}
    got = {r["id"]: (r["reporter"], r["code"], r["level"], r["year"]) for r in reports(store)}
    assert got == {
        "000_4ee9ce8ba8ed3195.txt": ("盖州市", "210881000000", "county", 2024),
        "001_d3d407bf22a21093.txt": ("大河镇", "520201101000", "township", 2022),
        "002_01f739070572be2c.txt": ("济宁太白湖新区", None, "zone", 2024),
        "003_8fc203b02800c486.txt": ("清远市", "441800000000", "prefecture", 2024),
        "004_a25eb9ab7ca7f975.txt": ("保定市", "130600000000", "prefecture", 2023),
    }
    rows = {r["id"]: r for r in reports(store)}
    assert rows["004_a25eb9ab7ca7f975.txt"]["published"] == "2024-05-14"
    assert rows["004_a25eb9ab7ca7f975.txt"]["signed"] == "2024-03-06"
    assert rows["002_01f739070572be2c.txt"]["published"] == "2025-03-24"
    st = stats(store)
    assert st["reports"] == 5 and st["canonical_reports"] == 5


def test_reingest_unchanged_changed_and_untouched(seeds_dir, curation):
    store = OxigraphStore(None)
    build_into(store, [seeds_dir], curation=curation, progress=False)
    before = {rid: _graph_quads(store, rid) for rid in stored_reports(store)}

    again = build_into(store, [seeds_dir], curation=curation, progress=False)
    assert again.counts == {"ok": 0, "unchanged": 5, "replaced": 0, "failed": 0}

    target = seeds_dir / "000_4ee9ce8ba8ed3195.txt"
    target.write_text(
        target.read_text(encoding="utf-8") + "\n补充说明:全年办结案件12件。", encoding="utf-8"
    )
    changed = build_into(store, [seeds_dir], curation=curation, progress=False)
    assert changed.counts == {"ok": 1, "unchanged": 4, "replaced": 1, "failed": 0}
    after = {rid: _graph_quads(store, rid) for rid in stored_reports(store)}
    assert after["000_4ee9ce8ba8ed3195.txt"] != before["000_4ee9ce8ba8ed3195.txt"]
    for rid in before:
        if rid != "000_4ee9ce8ba8ed3195.txt":
            assert after[rid] == before[rid], rid
    assert len(stored_reports(store)) == 5


def test_curation_rebuilds_only_its_report(seeds_dir, curation):
    store = OxigraphStore(None)
    build_into(store, [seeds_dir], curation=curation, progress=False)
    curation.add(
        {"op": "reporter", "report": "001_d3d407bf22a21093.txt", "code": "520221", "year": 2023}
    )
    res = build_into(store, [seeds_dir], curation=Curation(curation.path), progress=False)
    assert res.counts["replaced"] == 1 and res.counts["unchanged"] == 4
    row = {r["id"]: r for r in reports(store)}["001_d3d407bf22a21093.txt"]
    # 520221 was 水城县 until 2020: the gazetteer knows it only as a former code
    assert row["year"] == 2023


def test_bad_files_do_not_stop_the_batch(tmp_path, curation):
    d = tmp_path / "mixed"
    d.mkdir()
    shutil.copyfile(SEEDS[0], d / "good.txt")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "notes.xyz").write_text("法治政府建设", encoding="utf-8")
    (d / "noise.txt").write_bytes(b"\xff\xfe\xfa\xfb" * 50 + b"\x81\x30")
    store = OxigraphStore(None)
    summary = build_into(store, [d], curation=curation, progress=False)
    assert summary.counts["ok"] == 1
    assert summary.counts["failed"] == 4
    assert summary.failed
    joined = "\n".join(summary.errors)
    for name in ("empty.txt", "binary.txt", "notes.xyz", "noise.txt"):
        assert name in joined
    assert all("\n" not in e for e in summary.errors)
    assert list(stored_reports(store)) == ["good.txt"]


def test_report_failing_half_way_leaves_no_partial_graph(seeds_dir, curation, monkeypatch):
    import kg.rdf

    real = kg.rdf.report_quads

    def flaky(report, facts, sentences=None, build_id=None, **kw):
        quads = real(report, facts, sentences, build_id, **kw)
        if report.id.startswith("002_"):

            def broken():
                yield from quads[:5]
                raise RuntimeError("disk on fire")

            return broken()
        return quads

    monkeypatch.setattr(kg.rdf, "report_quads", flaky)
    store = OxigraphStore(None)
    summary = build_into(store, [seeds_dir], curation=curation, progress=False)
    assert summary.counts["ok"] == 4 and summary.counts["failed"] == 1
    assert any("002_01f739070572be2c.txt" in e and "disk on fire" in e for e in summary.errors)
    assert "002_01f739070572be2c.txt" not in stored_reports(store)
    assert not store.graph_exists(iri.report_graph("002_01f739070572be2c.txt"))


def test_interrupted_build_rerun_finishes_without_duplicates(seeds_dir, curation, monkeypatch):
    store = OxigraphStore(None)
    real = store.replace_graph
    calls = {"n": 0}

    def dying(graph, quads):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process dies here
        return real(graph, quads)

    monkeypatch.setattr(store, "replace_graph", dying)
    with pytest.raises(KeyboardInterrupt):
        build_into(store, [seeds_dir], curation=curation, progress=False)
    monkeypatch.setattr(store, "replace_graph", real)
    assert len(stored_reports(store)) == 2
    summary = build_into(store, [seeds_dir], curation=curation, progress=False)
    assert summary.counts == {"ok": 3, "unchanged": 2, "replaced": 0, "failed": 0}
    fresh = OxigraphStore(None)
    build_into(fresh, [seeds_dir], curation=curation, progress=False)
    for rid in stored_reports(fresh):
        assert len(_graph_quads(store, rid)) == len(_graph_quads(fresh, rid))


@pytest.mark.slow
def test_killed_build_process_on_disk(tmp_path):
    """SIGKILL a real `kg build` on disk, rerun it: every report once, nothing duplicated."""
    src = tmp_path / "many"
    src.mkdir()
    for i in range(60):
        for s in SEEDS:
            shutil.copyfile(s, src / f"{i:03d}_{s.name}")
    env = {**os.environ, "KG_STORE": str(tmp_path / "store"), "KG_CURATION": str(tmp_path / "cur")}
    cmd = [sys.executable, "-m", "kg.cli", "build", str(src), "--no-progress"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(3.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = subprocess.run(
        [sys.executable, "-m", "kg.cli", "stats", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    import json

    st = json.loads(out.stdout)
    assert st["reports"] == 300
    assert len({r["id"] for r in st["report_rows"]}) == 300
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert "0 ok" in again.stdout and "300 unchanged" in again.stdout


def test_build_on_disk_default_location(tmp_path, monkeypatch, seeds_dir):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "kgstore"))
    monkeypatch.setenv("KG_CURATION", str(tmp_path / "cur"))
    summary = build([seeds_dir], progress=False)
    assert summary.counts["ok"] == 5
    assert (tmp_path / "kgstore" / "CURRENT").exists()


def test_seed_programs_link_reporters_and_plans(seeds_dir, curation):
    """The extraction issue's done-when, on the graph: who runs which program, and plan-only."""
    store = OxigraphStore(None)
    build_into(store, [seeds_dir], curation=curation, progress=False)
    q = """SELECT DISTINCT ?name ?label ?runs WHERE {
      GRAPH ?g { ?r fz:reporterName ?name ; fz:mentionsProgram ?p .
                 BIND(EXISTS { ?r fz:runsProgram ?p } AS ?runs) }
      GRAPH ?t { ?p skos:prefLabel ?l } BIND(STR(?l) AS ?label) }"""
    from kg.vocab import SPARQL_PREFIXES

    rows = {(r["name"], r["label"], r["runs"]) for r in store.query(SPARQL_PREFIXES + q).values()}
    runs = {(n, lab) for n, lab, ok in rows if ok}
    for name in ("盖州市", "大河镇", "济宁太白湖新区"):
        assert (name, "法律明白人") in runs
    for name in ("盖州市", "济宁太白湖新区"):
        assert (name, "一村(社区)一法律顾问") in runs
    assert ("盖州市", "行政执法三项制度", False) in rows  # named only under 2025年工作安排
    assert ("盖州市", "行政执法三项制度") not in runs
    # every mention keeps its sentence and offsets
    q = """SELECT ?surface ?start ?end ?text ?sstart WHERE { GRAPH ?g {
             ?m a fz:Mention ; fz:surface ?surface ; fz:start ?start ; fz:end ?end ; fz:sentence ?s .
             ?s fz:text ?text ; fz:start ?sstart } }"""
    n = 0
    for r in store.query(SPARQL_PREFIXES + q).values():
        n += 1
        assert r["text"][r["start"] - r["sstart"] : r["end"] - r["sstart"]] == r["surface"]
    assert n > 500
