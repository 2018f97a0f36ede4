"""Build the graph: files → reports and facts → one named graph per report in the store.

Re-ingest follows DESIGN.md: a report whose id, text version and build fingerprint (component,
thesaurus, gazetteer and curation versions) are already stored is left alone; anything changed
replaces that report's graph in one transaction; other reports are untouched. A file that fails
leaves no partial graph and never stops the batch; a killed build rerun finishes the job with
nothing duplicated (every report graph is written atomically and the next run skips the ones
already current). Reference data (the jurisdictions the reports name, with their ancestors),
the near-duplicate links and one build record per build live in their own graphs.

>>> from kg.store import OxigraphStore
>>> s = OxigraphStore(None)
>>> summary = build_into(s, ["seeds/000_4ee9ce8ba8ed3195.txt"], progress=False)
>>> summary.counts["ok"]
1
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph

from extractors.pipeline import Runner
from kg import iri, rdf, vocab
from kg.curation import Curation
from kg.extract import Processed, fingerprint, process
from kg.model import Report
from kg.store import Store

__all__ = ["BuildSummary", "build", "build_into", "stored_reports"]


@dataclass
class BuildSummary:
    build_id: str
    counts: dict[str, int] = field(
        default_factory=lambda: {"ok": 0, "unchanged": 0, "replaced": 0, "failed": 0}
    )
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    chars: int = 0
    components: dict[str, dict] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.counts["failed"] > 0

    def line(self) -> str:
        c = self.counts
        rate = self.chars / self.seconds if self.seconds else 0.0
        return (
            f"{c['ok']} ok ({c['replaced']} replaced), {c['unchanged']} unchanged, "
            f"{c['failed']} failed in {self.seconds:.1f}s ({rate:,.0f} chars/s)"
        )


def _fp_hash(fp: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(fp, sort_keys=True).encode()).hexdigest()[:16]


def stored_reports(store: Store) -> dict[str, tuple[str, str]]:
    """``{report id: (text version, build fingerprint)}`` of every stored report."""
    rows = store.query(
        f"""SELECT ?id ?version ?fp WHERE {{ GRAPH ?g {{
              ?r a <{vocab.FZ.Report}> ; <{vocab.FZ.reportId}> ?id ; <{vocab.FZ.version}> ?version .
              OPTIONAL {{ ?r <{vocab.FZ.fingerprint}> ?fp }} }} }}"""
    )
    return {r["id"]: (r["version"], r.get("fp") or "") for r in rows.values()}


def build_into(
    store: Store,
    inputs: Iterable[str | Path],
    manifest: str | Path | None = None,
    *,
    curation: Curation | None = None,
    progress: bool = True,
) -> BuildSummary:
    """Build ``inputs`` into an open store; returns the summary (never raises for bad files)."""
    t0 = time.perf_counter()
    started = datetime.now(UTC)
    runner = Runner()
    curation = curation or Curation()
    fp = fingerprint(runner, curation)
    # curation enters per report (Curation.version_for), so a decision rebuilds only its report
    fp_hash = _fp_hash({k: v for k, v in fp.items() if k != "curation"})
    summary = BuildSummary(build_id=started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6])
    summary.errors.extend(curation.errors)
    existing = stored_reports(store)

    def report_fp(report: Report) -> str:
        return _fp_hash({"build": fp_hash, "curation": curation.version_for(report)})

    def wanted(report: Report) -> bool:
        return existing.get(report.id) != (report.version, report_fp(report))

    items = process(
        inputs, manifest, runner=runner, curation=curation, link_duplicates=False, want=wanted
    )
    bar = _progress(progress)
    for item in items:
        bar.update(item)
        _store_one(store, item, existing, report_fp(item.report) if item.report else "", summary)
    bar.close()

    _refresh_reference_graphs(store)
    from kg.programs import thesaurus_quads

    _refresh_static(
        store,
        vocab.GRAPH_THESAURUS,
        fp.get("thesaurus", "none"),
        lambda: thesaurus_quads(curation, vocab.GRAPH_THESAURUS),
    )
    _refresh_static(store, vocab.GRAPH_ONTOLOGY, _ontology_version(), _ontology_quads)
    from kg.summaries import refresh_summaries  # the API's aggregates (a no-op when unchanged)

    refresh_summaries(store)
    summary.seconds = time.perf_counter() - t0
    summary.components = runner.stats_dict()
    store.replace_graph(
        iri.build_graph(summary.build_id),
        rdf.build_record_quads(
            summary.build_id, fp, started.isoformat(), datetime.now(UTC).isoformat(), summary.counts
        ),
    )
    store.flush()
    return summary


def _store_one(
    store: Store, item: Processed, existing: dict, fp_hash: str, summary: BuildSummary
) -> None:
    if item.report is None:
        summary.counts["failed"] += 1
        summary.errors.extend(item.errors)
        return
    report = item.report
    summary.chars += len(report.text)
    prior = existing.get(report.id)
    if item.skipped:
        summary.counts["unchanged"] += 1
        return
    sentences = {s.id: (s.start, s.end, s.text, s.section) for s in item.sentences}
    try:
        quads = rdf.report_quads(
            report, item.facts, sentences, build_id=summary.build_id, fingerprint=fp_hash
        )
        store.replace_graph(iri.report_graph(report.id), quads)
    except Exception as exc:  # the report's graph is written in one transaction or not at all
        summary.counts["failed"] += 1
        summary.errors.append(f"{item.source}: could not store: {type(exc).__name__}: {exc}")
        return
    summary.counts["ok"] += 1
    if prior is not None:
        summary.counts["replaced"] += 1
    existing[report.id] = (report.version, fp_hash)
    for err in item.errors:  # component failures: stored, but reported
        summary.errors.append(f"{item.source}: {err}")


def _refresh_reference_graphs(store: Store) -> None:
    """Jurisdictions named by stored reports (with ancestors) and the duplicate links."""
    from kg.gazetteer import load

    gaz = load()
    rows = store.query(
        f"""SELECT DISTINCT ?key WHERE {{ GRAPH ?g {{ ?r <{vocab.FZ.gazetteerKey}> ?key }} }}"""
    )
    places: dict[str, object] = {}
    for row in rows.values():
        p = gaz.get(row["key"])
        if p is None:
            continue
        for q in [*gaz.ancestors(p), p]:
            places[q.key] = q
    store.replace_graph(vocab.GRAPH_GAZETTEER, rdf.jurisdiction_quads(list(places.values()), gaz))
    _refresh_duplicates(store)


def _refresh_static(store: Store, graph: str, version: str, make_quads) -> None:
    """Rewrite a reference graph (thesaurus, ontology) only when its version changed."""
    rows = store.query(
        f"""SELECT ?v WHERE {{ GRAPH <{graph}> {{ <{graph}> <{vocab.FZ.version}> ?v }} }}"""
    ).values()
    if any(r["v"] == version for r in rows):
        return
    g = vocab.nn(graph)
    stamp = pyoxigraph.Quad(g, vocab.nn(vocab.FZ.version), pyoxigraph.Literal(version), g)
    store.replace_graph(graph, [*make_quads(), stamp])


def _ontology_quads() -> list:
    from kg.settings import PROJECT_ROOT

    g = vocab.nn(vocab.GRAPH_ONTOLOGY)
    data = (PROJECT_ROOT / "ontology" / "fazhi.ttl").read_bytes()
    return [
        pyoxigraph.Quad(q.subject, q.predicate, q.object, g)
        for q in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)
    ]


def _ontology_version() -> str:
    from kg.settings import PROJECT_ROOT

    return hashlib.sha256((PROJECT_ROOT / "ontology" / "fazhi.ttl").read_bytes()).hexdigest()[:16]


def _refresh_duplicates(store: Store) -> None:
    from kg.dedup import canonical_links

    rows = store.query(
        f"""SELECT ?r ?id ?sig ?url WHERE {{ GRAPH ?g {{
              ?r a <{vocab.FZ.Report}> ; <{vocab.FZ.reportId}> ?id ; <{vocab.FZ.signature}> ?sig .
              OPTIONAL {{ ?r <{vocab.FZ.url}> ?url }} }} }}"""
    )
    links = canonical_links([(r["id"], r["sig"], r.get("url")) for r in rows.values()])
    store.replace_graph(vocab.GRAPH_DUPLICATES, rdf.duplicate_quads(links))


class _progress:
    """A tqdm bar (files, with a chars/s rate) on stderr when asked and attached to a TTY."""

    def __init__(self, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(unit="file", file=sys.stderr, dynamic_ncols=True, mininterval=0.2)
            self.chars = 0
            self.t0 = time.perf_counter()

    def update(self, item: Processed) -> None:
        if self.bar is None:
            return
        if item.report is not None:
            self.chars += len(item.report.text)
        rate = self.chars / max(1e-9, time.perf_counter() - self.t0)
        self.bar.set_postfix_str(f"{rate:,.0f} chars/s", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def build(
    inputs: Iterable[str | Path],
    manifest: str | Path | None = None,
    store_location: str | Path | None = None,
    *,
    progress: bool = True,
) -> BuildSummary:
    """Build into the on-disk store (DESIGN.md: never corrupting or blocking a live server)."""
    from kg.storage import StoreLocation

    with StoreLocation(store_location).open_for_build() as store:
        return build_into(store, inputs, manifest, progress=progress)
