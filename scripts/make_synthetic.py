#!/usr/bin/env python
"""A reproducible synthetic graph of a given size that looks like the real one (for benchmarks).

The five seed reports are built (``kg.build.build_into``) into a temporary in-memory store;
their report graphs are the templates. Each synthetic report copies one template under a new
report id, with every IRI under the report's IRI (sentences, mentions, observations) rewritten,
and:

- a reporter drawn from the real gazetteer (``kg.gazetteer.load()``: prefectures, counties,
  townships; a pool of places so that a place reports several years), a year in 2015–2025
  (one report per place and year); the template reporter's name, its parent's and its
  province's are replaced by the new chain's in every string (sentences, surfaces, titles,
  agency labels, issuers), so 盖州市人民法院 becomes the new place's 人民法院 with its own
  agency IRI, and 盖州市2024年普法依法治理工作要点 the new place's document of the new year;
  ``fz:reporter``, ``fz:ofJurisdiction``, ``fz:issuer`` and ``fz:jurisdiction`` follow;
- the template's thesaurus programs replaced by programs drawn from the thesaurus with a
  Zipf skew (rank 1 = the program the most seed reports mention), without repetition inside
  one report (description, direct edges and mention surfaces follow);
- metric values perturbed by a log-normal factor per observation (σ = 0.35; the base value
  keeps its ratio to the value; integers stay integers, percentages stay ≤ 100);
- dates and observation years shifted with the report's year; a random MinHash signature so
  that no two synthetic reports look like near-duplicates.

The seed reports themselves are kept too. The reference graphs are written as a build would:
the gazetteer places the reports name (with their ancestors), the thesaurus, the ontology and
the seed build record. Everything is bulk-loaded (pyoxigraph ``bulk_extend``) into a new store
location (``OUT/CURRENT`` → ``gen-000001``, so ``kg serve --store OUT`` serves it); then the
summaries the REST API reads are refreshed (``kg.summaries``, as ``kg build`` does at its end).
``OUT/synthetic.json`` records the parameters and the figures.

    .venv/bin/python scripts/make_synthetic.py [--triples 1000000] [--out data/synthetic] [--seed 7]

"Triples" counts statements (quads: every triple in its named graph), the size measure of
ontology/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from pyoxigraph import Literal, NamedNode, Quad  # noqa: E402

from kg import iri as kiri  # noqa: E402
from kg.vocab import (  # noqa: E402
    DCTERMS,
    FZ,
    GRAPH_GAZETTEER,
    GRAPH_REPORT_NS,
    RDFS,
    SKOS,
    XSD,
    nn,
)

__all__ = [
    "DEFAULT_OUT",
    "build_seed_store",
    "generator_version",
    "make_synthetic",
    "store_size",
]

DEFAULT_OUT = ROOT / "data" / "synthetic"
YEARS = range(2015, 2026)
# share of synthetic reporters per level (reports come mostly from counties and cities)
LEVEL_MIX = {"prefecture": 0.3, "county": 0.5, "township": 0.2}
ZIPF_S = 1.0
VALUE_SIGMA = 0.35

_T_INT = nn(XSD.integer)
_T_DEC = nn(XSD.decimal)
_T_URI = nn(XSD.anyURI)
_STRING = XSD.string


# ---------------------------------------------------------------------------------------------
# the seed store and the templates


def build_seed_store(seeds: Path | None = None, store: Any = None) -> Any:
    """The seeds built into ``store`` (default: a new in-memory OxigraphStore), empty curation."""
    from kg.build import build_into
    from kg.curation import Curation
    from kg.store import OxigraphStore

    store = store if store is not None else OxigraphStore(None)
    with tempfile.TemporaryDirectory(prefix="kg-synth-") as tmp:
        summary = build_into(
            store,
            [str(seeds or ROOT / "seeds")],
            curation=Curation(Path(tmp) / "decisions.jsonl"),
            progress=False,
        )
    if summary.failed:
        raise RuntimeError(f"building the seeds failed: {summary.errors}")
    return store


@dataclass
class Template:
    report: str  # report IRI
    graph: str
    chain_names: list[str]  # province … reporter
    chain_aliases: list[tuple[str, ...]]  # their short forms (盖州, 营口, 辽宁)
    chain_iris: list[str]
    year: int
    quads: list[tuple[Any, NamedNode, Any]]
    scoped: list[tuple[NamedNode, str]] = field(default_factory=list)  # IRI under the report
    programs: list[str] = field(default_factory=list)  # thesaurus programs it mentions
    agencies: dict[str, str] = field(default_factory=dict)  # agency IRI -> label
    documents: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # title, issuer
    observations: dict[str, str | None] = field(default_factory=dict)  # IRI -> unit
    program_mentions: dict[NamedNode, NamedNode] = field(default_factory=dict)  # mention -> prog
    texts: list[Literal] = field(default_factory=list)  # string literals to rewrite


def _templates(store: Any, gaz: Any, thesaurus_ids: set[str]) -> list[Template]:
    raw = store.raw
    out = []
    for g in sorted(store.named_graphs()):
        if not g.startswith(GRAPH_REPORT_NS):
            continue
        gnode = nn(g)
        quads = [
            (q.subject, q.predicate, q.object)
            for q in raw.quads_for_pattern(None, None, None, gnode)
        ]
        report = next(s.value for s, p, o in quads if p.value == FZ.reportId)
        key = next((o.value for s, p, o in quads if p.value == FZ.gazetteerKey), None)
        place = gaz.get(key) if key else None
        year = next(
            (int(o.value) for s, p, o in quads if s.value == report and p.value == FZ.year), None
        )
        if place is None or year is None:
            continue  # a template needs a resolved reporter and a year
        chain = [*gaz.ancestors(place), place]
        t = Template(
            report=report,
            graph=g,
            chain_names=[p.name for p in chain],
            chain_aliases=[p.aliases for p in chain],
            chain_iris=[_place_iri(p) for p in chain],
            year=year,
            quads=quads,
        )
        prefix = report + "/"
        seen: set[str] = set()
        types: dict[str, set[str]] = {}
        labels: dict[str, str] = {}
        titles: dict[str, str] = {}
        issuers: dict[str, str] = {}
        units: dict[str, str] = {}
        mention_of: dict[NamedNode, NamedNode] = {}
        text_lits: dict[Literal, None] = {}
        for s, p, o in quads:
            for term in (s, o):
                if isinstance(term, NamedNode) and term.value.startswith(prefix):
                    if term.value not in seen:
                        seen.add(term.value)
                        t.scoped.append((term, term.value[len(report) :]))
            pv = p.value
            if pv.endswith("#type"):
                types.setdefault(s.value, set()).add(o.value)
            elif pv in (RDFS.label, SKOS.prefLabel):
                labels[s.value] = o.value
            elif pv == DCTERMS.title:
                titles[s.value] = o.value
            elif pv == FZ.issuerName:
                issuers[s.value] = o.value
            elif pv == FZ.unit:
                units[s.value] = o.value
            elif pv == FZ.mentionOf:
                mention_of[s] = o
            if isinstance(o, Literal) and o.datatype.value == _STRING and not o.language:
                text_lits[o] = None
        t.texts = list(text_lits)
        for subj, kinds in sorted(types.items()):  # sorted: the draws must not depend on order
            if FZ.Program in kinds and subj in thesaurus_ids:
                t.programs.append(subj)
            elif FZ.Agency in kinds and subj in labels:
                t.agencies[subj] = labels[subj]
            elif FZ.Document in kinds and subj in titles:
                t.documents[subj] = (titles[subj], issuers.get(subj))
            elif FZ.MetricObservation in kinds:
                t.observations[subj] = units.get(subj)
        progs = set(t.programs)
        t.program_mentions = {m: e for m, e in mention_of.items() if e.value in progs}
        out.append(t)
    if not out:
        raise RuntimeError("no usable template report (a resolved reporter and a year)")
    return out


def _place_iri(place: Any) -> str:
    return kiri.jurisdiction_iri(place.code or place.key)


# ---------------------------------------------------------------------------------------------
# perturbations


def _perturb(lex: str, factor: float, percent: bool) -> str:
    """``lex`` (an xsd:decimal) times ``factor``: integers stay integers, decimals keep their
    number of fraction digits, a percentage stays within 0–100."""
    try:
        d = Decimal(lex)
    except InvalidOperation:
        return lex
    places = -d.as_tuple().exponent if "." in lex else 0
    x = d * Decimal(repr(factor))
    if percent:
        x = min(x, Decimal(100))
    q = Decimal(1).scaleb(-places) if places > 0 else Decimal(1)
    x = x.quantize(q, rounding=ROUND_HALF_UP)
    if places == 0 and d >= 1 and x < 1:
        x = Decimal(1)
    return format(x, "f")


def _scale_base(base_lex: str, value_lex: str, new_value_lex: str) -> str:
    """The base value keeping its ratio to the value (integers stay integers)."""
    try:
        b, v, nv = Decimal(base_lex), Decimal(value_lex), Decimal(new_value_lex)
    except InvalidOperation:
        return base_lex
    if v == 0:
        return base_lex
    x = b * nv / v
    if "." not in base_lex:
        x = x.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    else:
        x = x.quantize(Decimal(1).scaleb(-max(0, -b.as_tuple().exponent)), rounding=ROUND_HALF_UP)
    return format(x, "f")


def _shift_date(lit: Literal, delta: int) -> Literal:
    v = lit.value
    if delta == 0 or len(v) < 4 or not v[:4].isdigit():
        return lit
    y = int(v[:4]) + delta
    rest = v[4:]
    if rest.startswith("-02-29"):
        rest = "-02-28" + rest[6:]
    return Literal(f"{y:04d}{rest}", datatype=lit.datatype)


# ---------------------------------------------------------------------------------------------
# one synthetic report


class _Maker:
    def __init__(self, templates: list[Template], programs: list[dict], seed: int):
        self.templates = templates
        self.programs = programs
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        n = len(programs)
        w = 1.0 / np.arange(1, n + 1) ** ZIPF_S
        self.weights = w / w.sum()

    def report(self, place: Any, chain: list[Any], year: int) -> list[Quad]:
        rng = self.rng
        t = self.templates[int(rng.integers(len(self.templates)))]
        code = place.code or place.key
        report_id = f"synthetic/{code}-{year}.txt"
        new_r = kiri.report_iri(report_id)
        g = nn(kiri.report_graph(report_id))
        delta = year - t.year
        new_names = [p.name for p in chain]
        new_iris = [_place_iri(p) for p in chain]

        # names: the reporter, its province and (when both have one) its parent, with their
        # short forms; years near the template's year (2024年 -> 2017年) shift with the report
        pos = [(-1, -1)]
        if len(t.chain_names) >= 2 and len(new_names) >= 2:
            pos.append((0, 0))
        if len(t.chain_names) >= 3 and len(new_names) >= 3:
            pos.append((-2, -2))
        names: dict[str, str] = {}
        for a, b in pos:
            if t.chain_names[a] == new_names[b]:
                continue
            names[t.chain_names[a]] = new_names[b]
            short = chain[b].aliases[0] if chain[b].aliases else new_names[b]
            for alias in t.chain_aliases[a]:
                if len(alias) >= 2 and alias not in names:
                    names[alias] = short
        alts = [re.escape(k) for k in sorted(names, key=len, reverse=True)]
        pattern = re.compile("|".join([*alts, r"(?<!\d)20[0-3]\d(?=年)"]))

        def repl(match: re.Match[str]) -> str:
            text = match.group()
            if text in names:
                return names[text]
            y = int(text)
            return str(y + delta) if abs(y - t.year) <= 3 else text

        def sub(text: str) -> str:
            return pattern.sub(repl, text)

        m: dict[Any, Any] = {}
        for node, suffix in t.scoped:
            m[node] = NamedNode(new_r + suffix)
        m[nn(t.report)] = nn(new_r)
        for a, b in pos:
            m[nn(t.chain_iris[a])] = nn(new_iris[b])
        for lit in t.texts:
            new = sub(lit.value)
            if new != lit.value:
                m[lit] = Literal(new)
        moved_docs: set[str] = set()
        for a_iri, label in t.agencies.items():
            new = sub(label)
            if new != label:
                m[nn(a_iri)] = nn(kiri.agency_iri(new))
        for d_iri, (title, issuer) in t.documents.items():
            nt, ni = sub(title), (sub(issuer) if issuer else None)
            if (nt, ni) != (title, issuer):
                moved_docs.add(d_iri)
                m[nn(d_iri)] = nn(
                    kiri.document_iri(nt, ni, role="issued") if ni else kiri.document_iri(nt)
                )

        # programs: the template's thesaurus programs -> a Zipf draw without repetition
        prog_new: dict[str, dict] = {}
        if t.programs:
            k = min(len(t.programs), len(self.programs))
            picks = rng.choice(len(self.programs), size=k, replace=False, p=self.weights)
            for old, j in zip(t.programs, picks, strict=False):
                prog_new[old] = self.programs[int(j)]
                m[nn(old)] = nn(self.programs[int(j)]["id"])

        factors = {o: float(math.exp(rng.normal(0.0, VALUE_SIGMA))) for o in t.observations}
        new_values: dict[str, tuple[str, str]] = {}  # observation -> (old value, new value)
        for s, p, o in t.quads:
            if p.value == FZ.value:
                unit = t.observations.get(s.value)
                new_values[s.value] = (
                    o.value,
                    _perturb(o.value, factors.get(s.value, 1.0), unit == "%"),
                )

        sig = _random_signature(rng)
        version = hashlib.sha256(f"synthetic:{self.seed}:{report_id}".encode()).hexdigest()
        report_node = nn(t.report)
        out: list[Quad] = []
        add = out.append
        for s, p, o in t.quads:
            pv = p.value
            s2 = m.get(s, s)
            if s == report_node:
                if pv == FZ.reportId:
                    o = Literal(report_id)
                elif pv == FZ.version:
                    o = Literal(version)
                elif pv == FZ.sourcePath:
                    o = Literal(report_id)
                elif pv == FZ.url:
                    o = Literal(f"https://synthetic.invalid/{code}/{year}.html", datatype=_T_URI)
                elif pv == FZ.signature:
                    o = Literal(sig)
                elif pv == FZ.gazetteerKey:
                    o = Literal(place.key)
                elif pv == FZ.reporterCandidate:
                    continue
                elif pv == FZ.year:
                    o = Literal(str(year), datatype=_T_INT)
                elif pv in (DCTERMS.issued, FZ.signed, FZ.fetchedAt):
                    o = _shift_date(o, delta)
                add(Quad(s2, p, m.get(o, o), g))
                continue
            if pv == FZ.value and s.value in new_values:
                o = Literal(new_values[s.value][1], datatype=_T_DEC)
            elif pv == FZ.baseValue and s.value in new_values:
                old_v, new_v = new_values[s.value]
                o = Literal(_scale_base(o.value, old_v, new_v), datatype=_T_DEC)
            elif pv == FZ.year and (s.value in t.observations or s.value in moved_docs):
                o = Literal(str(int(o.value) + delta), datatype=_T_INT)
            elif s.value in prog_new:
                if pv == SKOS.prefLabel:
                    o = Literal(prog_new[s.value]["pref"])
                elif pv == FZ.category:
                    cat = prog_new[s.value].get("category")
                    if not cat:
                        continue
                    o = Literal(cat)
                elif pv == FZ.candidate:
                    continue
            elif pv == FZ.surface and s in t.program_mentions:
                o = Literal(prog_new[t.program_mentions[s].value]["pref"])
            add(Quad(s2, p, m.get(o, o), g))
        return out


def _random_signature(rng: np.random.Generator) -> str:
    from kg.dedup import NUM_PERM, encode_signature

    return encode_signature(rng.integers(0, 2**32 - 1, size=NUM_PERM, dtype=np.uint32))


def _reporter_pool(gaz: Any, n_reports: int, rng: np.random.Generator) -> list[Any]:
    """Places that will report: ~ one per two reports, by level as ``LEVEL_MIX``."""
    by_level: dict[str, list[Any]] = {lv: [] for lv in LEVEL_MIX}
    for p in gaz:
        if p.level in by_level and p.code:
            by_level[p.level].append(p)
    for lst in by_level.values():
        lst.sort(key=lambda p: p.key)
    size = max(8, n_reports // 2 + 1)
    pool = []
    for level, share in LEVEL_MIX.items():
        cands = by_level[level]
        k = min(len(cands), max(1, round(size * share)))
        idx = rng.choice(len(cands), size=k, replace=False)
        pool += [cands[int(i)] for i in sorted(idx)]
    return pool


def _program_ranking(store: Any, rng: np.random.Generator) -> list[dict]:
    """Thesaurus programs, the most mentioned by the seeds first, the others in random order."""
    from kg.programs import program_list

    programs = [p for p in program_list() if p.get("id") and p.get("pref")]
    rows = store.query(
        "SELECT ?p (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r fz:mentionsProgram ?p } GROUP BY ?p"
    )
    seen = {r["p"]: int(r["n"]) for r in rows.values()}
    order = rng.permutation(len(programs))
    rank = {programs[int(j)]["id"]: k for k, j in enumerate(order)}
    return sorted(programs, key=lambda p: (-seen.get(p["id"], 0), rank[p["id"]]))


# ---------------------------------------------------------------------------------------------
# the whole graph


def generator_version() -> str:
    """A digest of the code that shapes the synthetic store (this script, the summaries, the
    IRI minting and the RDF mapping): a store made by other code is remade, not reused."""
    h = hashlib.sha256()
    for f in (
        Path(__file__),
        ROOT / "kg" / "summaries.py",
        ROOT / "kg" / "iri.py",
        ROOT / "kg" / "rdf.py",
    ):
        if f.exists():
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def store_size(path: Path) -> int:
    """Bytes under ``path``."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def _refresh_summaries(store: Any) -> str:
    """Materialise the summaries the REST API reads (``kg.summaries.refresh_summaries``, which
    ``kg build`` calls at its end); says what it did."""
    try:
        from kg.summaries import refresh_summaries
    except ImportError:
        return "kg.summaries not found: no summaries materialised"
    t0 = time.perf_counter()
    refresh_summaries(store, force=True)
    return f"kg.summaries.refresh_summaries in {time.perf_counter() - t0:.1f}s"


def make_synthetic(
    out: Path,
    triples: int = 1_000_000,
    seed: int = 7,
    *,
    force: bool = False,
    log: Any = None,
) -> dict[str, Any]:
    """Write the synthetic graph into the new store location ``out``; returns the figures."""
    from kg.gazetteer import load
    from kg.rdf import jurisdiction_quads
    from kg.storage import StoreLocation

    say = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} exists and is not empty (use --force to replace it)")
        if not (out / "CURRENT").exists() and not (out / "synthetic.json").exists():
            raise SystemExit(f"{out} does not look like a store location: not removing it")
        shutil.rmtree(out)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    gaz = load()

    seed_store = build_seed_store()
    programs = _program_ranking(seed_store, rng)
    templates = _templates(seed_store, gaz, {p["id"] for p in programs})
    say(
        f"seeds: {len(seed_store.raw):,} quads, {len(templates)} templates ({time.perf_counter() - t0:.1f}s)"
    )

    # reference graphs (without the gazetteer, written last with every place named)
    reference: list[Quad] = []
    seed_reports: list[Quad] = []
    keys: set[str] = set()
    for q in seed_store.raw:
        g = q.graph_name.value if isinstance(q.graph_name, NamedNode) else ""
        if g == GRAPH_GAZETTEER:
            continue
        (seed_reports if g.startswith(GRAPH_REPORT_NS) else reference).append(q)
        if q.predicate.value == FZ.gazetteerKey:
            keys.add(q.object.value)
    avg = max(1, sum(len(t.quads) for t in templates) // len(templates))
    budget = max(0, triples - len(reference) - len(seed_reports) - 40 * 10)
    n_est = max(1, math.ceil(budget / avg))
    pool = _reporter_pool(gaz, n_est, rng)
    chains = {p.key: [*gaz.ancestors(p), p] for p in pool}
    maker = _Maker(templates, programs, seed)

    loc = StoreLocation(out)
    made = 0
    taken: set[tuple[str, int]] = set()
    with loc.open_for_build() as store:
        store.bulk_load(reference)
        store.bulk_load(seed_reports)
        total = len(store.raw)
        while total < triples or made == 0:
            batch: list[Quad] = []
            while (total + len(batch) < triples and len(batch) < 200_000) or made == 0:
                for _ in range(1000):
                    place = pool[int(rng.integers(len(pool)))]
                    year = int(rng.choice(YEARS))
                    if (place.key, year) not in taken:
                        break
                else:
                    raise RuntimeError("reporter pool exhausted")
                taken.add((place.key, year))
                batch += maker.report(place, chains[place.key], year)
                keys.add(place.key)
                made += 1
            store.bulk_load(batch)
            total = len(store.raw)  # identical quads inside a report graph collapse
            say(f"  {made} reports, {total:,} quads ({time.perf_counter() - t0:.1f}s)")
        places: dict[str, Any] = {}
        for key in sorted(keys):
            p = gaz.get(key)
            if p is None:
                continue
            for a in [*gaz.ancestors(p), p]:
                places[a.key] = a
        store.bulk_load(list(jurisdiction_quads(list(places.values()), gaz)))
        load_s = time.perf_counter() - t0
        data_quads = len(store.raw)
        summaries = _refresh_summaries(store)
        quads_n = len(store.raw)
        store.flush()
        store.optimize()  # compact: the summaries update went through the write-ahead log
    seconds = time.perf_counter() - t0
    figures = {
        "out": str(out),
        "seed": seed,
        "target": triples,
        "generator": generator_version(),
        "quads": quads_n,
        "data_quads": data_quads,
        "reports": made + sum(1 for t in templates),
        "synthetic_reports": made,
        "places": len(places),
        "years": [min(YEARS), max(YEARS)],
        "seconds": round(seconds, 1),
        "load_seconds": round(load_s, 1),
        "summaries": summaries,
        "bytes": store_size(out),
    }
    (out / "synthetic.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="at least this many (quads)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="a new store location directory")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--force", action="store_true", help="replace OUT if it is a store location")
    args = ap.parse_args(argv)
    f = make_synthetic(args.out, args.triples, args.seed, force=args.force)
    mb = f["bytes"] / 1e6
    print(
        f"{f['quads']:,} triples ({f['reports']} reports, {f['places']} places) in "
        f"{f['seconds']:.1f}s; {mb:,.1f} MB on disk at {f['out']}; summaries: {f['summaries']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
