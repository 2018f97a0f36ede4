"""Smoke tests of the benchmark scripts at a tiny scale, so that they cannot rot.

``scripts/make_synthetic.py`` at 2,000 triples (the seeds plus one synthetic report) and
``scripts/bench_api.py`` on the seeds and that tiny synthetic graph, a few requests per route.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench_api  # noqa: E402
import make_synthetic  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("synthetic") / "store"
    figures = make_synthetic.make_synthetic(out, triples=2_000, seed=3, log=lambda m: None)
    return figures


def _select(location: str, sparql: str) -> list[dict]:
    from kg.storage import open_store

    store = open_store(location, read_only=True)
    try:
        return list(store.query(sparql).values())
    finally:
        store.close()


def test_make_synthetic_writes_a_store_location(tiny: dict) -> None:
    out = Path(tiny["out"])
    assert (out / "CURRENT").read_text().strip() == "gen-000001"
    assert tiny["quads"] >= 2_000 and tiny["synthetic_reports"] >= 1
    assert json.loads((out / "synthetic.json").read_text())["quads"] == tiny["quads"]
    assert tiny["bytes"] > 0


def test_synthetic_reports_are_consistent(tiny: dict) -> None:
    from kg.gazetteer import load

    rows = _select(
        tiny["out"],
        """SELECT ?r ?id ?key ?j ?name ?y WHERE { GRAPH ?g {
             ?r fz:reportId ?id ; fz:gazetteerKey ?key ; fz:reporter ?j ;
                fz:reporterName ?name ; fz:year ?y } FILTER(STRSTARTS(?id, "synthetic/")) }""",
    )
    assert rows
    gaz = load()
    for row in rows:
        place = gaz.get(row["key"])
        assert place is not None and place.name == row["name"]
        assert place.level in ("prefecture", "county", "township")
        assert row["j"].endswith("/jurisdiction/" + place.code)
        assert 2015 <= row["y"] <= 2025
        # every sentence, mention and observation of the report is under the report's IRI
        inner = _select(
            tiny["out"],
            f"""SELECT (COUNT(*) AS ?n) (SUM(IF(STRSTARTS(STR(?x), "{row["r"]}/"), 1, 0)) AS ?ok)
                WHERE {{ {{ ?x a fz:Sentence }} UNION {{ ?x a fz:Mention }}
                         UNION {{ ?x a fz:MetricObservation }}
                         ?x (fz:report|fz:sentence/fz:report|^fz:hasObservation)
                            <{row["r"]}> }}""",
        )
        assert inner[0]["n"] > 0 and inner[0]["n"] == inner[0]["ok"]
    # the reporters are in the gazetteer graph, and no synthetic graph names a template report
    assert (
        _select(
            tiny["out"],
            """SELECT ?j WHERE { ?r fz:reportId ?id ; fz:reporter ?j .
             FILTER(STRSTARTS(?id, "synthetic/"))
             FILTER NOT EXISTS { GRAPH <https://w3id.org/fazhi-kg/graph/gazetteer> { ?j a ?t } } }""",
        )
        == []
    )
    leaks = _select(
        tiny["out"],
        """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
             FILTER(CONTAINS(STR(?g), "/report/synthetic-"))
             FILTER(CONTAINS(STR(?s), "/report/0") || CONTAINS(STR(?o), "/report/0")) }""",
    )
    assert leaks[0]["n"] == 0


def test_make_synthetic_is_reproducible(tiny: dict, tmp_path: Path) -> None:
    again = make_synthetic.make_synthetic(
        tmp_path / "again", triples=2_000, seed=3, log=lambda m: None
    )
    assert again["quads"] == tiny["quads"]
    q = """SELECT ?id ?v WHERE { ?r fz:reportId ?id ; fz:hasObservation ?o . ?o fz:value ?v
             FILTER(STRSTARTS(?id, "synthetic/")) } ORDER BY ?id ?o"""
    assert _select(again["out"], q) == _select(tiny["out"], q)


def test_make_synthetic_refuses_a_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(SystemExit):
        make_synthetic.make_synthetic(tmp_path, triples=2_000, force=True, log=lambda m: None)
    assert (tmp_path / "keep.txt").exists()


def test_percentiles() -> None:
    p = bench_api.percentiles([0.001 * i for i in range(1, 101)])
    assert p["n"] == 100 and abs(p["p50"] - 50.5) < 1e-6 and abs(p["p95"] - 95.05) < 1e-6


def test_bench_api_runs(tiny: dict, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--graphs", "seeds,synthetic", "--synthetic", tiny["out"], "--triples", "2000",
        "--seed", "3", "--requests", "3", "--warmup", "1", "--rdflib-repeat", "1", "--json",
    ]  # fmt: skip
    assert bench_api.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert [g["graph"] for g in report["graphs"]] == ["seeds", "synthetic"]
    for g in report["graphs"]:
        assert g["triples"] > 0 and g["rdflib_load_seconds"] >= 0
        assert len(g["sparql"]) == len(bench_api.named_queries()) >= 3
        for s in g["sparql"]:
            assert s["oxigraph"]["n"] == 3 and s["rdflib"]["n"] >= 1 and s["ratio"] is not None
            assert s["endpoint"]["n"] == 3
        assert {r["route"] for r in g["rest"]} == {r.name for r in bench_api.ROUTES}
        for r in g["rest"]:
            assert not r.get("missing") and not r.get("errors"), r
            assert r["n"] == 3 and r["p50"] > 0
        for s in g["sparql"]:
            assert not s["endpoint"].get("errors"), s
    # the synthetic graph was reused, not remade
    assert any("reused" in n for n in report["graphs"][1]["notes"])
    md = bench_api.markdown(report)
    assert "| route | graph | p50 ms | p95 ms |" in md and "ratio" in md


def test_forked_query_is_stopped_on_time() -> None:
    import time

    t0 = time.monotonic()
    assert bench_api._forked(lambda: time.sleep(30), 0.5) == ("timeout",)
    assert time.monotonic() - t0 < 10
    assert bench_api._forked(lambda: ("done", [0.001], False, 3), 10) == ("done", [0.001], False, 3)


def test_timed_loop_measures_a_slow_call_once() -> None:
    import time

    calls: list[int] = []
    samples, cold = bench_api.timed_loop(
        lambda i: (calls.append(i), time.sleep(0.06)), warmup=5, requests=50, seconds=0.1
    )
    assert cold and len(samples) == 1 and calls == [0]
