#!/usr/bin/env python
"""API latency: REST resources and the named SPARQL queries, on the seeds and a synthetic graph.

For each graph (a) the five seeds, built into a temporary store location, and (b) the
synthetic graph of ``scripts/make_synthetic.py`` (made first when ``--synthetic DIR`` holds
none made with the same ``--triples``, ``--seed`` and generator code), the bench

1. starts ``uvicorn api.app:create_app --factory`` on 127.0.0.1 (a free port, ``KG_STORE`` =
   the graph) in a subprocess, as ``kg serve`` would serve it;
2. times, through one keep-alive ``httpx.Client``, ``GET /programs/{id}``,
   ``/jurisdictions/{code}``, ``/metrics?concept=…`` (ids spread over the first page of each
   list route) and the named SPARQL queries (``api/queries/*.rq``) through ``POST /sparql``
   (JSON results): one first request (reported apart: it parses the resource's summary), a
   warm-up (``--warmup``, at most half of ``--route-seconds``), then up to ``--requests``
   requests within ``--route-seconds``;
3. times the same queries directly on the store (pyoxigraph, read-only, results fully
   iterated) and in rdflib's in-memory store (``rdflib.Dataset(default_union=True)`` loaded
   from the same quads as N-Quads; load time reported), and the ratio rdflib / Oxigraph
   (p50s). Each engine runs in a worker process so that a query overrunning
   ``--query-timeout`` / ``--rdflib-timeout`` is stopped and reported as such.

A query whose first run takes half its time budget or more is measured by that one run
("1 cold run"). Prints a Markdown table (``--json``: one JSON object instead). Latencies are
wall-clock in the client, so they include HTTP, JSON encoding and the event loop; the goal of
the speed issue is REST resources under 50 ms p50 at one million triples.

    .venv/bin/python scripts/bench_api.py [--triples 1000000] [--synthetic data/synthetic]
        [--graphs seeds,synthetic] [--requests 200] [--route-seconds 30] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SCRIPTS = Path(__file__).resolve().parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

QUERY_DIR = ROOT / "api" / "queries"
GOAL_MS = 50.0


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# statistics


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95 (ms) of samples in seconds (linear interpolation, as numpy's default)."""
    if not samples:
        return {"p50": float("nan"), "p95": float("nan"), "n": 0}
    xs = sorted(s * 1000.0 for s in samples)

    def pct(q: float) -> float:
        k = (len(xs) - 1) * q
        lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)

    return {"p50": round(pct(0.50), 3), "p95": round(pct(0.95), 3), "n": len(xs)}


def timed_loop(
    call: Callable[[int], Any],
    *,
    warmup: int,
    requests: int,
    seconds: float,
    after_warmup: Callable[[], Any] | None = None,
) -> tuple[list[float], bool]:
    """Up to ``warmup`` untimed calls (within ``seconds / 2``), then up to ``requests`` timed
    calls within ``seconds``; returns (samples, cold).

    When the first call alone takes ``seconds / 2`` or more, it is the only sample (``cold``
    True): a slow query is measured once rather than skipped or repeated for minutes.
    """
    t0 = time.perf_counter()
    call(0)
    first = time.perf_counter() - t0
    if first >= seconds / 2:  # its errors, if any, stay counted: it is the sample
        return [first], True
    for i in range(1, warmup):
        if time.perf_counter() - t0 > seconds / 2:
            break
        call(i)
    if after_warmup is not None:
        after_warmup()
    out: list[float] = []
    deadline = time.perf_counter() + seconds
    for i in range(requests):
        t1 = time.perf_counter()
        call(i)
        out.append(time.perf_counter() - t1)
        if t1 > deadline:
            break
    return out, False


# ---------------------------------------------------------------------------------------------
# the named queries


@dataclass
class NamedQuery:
    name: str
    text: str
    path: str | None = None


def named_queries() -> list[NamedQuery]:
    """The README's named example queries (``api/queries/*.rq``); the ontology README's
    examples when those files do not exist (yet)."""
    if QUERY_DIR.is_dir():
        files = sorted(QUERY_DIR.glob("*.rq"))
        if files:
            return [
                NamedQuery(
                    re.sub(r"^\d+[-_]", "", f.stem),
                    f.read_text(encoding="utf-8"),
                    str(f.relative_to(ROOT)),
                )
                for f in files
            ]
    return [NamedQuery(n, t, "ontology/README.md") for n, t in _FALLBACK_QUERIES.items()]


_FALLBACK_QUERIES = {
    "lookup": """SELECT ?surface ?value ?unit ?text ?start WHERE {
  ?m fz:mentionOf ?o ; fz:surface ?surface ; fz:sentence ?s .
  ?o a fz:MetricObservation ; fz:value ?value ; fz:unit ?unit .
  ?s fz:text ?text ; fz:start ?start ; fz:report ?r .
  ?r fz:reportId "000_4ee9ce8ba8ed3195.txt" .
}""",
    "aggregation": """SELECT ?p (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?r) AS ?reports) WHERE {
  ?r fz:runsProgram ?p . ?p skos:prefLabel ?l .
} GROUP BY ?p ORDER BY DESC(?reports) LIMIT 20""",
    "join": """SELECT DISTINCT ?name ?level WHERE {
  ?p skos:prefLabel "政务公开" .
  ?r fz:runsProgram ?p ; fz:reporter ?j .
  FILTER NOT EXISTS { ?r fz:duplicateOf ?canonical }
  ?j rdfs:label ?name ; fz:level ?level .
}""",
}


def with_prefixes(sparql: str) -> str:
    """The query with the project prefixes declared (for engines that do not add them)."""
    from kg.vocab import PREFIXES

    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z0-9_-]*):", sparql)}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return head + sparql


# ---------------------------------------------------------------------------------------------
# graphs


@dataclass
class Graph:
    name: str
    location: Path
    quads: int
    seconds: float  # build or generation time
    notes: list[str] = field(default_factory=list)


def seed_graph(tmp: Path) -> Graph:
    """The seeds built (empty curation) into a new store location under ``tmp``."""
    from kg.build import build_into
    from kg.curation import Curation
    from kg.storage import StoreLocation

    loc = tmp / "seeds-store"
    t0 = time.perf_counter()
    with StoreLocation(loc).open_for_build() as store:
        summary = build_into(
            store, [str(ROOT / "seeds")], curation=Curation(tmp / "c.jsonl"), progress=False
        )
        n = len(store.raw)
    if summary.failed:
        raise RuntimeError(f"building the seeds failed: {summary.errors}")
    return Graph("seeds", loc, n, time.perf_counter() - t0)


def synthetic_graph(path: Path, triples: int, seed: int) -> Graph:
    """The synthetic graph at ``path``, made when missing or made with other parameters."""
    from make_synthetic import generator_version, make_synthetic

    meta_file = path / "synthetic.json"
    meta: dict[str, Any] = {}
    if meta_file.exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    same = (meta.get("target"), meta.get("seed"), meta.get("generator")) == (
        triples,
        seed,
        generator_version(),
    )
    if not same or not (path / "CURRENT").exists():
        say(f"making the synthetic graph ({triples:,} triples, seed {seed}) in {path} …")
        meta = make_synthetic(path, triples, seed, force=True, log=say)
        notes = [f"generated in {meta['seconds']} s"]
    else:
        notes = [f"reused {path} (generated in {meta.get('seconds')} s)"]
    notes.append(f"summaries: {meta.get('summaries')}")
    return Graph("synthetic", path, int(meta["quads"]), float(meta["seconds"]), notes)


# ---------------------------------------------------------------------------------------------
# the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(location: Path, timeout: float = 300.0) -> Iterator[str]:
    """A uvicorn subprocess serving ``location``; yields its base URL."""
    import httpx

    port = _free_port()
    env = {**os.environ, "KG_STORE": str(location), "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with status {proc.returncode}")
            try:
                if httpx.get(base + "/health", timeout=2.0).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer /health within {timeout:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# ---------------------------------------------------------------------------------------------
# REST routes


@dataclass
class Route:
    """A REST route to time: ``paths(client)`` returns the request paths to cycle over."""

    name: str
    paths: Callable[[Any], list[str]]


def _items(client: Any, path: str) -> list[dict]:
    r = client.get(path)
    if r.status_code != 200:
        return []
    body = r.json()
    items = body.get("items") if isinstance(body, dict) else body
    return [x for x in items or [] if isinstance(x, dict)]


def _spread(xs: list[Any], k: int) -> list[Any]:
    """Up to ``k`` elements spread evenly over ``xs`` (the heavy head and the light tail)."""
    if len(xs) <= k:
        return list(xs)
    step = (len(xs) - 1) / (k - 1)
    return [xs[round(i * step)] for i in range(k)]


def _ids_paths(list_path: str, item_path: str, k: int = 20) -> Callable[[Any], list[str]]:
    def paths(client: Any) -> list[str]:
        ids = [x["id"] for x in _items(client, list_path) if x.get("id") not in (None, "")]
        return [item_path.format(quote(str(i), safe="/")) for i in _spread(ids, k)]

    return paths


def _metric_paths(client: Any) -> list[str]:
    """``/metrics?concept={id}`` for the concepts ``/metrics`` lists (observations of one
    metric concept across jurisdictions and years)."""
    ids = [x["id"] for x in _items(client, "/metrics?limit=100") if x.get("id")]
    return [f"/metrics?concept={quote(str(c), safe='')}" for c in _spread(ids, 10)]


ROUTES = [
    Route("GET /programs/{id}", _ids_paths("/programs?limit=100", "/programs/{}")),
    Route("GET /jurisdictions/{code}", _ids_paths("/jurisdictions?limit=100", "/jurisdictions/{}")),
    Route("GET /metrics?concept=…", _metric_paths),
]


def bench_rest(client: Any, args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for route in ROUTES:
        paths = route.paths(client)
        if not paths:
            rows.append({"route": route.name, "missing": True})
            say(f"  {route.name}: no ids (route missing?)")
            continue
        errors: list[str] = []

        def call(i: int, paths: list[str] = paths, errors: list[str] = errors) -> None:
            r = client.get(paths[i % len(paths)])
            if r.status_code != 200:
                errors.append(f"{r.status_code} {paths[i % len(paths)]}")
            _ = r.content

        t0 = time.perf_counter()
        call(0)  # the first request for a resource parses its summary (cached afterwards)
        first_ms = round((time.perf_counter() - t0) * 1000, 3)
        samples, cold = timed_loop(
            call,
            warmup=args.warmup,
            requests=args.requests,
            seconds=args.route_seconds,
            after_warmup=errors.clear,
        )
        row = {"route": route.name, "ids": len(paths), **percentiles(samples), "cold": cold}
        row["first_ms"] = first_ms
        if errors:
            row["errors"] = len(errors)
            row["first_error"] = errors[0]
        rows.append(row)
        say(
            f"  {route.name}: p50 {row['p50']:.2f} ms, p95 {row['p95']:.2f} ms (n={row['n']}; "
            f"first request {first_ms:.1f} ms)"
        )
    return rows


# ---------------------------------------------------------------------------------------------
# SPARQL: endpoint, store, rdflib


def bench_sparql_endpoint(client: Any, q: NamedQuery, args: argparse.Namespace) -> dict:
    errors: list[str] = []
    rows = [0]

    def call(i: int) -> None:
        r = client.post(
            "/sparql",
            data={"query": q.text},
            headers={"Accept": "application/sparql-results+json"},
        )
        if r.status_code != 200:
            errors.append(f"{r.status_code} {r.text[:200]}")
            return
        body = r.json()
        rows[0] = len(body.get("results", {}).get("bindings", [])) if "results" in body else 1

    samples, cold = timed_loop(
        call,
        warmup=args.warmup,
        requests=args.requests,
        seconds=args.route_seconds,
        after_warmup=errors.clear,
    )
    out = {**percentiles(samples), "rows": rows[0], "cold": cold}
    if errors:
        out["errors"] = len(errors)
        out["first_error"] = errors[0]
    return out


# Both engines run in a worker process (spawned: a fresh interpreter), so that a query that
# overruns its time limit can be stopped (neither engine can cancel a query). Oxigraph: the
# worker is killed and a new one (0.1 s to open the store) serves the next query. rdflib takes
# minutes to load a million quads, so its worker forks one child per query (the loaded dataset
# is shared copy-on-write) and kills that child on overrun; the loaded worker carries on.


def _measure(run: Callable[[str], int], text: str, warmup: int, requests: int, seconds: float):
    rows = [0]

    def call(i: int) -> None:
        rows[0] = run(text)

    try:
        samples, cold = timed_loop(call, warmup=warmup, requests=requests, seconds=seconds)
    except Exception as exc:  # a query the engine refuses
        return ("error", f"{type(exc).__name__}: {exc}"[:300])
    return ("done", samples, cold, rows[0])


def _forked(fn: Callable[[], Any], timeout: float) -> Any:
    """``fn()`` in a forked child, killed after ``timeout`` seconds (then ``("timeout",)``)."""
    import pickle
    import select

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the pickled result, exit without cleanup
        os.close(r)
        try:
            data = pickle.dumps(fn())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"[:300]))
        view = memoryview(data)
        while view:
            view = view[os.write(w, view) :]
        os._exit(0)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)  # our own child, by its pid
                return ("timeout",)
            ready, _, _ = select.select([r], [], [], left)
            if ready:
                chunk = os.read(r, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    return pickle.loads(b"".join(chunks)) if chunks else ("error", "the query process died")


def _engine_worker(conn: Any, engine: str, source: str) -> None:
    """Load ``engine`` over ``source``, then answer ("run", query, warmup, requests, seconds,
    timeout) messages until told to stop."""
    warnings.simplefilter("ignore", DeprecationWarning)  # rdflib 7: default_context, per quad
    t0 = time.perf_counter()
    if engine == "oxigraph":
        from kg.storage import StoreLocation

        store = StoreLocation(source).open_read_only(wait=60)

        def run(text: str) -> int:
            res = store.query(text)
            return 1 if isinstance(res, bool) else sum(1 for _ in res.tuples())

        size = len(store.raw)
    else:
        import rdflib

        ds = rdflib.Dataset(default_union=True)
        ds.parse(source, format="nquads")

        def run(text: str) -> int:
            res = ds.query(text)
            return 1 if res.type == "ASK" else sum(1 for _ in res)

        size = sum(len(g) for g in ds.graphs())
    conn.send(("ready", time.perf_counter() - t0, size))
    while True:
        msg = conn.recv()
        if msg[0] != "run":
            break
        _, text, warmup, requests, seconds, timeout = msg
        job = functools.partial(_measure, run, text, warmup, requests, seconds)
        conn.send(_forked(job, timeout) if engine == "rdflib" else job())


class Engine:
    """A worker process running one engine over one graph (see :func:`_engine_worker`)."""

    def __init__(self, engine: str, source: str, load_timeout: float):
        self.engine, self.source, self.load_timeout = engine, source, load_timeout
        self.proc: Any = None
        self.loads: list[float] = []
        self.size = 0

    def start(self) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_engine_worker, args=(child, self.engine, self.source), daemon=True
        )
        self.proc.start()
        child.close()
        if not self.conn.poll(self.load_timeout):
            self.stop()
            raise RuntimeError(f"{self.engine}: not loaded within {self.load_timeout:.0f} s")
        _, seconds, self.size = self.conn.recv()
        self.loads.append(seconds)

    def run(self, text: str, warmup: int, requests: int, seconds: float, timeout: float) -> dict:
        if self.proc is None:
            self.start()
        self.conn.send(("run", text, warmup, requests, seconds, timeout))
        # the rdflib worker enforces the limit itself (and survives); grace for the answer
        if not self.conn.poll(timeout + (30 if self.engine == "rdflib" else 0)):
            self.stop()  # killed: the next query gets a fresh worker
            return {"timeout": timeout, "n": 0}
        msg = self.conn.recv()
        if msg[0] == "timeout":
            return {"timeout": timeout, "n": 0}
        if msg[0] == "error":
            return {"error": msg[1], "n": 0}
        _, samples, cold, rows = msg
        return {**percentiles(samples), "rows": rows, "cold": cold}

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(Exception):
            self.conn.send(("stop",))
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()  # our own worker, by its handle
            self.proc.join()
        self.proc = None


def bench_engine(
    engine: str, source: str, queries: list[NamedQuery], args: argparse.Namespace
) -> tuple[list[dict], dict[str, Any]]:
    """Time ``queries`` on one engine; returns (one result per query, load figures)."""
    if engine == "rdflib":
        warmup, requests, seconds = 1, args.rdflib_repeat, args.rdflib_seconds
        timeout = args.rdflib_timeout
        texts = [with_prefixes(q.text) for q in queries]
    else:
        warmup, requests, seconds = args.warmup, args.requests, args.route_seconds
        timeout = args.query_timeout
        texts = [q.text for q in queries]
    eng = Engine(engine, source, load_timeout=args.load_timeout)
    out = []
    try:
        eng.start()
        say(f"  {engine}: {eng.size:,} quads, loaded in {eng.loads[0]:.1f} s")
        for q, text in zip(queries, texts, strict=True):
            r = eng.run(text, warmup, requests, seconds, timeout)
            out.append(r)
            if "timeout" in r:
                say(f"  {engine} {q.name}: stopped after {timeout:.0f} s")
            elif "error" in r:
                say(f"  {engine} {q.name}: {r['error']}")
            else:
                say(f"  {engine} {q.name}: p50 {r['p50']:.2f} ms ({r['rows']} rows, n={r['n']})")
    finally:
        eng.stop()
    return out, {"load_seconds": [round(x, 1) for x in eng.loads], "quads": eng.size}


# ---------------------------------------------------------------------------------------------
# one graph


def bench_graph(graph: Graph, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    import httpx

    from kg.storage import StoreLocation

    say(f"== {graph.name}: {graph.quads:,} triples at {graph.location}")
    queries = named_queries()
    result: dict[str, Any] = {
        "graph": graph.name,
        "triples": graph.quads,
        "prepare_seconds": round(graph.seconds, 1),
        "notes": graph.notes,
        "queries_from": sorted({q.path or "" for q in queries}),
    }
    t0 = time.perf_counter()
    with serve(graph.location) as base:
        result["server_start_seconds"] = round(time.perf_counter() - t0, 2)
        with httpx.Client(base_url=base, timeout=args.timeout) as client:
            result["rest"] = bench_rest(client, args)
            result["sparql"] = []
            for q in queries:
                row = {"query": q.name, "endpoint": bench_sparql_endpoint(client, q, args)}
                result["sparql"].append(row)
                e = row["endpoint"]
                fail = f", {e['errors']} failed: {e['first_error'][:80]}" if e.get("errors") else ""
                say(f"  /sparql {q.name}: p50 {e['p50']:.2f} ms ({e['rows']} rows{fail})")
    ox, ox_load = bench_engine("oxigraph", str(graph.location), queries, args)
    for row, r in zip(result["sparql"], ox, strict=True):
        row["oxigraph"] = r
    if not args.skip_rdflib:
        nq = tmp / f"{graph.name}.nq"
        store = StoreLocation(graph.location).open_read_only(wait=60)
        try:
            store.dump(nq, "nq")
        finally:
            store.close()
        rd, rd_load = bench_engine("rdflib", str(nq), queries, args)
        nq.unlink()
        result["rdflib_load_seconds"] = (
            rd_load["load_seconds"][0] if rd_load["load_seconds"] else None
        )
        result["rdflib_reloads"] = len(rd_load["load_seconds"]) - 1
        result["rdflib_triples"] = rd_load["quads"]
        for row, r in zip(result["sparql"], rd, strict=True):
            row["rdflib"] = r
            a, b = row["oxigraph"], r
            if "p50" in a and "p50" in b and a["p50"]:
                row["ratio"] = round(b["p50"] / a["p50"], 1)
            elif "timeout" in b and "p50" in a and a["p50"]:
                row["ratio_min"] = round(b["timeout"] * 1000 / a["p50"], 1)
    return result


# ---------------------------------------------------------------------------------------------
# output


def _fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def _cell(r: dict[str, Any], key: str = "p50", digits: int = 1) -> str:
    """A latency cell: the figure, "> N s" for a stopped query, or the error."""
    if "timeout" in r:
        return f"> {r['timeout']:g} s (stopped)"
    if "error" in r:
        return "error"
    v = _fmt(r.get(key), digits)
    return v + (" (1 cold run)" if r.get("cold") and key == "p50" else "")


def _failure(r: dict[str, Any]) -> str:
    """A cell for a route whose every timed request failed: the status, and why for a 504."""
    status = str(r.get("first_error", "?")).split(" ", 1)[0]
    why = " (over the endpoint's time limit)" if status == "504" else ""
    return f"all failed: HTTP {status}{why}"


def markdown(report: dict[str, Any]) -> str:
    lines = []
    graphs = report["graphs"]
    lines.append("| route | graph | p50 ms | p95 ms | requests | first request ms |")
    lines.append("|---|---|---:|---:|---:|---:|")
    for g in graphs:
        label = f"{g['graph']} ({g['triples']:,})"
        for r in g["rest"]:
            if r.get("missing"):
                lines.append(f"| {r['route']} | {label} | missing | | | |")
                continue
            if r.get("errors", 0) >= r["n"]:
                lines.append(f"| {r['route']} | {label} | {_failure(r)} | | {r['n']} | |")
                continue
            flag = f" ({r['errors']} errors)" if r.get("errors") else ""
            lines.append(
                f"| {r['route']} | {label} | {_cell(r)} | {_fmt(r['p95'])} | {r['n']}{flag} "
                f"| {_fmt(r.get('first_ms'))} |"
            )
        for s in g["sparql"]:
            e = s["endpoint"]
            if e.get("errors", 0) >= e["n"]:
                lines.append(f"| /sparql `{s['query']}` | {label} | {_failure(e)} | | {e['n']} | |")
                continue
            flag = f" ({e['errors']} errors)" if e.get("errors") else ""
            lines.append(
                f"| /sparql `{s['query']}` | {label} | {_cell(e)} | {_fmt(e['p95'])} "
                f"| {e['n']}{flag} | |"
            )
    lines.append("")
    lines.append(
        "| SPARQL query | graph | rows | oxigraph ms (p50, direct) | rdflib ms (p50) | ratio |"
    )
    lines.append("|---|---|---:|---:|---:|---:|")
    for g in graphs:
        label = f"{g['graph']} ({g['triples']:,})"
        for s in g["sparql"]:
            ox = s["oxigraph"]
            rd = s.get("rdflib") or {}
            rows = _fmt(ox.get("rows", "–"))
            if rd.get("rows") is not None and rd.get("rows") != ox.get("rows"):
                rows = f"{rows} (rdflib {rd['rows']})"
            if "ratio" in s:
                ratio = f"{_fmt(s['ratio'])} ×"
            elif "ratio_min" in s:
                ratio = f"> {_fmt(s['ratio_min'])} ×"
            else:
                ratio = "–"
            rd_cell = _cell(rd) if rd else "not run"
            lines.append(
                f"| `{s['query']}` | {label} | {rows} | {_cell(ox, digits=2)} | {rd_cell} "
                f"| {ratio} |"
            )
    lines.append("")
    for g in graphs:
        extra = ""
        if g.get("rdflib_load_seconds") is not None:
            extra = f"; rdflib load {g['rdflib_load_seconds']} s ({g['rdflib_triples']:,} quads)"
            if g.get("rdflib_reloads"):
                extra += f", reloaded {g['rdflib_reloads']}× after stopped queries"
        notes = "; ".join(g.get("notes") or [])
        lines.append(
            f"- {g['graph']}: {g['triples']:,} triples, prepared in {g['prepare_seconds']} s"
            f"{extra}{'; ' + notes if notes else ''}"
        )
    m = report["meta"]
    la = m.get("loadavg_start_end") or ["?", "?"]
    lines.append(
        f"- queries: {', '.join(report['graphs'][0]['queries_from'])}; {m['machine']}; "
        f"load average {la[0]} → {la[1]}; whole bench {m['seconds']} s"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from make_synthetic import DEFAULT_OUT

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    ap.add_argument("--seed", type=int, default=7, help="seed of the synthetic graph")
    ap.add_argument("--synthetic", type=Path, default=DEFAULT_OUT, help="its store location")
    ap.add_argument("--graphs", default="seeds,synthetic", help="which graphs (comma-separated)")
    ap.add_argument("--requests", type=int, default=200, help="timed requests per route")
    ap.add_argument("--warmup", type=int, default=20, help="untimed requests per route first")
    ap.add_argument("--route-seconds", type=float, default=30.0, help="time budget per route")
    ap.add_argument("--rdflib-repeat", type=int, default=10, help="timed rdflib runs per query")
    ap.add_argument("--rdflib-seconds", type=float, default=60.0, help="rdflib budget per query")
    ap.add_argument(
        "--query-timeout", type=float, default=300.0, help="stop an Oxigraph query after (s)"
    )
    ap.add_argument(
        "--rdflib-timeout", type=float, default=180.0, help="stop an rdflib query after (s)"
    )
    ap.add_argument("--load-timeout", type=float, default=1800.0, help="engine load limit (s)")
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--timeout", type=float, default=120.0, help="HTTP timeout (s)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    load_before = os.getloadavg()[0]
    wanted = [g.strip() for g in args.graphs.split(",") if g.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-api-"))
    results = []
    try:
        for name in wanted:
            if name == "seeds":
                graph = seed_graph(tmp)
            elif name == "synthetic":
                graph = synthetic_graph(args.synthetic.resolve(), args.triples, args.seed)
            else:
                raise SystemExit(f"unknown graph {name!r} (seeds, synthetic)")
            results.append(bench_graph(graph, args, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = {
        "graphs": results,
        "goal_ms_p50": GOAL_MS,
        "meta": {
            "seconds": round(time.perf_counter() - t0, 1),
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
            "requests": args.requests,
            "warmup": args.warmup,
            # other processes on the machine skew latencies: the 1-minute load average
            "loadavg_start_end": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
