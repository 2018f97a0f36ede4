"""Summaries materialised at build time for the REST API (``/programs``, ``/jurisdictions`` …).

The API never aggregates per request: after a build, :func:`refresh_summaries` reads the whole
store once, computes every aggregate the resources need and writes them into ONE named graph,
``…/graph/summaries`` (:data:`GRAPH_SUMMARIES`), as compact JSON documents:

- ``<resource IRI> fz:summary "{…}"^^rdf:JSON`` for each program, jurisdiction, metric concept
  and document (the detail a ``/…/{id}`` route returns);
- ``<…/id/summary/{name}> fz:summary "[…]"^^rdf:JSON`` for the indexes (:data:`INDEXES`: the
  lists behind ``/programs``, ``/jurisdictions``, ``/metrics``, ``/documents``, ``/reports``, the
  agencies, and the ``/search`` name index with pinyin);
- ``<…/graph/summaries> fz:version "{stamp}"``: the stamp, a digest of everything the summaries
  depend on (every report's id, text version and build fingerprint, the duplicate links, the
  thesaurus and metric-concept versions, the gazetteer graph, :data:`SUMMARY_VERSION`).

Why a named graph of JSON documents, not a sidecar file or summary triples: the graph travels with
the store (on-disk generations and their hard-linked backups, the in-memory test store, a remote
SPARQL endpoint) and is replaced atomically with ``replace_graph``, so a server can never read
summaries of another generation; and a request costs one index lookup (subject + predicate +
graph) plus, once per stamp, one ``json.loads`` — the parsed documents are cached in-process
keyed by the stamp, so p50 stays far under 50 ms at a million triples whatever the shape of the
aggregate. Rows as RDF would cost ~15 quads per adopter row and a join per request.

:func:`refresh_summaries` is called at the end of ``kg.build.build_into``; it is a no-op when the
stamp is unchanged. A store without summaries (loaded by other means) still works: :func:`view`
computes them in memory once per input state (checked at most every 2 s) — call
``refresh_summaries(store)`` after loading data by hand to avoid that first slow request.

Vocabulary this module introduces (for the ontology): the property ``fz:summary`` (a JSON
document about its subject, datatype ``rdf:JSON``), the graph ``…/graph/summaries`` and the
index resources ``…/id/summary/{programs,jurisdictions,metrics,documents,reports,agencies,search}``.

>>> from kg.store import OxigraphStore
>>> s = OxigraphStore(None)
>>> refresh_summaries(s)
True
>>> refresh_summaries(s)
False
>>> view(s).index("programs")
[]
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import weakref
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg import vocab
from kg.iri import NATIONAL_IRI, jurisdiction_iri, metric_concept_iri, zone_key
from kg.store import Store, python_value
from kg.textnorm import normalize
from kg.vocab import (
    ENUM_VALUE,
    FZ,
    GRAPH_DUPLICATES,
    GRAPH_GAZETTEER,
    GRAPH_METRICS,
    GRAPH_THESAURUS,
    ID_NS,
    RDF,
    SKOS,
    SPARQL_PREFIXES,
    is_report_graph,
    nn,
)

__all__ = [
    "GRAPH_SUMMARIES",
    "INDEXES",
    "RDF_JSON",
    "SUMMARY",
    "SUMMARY_NS",
    "SUMMARY_VERSION",
    "SummaryView",
    "compute",
    "concept_id",
    "index_iri",
    "input_signature",
    "name_key",
    "pinyin_keys",
    "refresh_summaries",
    "stored_stamp",
    "summary_quads",
    "view",
]

GRAPH_SUMMARIES = vocab.GRAPH_SUMMARIES
SUMMARY = vocab.FZ.summary
SUMMARY_NS = ID_NS + "summary/"
RDF_JSON = RDF.NS + "JSON"
SUMMARY_VERSION = "1"
INDEXES = ("programs", "jurisdictions", "metrics", "documents", "reports", "agencies", "search")

PROGRAM_NS = ID_NS + "program/"
DOCUMENT_NS = ID_NS + "document/"
AGENCY_NS = ID_NS + "agency/"
JURISDICTION_NS = ID_NS + "jurisdiction/"
METRIC_NS = ID_NS + "metric/"

_DIGEST_TAIL = re.compile(r"-[0-9a-f]{16}\Z")
_NAME_DROP = re.compile(r"[\s\"'“”‘’《》〈〉「」『』()（）\[\]【】·・,，、.。:：;；!！?？\-—_/]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def index_iri(name: str) -> str:
    """The subject of an index document (``…/id/summary/{name}``)."""
    return SUMMARY_NS + name


# ---------------------------------------------------------------------------------------------
# names and pinyin (build time, and the same normalisation for queries at request time)


def name_key(text: str) -> str:
    """A name as search compares it: NFKC, traditional → simplified, lower case, no spaces,
    quotes, brackets or punctuation (``“法律明白人”`` and ``法律明白人`` compare equal)."""
    return _NAME_DROP.sub("", normalize(text or "").lower())


@lru_cache(maxsize=1 << 16)
def pinyin_keys(name: str) -> tuple[str, str] | None:
    """``(full pinyin, initials)`` of a name with Chinese characters, tone-less, ü as v,
    letters and digits only (``法律明白人`` → ``("falvmingbairen", "flmbr")``); None when the
    name has no Chinese character."""
    text = normalize(name or "")
    if not _CJK.search(text):
        return None
    from pypinyin import lazy_pinyin

    full: list[str] = []
    init: list[str] = []
    for syl in lazy_pinyin(text, errors=lambda s: [s]):
        tok = re.sub(r"[^a-z0-9]", "", syl.lower())
        if tok:
            full.append(tok)
            init.append(tok[0])
    if not full:
        return None
    return "".join(full), "".join(init)


# ---------------------------------------------------------------------------------------------
# reading the store


def _val(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    return python_value(term)


def _select(store: Store, sparql: str) -> Iterator[tuple[Any, ...]]:
    res = store.query(SPARQL_PREFIXES + sparql)
    for row in res.tuples():  # type: ignore[union-attr]
        yield tuple(_val(t) for t in row)


_Q_REPORT_KEYS = """
SELECT ?g ?id ?version ?fp WHERE { GRAPH ?g {
  ?r a fz:Report ; fz:reportId ?id ; fz:version ?version . OPTIONAL { ?r fz:fingerprint ?fp } } }
"""
_Q_DUPLICATES = f"""
SELECT ?a ?b WHERE {{ {{ GRAPH <{GRAPH_DUPLICATES}> {{ ?a fz:duplicateOf ?b }} }}
  UNION {{ GRAPH ?g {{ ?a a fz:Report ; fz:duplicateOf ?b }} }} }}
"""
_Q_STAMPS = f"""
SELECT ?g ?v WHERE {{ VALUES ?g {{ <{GRAPH_THESAURUS}> <{GRAPH_METRICS}> }}
  GRAPH ?g {{ ?g fz:version ?v }} }}
"""


def input_signature(store: Store) -> str:
    """A digest of everything the summaries depend on (see module docstring)."""
    h = hashlib.sha256(SUMMARY_VERSION.encode())
    for row in sorted(_select(store, _Q_REPORT_KEYS), key=lambda r: (r[0], r[1])):
        h.update(json.dumps(row, ensure_ascii=False, default=str).encode())
    h.update(b"|dup")
    for row in sorted(_select(store, _Q_DUPLICATES)):
        h.update(json.dumps(row).encode())
    h.update(b"|stamps")
    for row in sorted(_select(store, _Q_STAMPS)):
        h.update(json.dumps(row, default=str).encode())
    h.update(b"|gaz%d" % store.count(GRAPH_GAZETTEER))
    return h.hexdigest()[:24]


def stored_stamp(store: Store) -> str | None:
    """The stamp of the summaries stored in ``store`` (None when there are none)."""
    g = nn(GRAPH_SUMMARIES)
    for q in store.quads(g, nn(FZ.version), None, GRAPH_SUMMARIES):
        return q.object.value
    return None


# ---------------------------------------------------------------------------------------------
# computing


_Q_REPORTS = """
SELECT ?g ?r ?id ?title ?year ?url ?published ?signed ?rep ?repname ?conf ?dept WHERE { GRAPH ?g {
  ?r a fz:Report ; fz:reportId ?id .
  OPTIONAL { ?r dcterms:title ?title } OPTIONAL { ?r fz:year ?year } OPTIONAL { ?r fz:url ?url }
  OPTIONAL { ?r dcterms:issued ?published } OPTIONAL { ?r fz:signed ?signed }
  OPTIONAL { ?r fz:reporter ?rep } OPTIONAL { ?r fz:reporterName ?repname }
  OPTIONAL { ?r fz:reporterConfidence ?conf } OPTIONAL { ?r fz:department ?dept } } }
"""
_Q_CANDIDATES = "SELECT ?g ?c WHERE { GRAPH ?g { ?r a fz:Report ; fz:reporterCandidate ?c } }"
_Q_GAZ = f"""
SELECT ?j ?label ?code ?level ?parent ?rank WHERE {{ GRAPH <{GRAPH_GAZETTEER}> {{
  ?j a fz:Jurisdiction .
  OPTIONAL {{ ?j rdfs:label ?label }} OPTIONAL {{ ?j fz:code ?code }} OPTIONAL {{ ?j fz:level ?level }}
  OPTIONAL {{ ?j fz:within ?parent }} OPTIONAL {{ ?j fz:rank ?rank }} }} }}
"""
_Q_GAZ_ALT = f"SELECT ?j ?alt WHERE {{ GRAPH <{GRAPH_GAZETTEER}> {{ ?j skos:altLabel ?alt }} }}"
_Q_GAZ_FORMER = f"""
SELECT ?j ?name ?from ?to ?code WHERE {{ GRAPH <{GRAPH_GAZETTEER}> {{
  ?j fz:formerName ?f . ?f rdfs:label ?name .
  OPTIONAL {{ ?f fz:validFrom ?from }} OPTIONAL {{ ?f fz:validTo ?to }}
  OPTIONAL {{ ?f fz:formerCode ?code }} }} }}
"""
_Q_MENTIONS = """
SELECT ?g ?e ?type ?start ?end ?surface ?section ?neg ?role ?inf ?stext ?sstart WHERE { GRAPH ?g {
  ?m a fz:Mention ; fz:mentionOf ?e ; fz:start ?start ; fz:end ?end ; fz:surface ?surface ;
     fz:sentence ?s .
  ?e a ?type .
  ?s fz:text ?stext .
  OPTIONAL { ?s fz:start ?sstart } OPTIONAL { ?m fz:section ?section }
  OPTIONAL { ?m fz:negated ?neg } OPTIONAL { ?m fz:role ?role }
  OPTIONAL { ?m fz:issuerInferred ?inf } } }
"""
_Q_EDGES = """
SELECT ?g ?p ?e WHERE { GRAPH ?g { ?r a fz:Report ; ?p ?e .
  VALUES ?p { fz:runsProgram fz:issuedDocument fz:reportingAgency } } }
"""
_Q_PROGRAMS = """
SELECT DISTINCT ?p ?label ?cand ?cat WHERE { GRAPH ?g { ?p a fz:Program ; skos:prefLabel ?label .
  OPTIONAL { ?p fz:candidate ?cand } OPTIONAL { ?p fz:category ?cat } } }
"""
_Q_THESAURUS = f"""
SELECT ?p ?pred ?o WHERE {{ GRAPH <{GRAPH_THESAURUS}> {{
  ?p skos:inScheme fz:programScheme ; ?pred ?o .
  VALUES ?pred {{ skos:prefLabel skos:altLabel fz:category skos:broader }} }} }}
"""
_Q_AGENCIES = """
SELECT DISTINCT ?a ?label ?type ?j WHERE { GRAPH ?g { ?a a fz:Agency ; rdfs:label ?label .
  OPTIONAL { ?a fz:agencyType ?type } OPTIONAL { ?a fz:ofJurisdiction ?j } } }
"""
_Q_DOCUMENTS = """
SELECT DISTINCT ?d ?title ?iname ?issuer ?kind ?year ?no WHERE { GRAPH ?g {
  ?d a fz:Document ; dcterms:title ?title .
  OPTIONAL { ?d fz:issuerName ?iname } OPTIONAL { ?d fz:issuer ?issuer }
  OPTIONAL { ?d fz:docKind ?kind } OPTIONAL { ?d fz:year ?year } OPTIONAL { ?d fz:docNumber ?no } } }
"""
_Q_OBSERVATIONS = """
SELECT ?g ?o ?value ?unit ?base ?bunit ?approx ?qual ?scope ?subject ?metric ?agency ?j ?year
WHERE { GRAPH ?g { ?o a fz:MetricObservation .
  OPTIONAL { ?o fz:value ?value } OPTIONAL { ?o fz:unit ?unit } OPTIONAL { ?o fz:baseValue ?base }
  OPTIONAL { ?o fz:baseUnit ?bunit } OPTIONAL { ?o fz:approximate ?approx }
  OPTIONAL { ?o fz:qualifier ?qual } OPTIONAL { ?o fz:scope ?scope }
  OPTIONAL { ?o fz:subject ?subject } OPTIONAL { ?o fz:metric ?metric }
  OPTIONAL { ?o fz:agency ?agency } OPTIONAL { ?o fz:jurisdiction ?j } OPTIONAL { ?o fz:year ?year } } }
"""
_Q_METRIC_GRAPH = f"""
SELECT ?c ?label WHERE {{ GRAPH <{GRAPH_METRICS}> {{ ?c skos:prefLabel ?label }} }}
"""

_SECTION_ORDER = {"achievements": 0, "other": 1, "problems": 2, "plans": 3}
_KIND_OF_TYPE = {
    FZ.Program: "program",
    FZ.Agency: "agency",
    FZ.Document: "document",
    FZ.MetricObservation: "metric",
}


def _tail(iri: str, ns: str) -> str:
    return iri[len(ns) :] if iri.startswith(ns) else iri.rsplit("/", 1)[-1]


def concept_id(iri: str) -> str:
    """``court_appearance_rate`` for ``…/id/metric/court_appearance_rate-9c87…``."""
    tail = _tail(iri, METRIC_NS)
    stem = _DIGEST_TAIL.sub("", tail)
    if stem != tail and metric_concept_iri(stem) == iri:
        return stem
    return tail


def _metric_concepts_tsv() -> dict[str, dict[str, str]]:
    try:
        import extractors

        path = Path(extractors.__file__).resolve().parent / "data" / "metric_concepts.tsv"
        lines = path.read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):  # pragma: no cover - data missing
        return {}
    out: dict[str, dict[str, str]] = {}
    header: list[str] | None = None
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells, strict=False))
        if row.get("id"):
            out[row["id"]] = row
    return out


class _Collector:
    """Everything read from the store in a handful of queries, then assembled in Python."""

    def __init__(self, store: Store):
        self.store = store
        self.reports: dict[str, dict[str, Any]] = {}  # graph -> report row
        self.report_by_iri: dict[str, str] = {}  # report IRI -> graph
        self.places: dict[str, dict[str, Any]] = {}  # jurisdiction IRI -> place
        self._read_reports()
        self._read_places()

    # -- reports and places
    def _read_reports(self) -> None:
        for g, r, rid, title, year, url, pub, signed, rep, repname, conf, dept in _select(
            self.store, _Q_REPORTS
        ):
            if not is_report_graph(g) or g in self.reports:
                continue
            self.reports[g] = {
                "graph": g, "iri": r, "id": rid, "title": title, "year": year, "url": url,
                "published": str(pub) if pub is not None else None,
                "signed": str(signed) if signed is not None else None,
                "reporter": rep, "reporter_name": repname, "confidence": conf,
                "department": dept, "candidates": [], "duplicate_of": None,
            }  # fmt: skip
            self.report_by_iri[r] = g
        for g, c in _select(self.store, _Q_CANDIDATES):
            if g in self.reports:
                self.reports[g]["candidates"].append(c)
        for a, b in _select(self.store, _Q_DUPLICATES):
            ga, gb = self.report_by_iri.get(a), self.report_by_iri.get(b)
            if ga and gb and ga != gb:
                self.reports[ga]["duplicate_of"] = self.reports[gb]["id"]

    def _read_places(self) -> None:
        for j, label, code, level, parent, rank in _select(self.store, _Q_GAZ):
            p = self.places.setdefault(
                j,
                {
                    "iri": j,
                    "name": None,
                    "code": None,
                    "level": None,
                    "parent": None,
                    "rank": None,
                    "aliases": [],
                    "former_names": [],
                },  # fmt: skip
            )
            p["name"] = p["name"] or label
            p["code"] = p["code"] or code
            p["level"] = p["level"] or ENUM_VALUE.get(level or "")
            p["parent"] = p["parent"] or parent
            p["rank"] = p["rank"] or rank
        for j, alt in _select(self.store, _Q_GAZ_ALT):
            if j in self.places and alt not in self.places[j]["aliases"]:
                self.places[j]["aliases"].append(alt)
        for j, name, vfrom, vto, code in _select(self.store, _Q_GAZ_FORMER):
            if j in self.places:
                self.places[j]["former_names"].append(
                    {
                        "name": name,
                        "valid_from": str(vfrom) if vfrom else None,
                        "valid_to": str(vto) if vto else None,
                        "code": code,
                    }  # fmt: skip
                )
        # reporters the gazetteer graph does not hold (the nation, data loaded by other means)
        for rep in self.reports.values():
            j = rep["reporter"]
            if j and j not in self.places:
                self.places[j] = {
                    "iri": j, "name": rep["reporter_name"],
                    "code": j[len(JURISDICTION_NS):] if re.fullmatch(r".*/\d{12}", j) else None,
                    "level": "national" if j == NATIONAL_IRI else None, "parent": None,
                    "rank": None, "aliases": [], "former_names": [],
                }  # fmt: skip
        for p in self.places.values():
            p["id"] = _jurisdiction_id(p["iri"], p["name"], p["code"])

    # -- references
    def brief(self, j: str | None) -> dict[str, Any] | None:
        if not j:
            return None
        p = self.places.get(j)
        if p is None:
            return {"id": _tail(j, JURISDICTION_NS), "code": None, "name": None, "level": None}
        return {"id": p["id"], "code": p["code"], "name": p["name"], "level": p["level"]}

    def chain(self, j: str) -> list[dict[str, Any]]:
        """The place and its ancestors, the place first."""
        out = []
        seen = set()
        while j and j in self.places and j not in seen:
            seen.add(j)
            out.append(self.places[j])
            j = self.places[j]["parent"]
        return out

    def jref(self, j: str | None, name: str | None = None) -> dict[str, Any]:
        """A jurisdiction reference: id, code, name, level, parent (brief), path."""
        if not j:
            return {"id": None, "code": None, "name": name, "level": None, "parent": None,
                    "path": [name] if name else []}  # fmt: skip
        b = self.brief(j) or {}
        p = self.places.get(j)
        parent = self.brief(p["parent"]) if p else None
        return {**b, "name": b.get("name") or name, "parent": parent, "path": self.path(j)}

    def path(self, j: str) -> list[str]:
        names = [p["name"] for p in reversed(self.chain(j)) if p["level"] != "national"]
        return [n for n in names if n]

    def province(self, j: str) -> dict[str, Any] | None:
        for p in self.chain(j):
            if p["level"] == "province":
                return self.brief(p["iri"])
        return None

    def reporter_ref(self, rep: dict[str, Any]) -> dict[str, Any]:
        ref = self.jref(rep["reporter"], rep["reporter_name"])
        if rep["reporter"] is None and rep["candidates"]:
            ref["candidates"] = [self.brief(c) for c in rep["candidates"]]
        return ref


def _jurisdiction_id(iri: str, name: str | None, code: str | None) -> str:
    """The id a jurisdiction has in URLs: its 12-digit code, ``CN``, or ``zone:{name}``."""
    if code:
        return code
    if iri == NATIONAL_IRI:
        return "CN"
    if name and jurisdiction_iri(zone_key(name)) == iri:
        return zone_key(name)
    return _tail(iri, JURISDICTION_NS)


def _first(rows: list[dict[str, Any]], pred: Callable[[dict[str, Any]], bool]) -> dict | None:
    for r in rows:
        if pred(r):
            return r
    return None


def _runs(m: dict[str, Any]) -> bool:
    return not m["negated"] and m["section"] not in ("plans", "problems")


def compute(store: Store) -> dict[str, Any]:
    """All summary documents of ``store``: ``{subject IRI: JSON-able value}``."""
    c = _Collector(store)
    reports = c.reports
    canonical = {g for g, r in reports.items() if not r["duplicate_of"]}

    # -- mentions, by kind (canonical and duplicate reports alike; filtered below)
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)  # entity -> mentions
    kinds_by_report: dict[str, Counter] = defaultdict(Counter)
    for g, e, typ, start, end, surface, section, neg, role, inf, stext, sstart in _select(
        store, _Q_MENTIONS
    ):
        kind = _KIND_OF_TYPE.get(typ)
        if kind is None or g not in reports:
            continue
        kinds_by_report[g][kind] += 1
        mentions[e].append({
            "graph": g, "kind": kind, "start": start, "end": end, "surface": surface,
            "section": ENUM_VALUE.get(section or "", "other"), "negated": bool(neg),
            "role": ENUM_VALUE.get(role or "") if role else None, "inferred": bool(inf),
            "sentence": stext, "sentence_start": sstart,
        })  # fmt: skip
    for ms in mentions.values():
        ms.sort(key=lambda m: (m["graph"], m["start"]))

    runs: set[tuple[str, str]] = set()
    issued: set[tuple[str, str]] = set()
    dept_agency: dict[str, str] = {}
    for g, p, e in _select(store, _Q_EDGES):
        if p == FZ.runsProgram:
            runs.add((g, e))
        elif p == FZ.issuedDocument:
            issued.add((g, e))
        elif p == FZ.reportingAgency:
            dept_agency[g] = e

    docs: dict[str, Any] = {}
    search: list[list[Any]] = []

    program_index, by_jur_programs = _programs(c, store, mentions, runs, canonical, docs, search)
    agency_index, by_jur_agencies = _agencies(c, store, mentions, canonical, dept_agency, search)
    document_index, by_jur_docs = _documents(c, store, mentions, issued, canonical, docs, search)
    metric_index, by_jur_obs = _metrics(c, store, mentions, canonical, docs)
    report_index = _reports(c, kinds_by_report)
    jur_index = _jurisdictions(
        c, canonical, by_jur_programs, by_jur_agencies, by_jur_docs, by_jur_obs, docs, search
    )
    docs[index_iri("programs")] = program_index
    docs[index_iri("agencies")] = agency_index
    docs[index_iri("documents")] = document_index
    docs[index_iri("metrics")] = metric_index
    docs[index_iri("reports")] = report_index
    docs[index_iri("jurisdictions")] = jur_index
    docs[index_iri("search")] = search
    return docs


def _row(c: _Collector, g: str, m: dict[str, Any], n: int, **flags: Any) -> dict[str, Any]:
    rep = c.reports[g]
    return {
        "report": rep["id"], "jurisdiction": c.reporter_ref(rep), "department": rep["department"],
        "year": rep["year"], "url": rep["url"], "section": m["section"], "negated": m["negated"],
        **flags, "sentence": m["sentence"], "sentence_start": m["sentence_start"],
        "start": m["start"], "end": m["end"], "surface": m["surface"], "mentions": n,
    }  # fmt: skip


def _row_key(row: dict[str, Any]) -> tuple:
    j = row["jurisdiction"]
    return (j.get("name") or "~", -(row["year"] or 0), row["report"])


def _programs(c, store, mentions, runs, canonical, docs, search):
    info: dict[str, dict[str, Any]] = {}
    for p, label, cand, cat in _select(store, _Q_PROGRAMS):
        d = info.setdefault(p, {"labels": [], "candidate": False, "category": None})
        if label and label not in d["labels"]:
            d["labels"].append(label)
        d["candidate"] = d["candidate"] or bool(cand) or p.startswith(PROGRAM_NS + "candidate/")
        d["category"] = d["category"] or cat
    thes: dict[str, dict[str, Any]] = {}
    for p, pred, o in store.query(SPARQL_PREFIXES + _Q_THESAURUS).tuples():
        d = thes.setdefault(
            p.value, {"pref": None, "en": None, "alt": [], "cat": None, "broader": []}
        )
        if pred.value == SKOS.prefLabel:
            if getattr(o, "language", None) == "en":
                d["en"] = o.value
            else:
                d["pref"] = d["pref"] or o.value
        elif pred.value == SKOS.altLabel:
            d["alt"].append(o.value)
        elif pred.value == FZ.category:
            d["cat"] = o.value
        elif pred.value == SKOS.broader:
            d["broader"].append(o.value)

    index = []
    by_jur: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)  # jurisdiction -> program -> …
    for p in sorted(set(info) | set(thes)):
        t = thes.get(p, {})
        i = info.get(p, {"labels": [], "candidate": False, "category": None})
        label = t.get("pref") or (i["labels"][0] if i["labels"] else _tail(p, PROGRAM_NS))
        pid = _tail(p, PROGRAM_NS)
        candidate = i["candidate"] and p not in thes
        category = t.get("cat") or i["category"]
        aliases = sorted({*t.get("alt", ()), *i["labels"]} - {label})
        by_report: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in mentions.get(p, ()):
            if m["graph"] in canonical:
                by_report[m["graph"]].append(m)
        adopted, plan_only, negated, problems = [], [], [], []
        for g, ms in by_report.items():
            any_neg = any(m["negated"] for m in ms)
            plan = _first(ms, lambda m: not m["negated"] and m["section"] == "plans")
            run = _first(ms, _runs)
            if (g, p) in runs or run is not None:
                ev = run or ms[0]
                adopted.append(_row(c, g, ev, len(ms), plan_only=False, negated_any=any_neg))
            elif plan is not None:
                plan_only.append(_row(c, g, plan, len(ms), plan_only=True, negated_any=any_neg))
            elif any_neg:
                ev = _first(ms, lambda m: m["negated"]) or ms[0]
                negated.append(_row(c, g, ev, len(ms), plan_only=False, negated_any=True))
            else:
                problems.append(_row(c, g, ms[0], len(ms), plan_only=False, negated_any=False))
            # the jurisdiction's view of this program
            rep = c.reports[g]
            j = rep["reporter"]
            if j:
                jp = by_jur[j].setdefault(p, {"id": pid, "label": label, "category": category,
                                              "candidate": candidate, "runs": [], "plans": []})  # fmt: skip
                entry = {"report": rep["id"], "year": rep["year"]}
                if (g, p) in runs or run is not None:
                    ev = run or ms[0]
                    jp["runs"].append({**entry, "section": ev["section"], "sentence": ev["sentence"],
                                       "start": ev["start"], "end": ev["end"]})  # fmt: skip
                elif plan is not None:
                    jp["plans"].append({**entry, "section": "plans", "sentence": plan["sentence"],
                                        "start": plan["start"], "end": plan["end"]})  # fmt: skip
        for lst in (adopted, plan_only, negated, problems):
            lst.sort(key=_row_key)
        adopters = {r["jurisdiction"]["id"] or "report:" + r["report"] for r in adopted}
        counts = {
            "adopters": len(adopters), "reports": len(adopted), "plan_only": len(plan_only),
            "negated": len(negated), "problems_only": len(problems),
            "mentions": sum(len(ms) for ms in by_report.values()),
        }  # fmt: skip
        item = {"id": pid, "iri": p, "label": label, "label_en": t.get("en"), "category": category,
                "candidate": candidate, "adopters": counts["adopters"], "counts": counts}  # fmt: skip
        index.append(item)
        docs[p] = {
            **item, "aliases": aliases,
            "broader": [_tail(b, PROGRAM_NS) for b in t.get("broader", ())],
            "adopted_by": adopted, "plan_only": plan_only, "negated": negated,
            "problems_only": problems,
        }  # fmt: skip
        names = [label, *aliases] + ([t["en"]] if t.get("en") else [])
        extra_py = [pid.removeprefix("candidate/").replace("-", "")]
        search.append(_search_entry("program", pid, label, names, extra_py, category))
    index.sort(key=lambda d: (-d["adopters"], -d["counts"]["mentions"], d["label"]))
    return index, by_jur


def _agencies(c, store, mentions, canonical, dept_agency, search):
    info: dict[str, dict[str, Any]] = {}
    for a, label, typ, j in _select(store, _Q_AGENCIES):
        d = info.setdefault(a, {"labels": [], "type": None, "jurisdiction": None})
        if label and label not in d["labels"]:
            d["labels"].append(label)
        d["type"] = d["type"] or typ
        d["jurisdiction"] = d["jurisdiction"] or j
    index = []
    by_jur: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for a, d in sorted(info.items()):
        aid = _tail(a, AGENCY_NS)
        ms = [m for m in mentions.get(a, ()) if m["graph"] in canonical]
        graphs = {m["graph"] for m in ms} | {g for g, x in dept_agency.items() if x == a}
        graphs &= canonical
        j = d["jurisdiction"]
        item = {"id": aid, "iri": a, "label": d["labels"][0] if d["labels"] else aid, "type": d["type"],
                "jurisdiction": c.brief(j), "mentions": len(ms), "reports": len(graphs)}  # fmt: skip
        index.append(item)
        # the profile of the agency's own jurisdiction, and of every reporter naming it
        holders = {c.reports[g]["reporter"] for g in graphs} | ({j} if j else set())
        for h in holders - {None}:
            by_jur[h][a] = item
        search.append(_search_entry("agency", aid, item["label"], d["labels"], [],
                                    (c.brief(j) or {}).get("id")))  # fmt: skip
    index.sort(key=lambda d: (-d["reports"], -d["mentions"], d["label"]))
    return index, by_jur


def _documents(c, store, mentions, issued, canonical, docs, search):
    info: dict[str, dict[str, Any]] = {}
    for d, title, iname, issuer, kind, year, no in _select(store, _Q_DOCUMENTS):
        x = info.setdefault(d, {"titles": Counter(), "issuer_name": None, "issuer": None,
                                "kind": None, "year": None, "doc_number": None})  # fmt: skip
        x["titles"][title] += 1
        for k, v in (("issuer_name", iname), ("issuer", issuer), ("kind", kind), ("year", year),
                     ("doc_number", no)):  # fmt: skip
            x[k] = x[k] or v
    index = []
    by_jur: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d, x in sorted(info.items()):
        did = _tail(d, DOCUMENT_NS)
        title = x["titles"].most_common(1)[0][0]
        ms = [m for m in mentions.get(d, ()) if m["graph"] in canonical]
        roles = Counter(m["role"] or "cited" for m in ms)
        by_report: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in ms:
            by_report[m["graph"]].append(m)
        issuer = x["issuer"]
        issuer_kind = ("jurisdiction" if issuer and issuer.startswith(JURISDICTION_NS)
                       else "agency" if issuer else None)  # fmt: skip
        issuer_id = (c.brief(issuer) or {}).get("id") if issuer_kind == "jurisdiction" else (
            _tail(issuer, AGENCY_NS) if issuer else None)  # fmt: skip
        reporters = {c.reports[g]["reporter"] or "report:" + c.reports[g]["id"] for g in by_report}
        item = {
            "id": did, "iri": d, "title": title, "issuer": x["issuer_name"], "issuer_id": issuer_id,
            "issuer_kind": issuer_kind, "issuer_inferred": any(m["inferred"] for m in ms),
            "kind": x["kind"], "year": x["year"], "doc_number": x["doc_number"],
            "roles": {"issued": roles.get("issued", 0), "cited": roles.get("cited", 0)},
            "reporters": len(reporters), "reports": len(by_report),
        }  # fmt: skip
        index.append(item)
        mentioned_by = []
        for g, rms in by_report.items():
            rep = c.reports[g]
            mentioned_by.append({
                "report": rep["id"], "jurisdiction": c.reporter_ref(rep), "year": rep["year"],
                "url": rep["url"], "roles": sorted({m["role"] or "cited" for m in rms}),
                "section": rms[0]["section"], "sentence": rms[0]["sentence"],
                "start": rms[0]["start"], "end": rms[0]["end"], "mentions": len(rms),
            })  # fmt: skip
            if (g, d) in issued and rep["reporter"]:
                by_jur[rep["reporter"]].append({**item, "report": rep["id"]})
        if issuer_kind == "jurisdiction" and not any(
            (g, d) in issued and c.reports[g]["reporter"] == issuer for g in by_report
        ):
            by_jur[issuer].append({**item, "report": None})
        mentioned_by.sort(key=_row_key)
        docs[d] = {**item, "titles": sorted(x["titles"]), "mentioned_by": mentioned_by}
        search.append(_search_entry("document", did, title, list(x["titles"]), [],
                                    x["issuer_name"]))  # fmt: skip
    index.sort(key=lambda d: (-d["reporters"], -d["reports"], d["title"]))
    return index, by_jur


def _metrics(c, store, mentions, canonical, docs):
    tsv = _metric_concepts_tsv()
    graph_labels: dict[str, dict[str, str]] = {}  # concept -> {"zh": …, "en": …}
    for c_, label in store.query(SPARQL_PREFIXES + _Q_METRIC_GRAPH).tuples():  # type: ignore[union-attr]
        lang = "en" if getattr(label, "language", None) == "en" else "zh"
        graph_labels.setdefault(c_.value, {}).setdefault(lang, label.value)
    obs_by_concept: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    by_jur: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[str] = set()
    for row in _select(store, _Q_OBSERVATIONS):
        g, o, value, unit, base, bunit, approx, qual, scope, subject, metric, agency, j, year = row
        if g not in canonical or o in seen:
            continue
        seen.add(o)
        ms = mentions.get(o) or [{}]
        m = ms[0]
        rep = c.reports[g]
        jur = j or rep["reporter"]
        obs = {
            "concept": concept_id(metric) if metric else None,
            "jurisdiction": c.jref(jur, rep["reporter_name"] if jur == rep["reporter"] else None),
            "year": year if year is not None else rep["year"], "subject": subject,
            "value": value, "unit": unit, "base_value": base, "base_unit": bunit,
            "approximate": bool(approx), "qualifier": qual,
            "scope": ENUM_VALUE.get(scope or "") if scope else None,
            "agency": _tail(agency, AGENCY_NS) if agency else None,
            "report": rep["id"], "url": rep["url"], "sentence": m.get("sentence"),
            "surface": m.get("surface"), "start": m.get("start"), "end": m.get("end"),
        }  # fmt: skip
        obs_by_concept[metric].append(obs)
        if jur:
            by_jur[jur].append(obs)
    index = []
    for metric, lst in obs_by_concept.items():
        if metric is None:
            continue
        cid = concept_id(metric)
        meta = tsv.get(cid, {})
        gl = graph_labels.get(metric, {})
        lst.sort(key=_obs_key)
        item = {
            "id": cid, "iri": metric, "label": gl.get("zh") or meta.get("label") or cid,
            "label_en": gl.get("en") or meta.get("label_en") or None,
            "unit_kind": meta.get("unit_kind") or None,
            "observations": len(lst),
            "jurisdictions": len({o["jurisdiction"]["id"] or o["report"] for o in lst}),
            "years": sorted({o["year"] for o in lst if o["year"] is not None}),
        }  # fmt: skip
        index.append(item)
        docs[metric] = {**item, "items": lst}
    index.sort(key=lambda d: (-d["observations"], d["id"]))
    return {"concepts": index, "unclassified": len(obs_by_concept.get(None, ()))}, by_jur


def _obs_key(o: dict[str, Any]) -> tuple:
    b = o["base_value"]
    return (b is None, -(b or 0), o["jurisdiction"].get("name") or "~", -(o["year"] or 0))


def _reports(c: _Collector, kinds_by_report) -> list[dict[str, Any]]:
    out = []
    for g, rep in c.reports.items():
        out.append({
            "id": rep["id"], "iri": rep["iri"], "graph": g, "title": rep["title"],
            "jurisdiction": c.reporter_ref(rep),
            "department": rep["department"], "year": rep["year"], "published": rep["published"],
            "signed": rep["signed"], "url": rep["url"], "duplicate_of": rep["duplicate_of"],
            "reporter_confidence": rep["confidence"],
            "facts": {k: kinds_by_report[g].get(k, 0)
                      for k in ("program", "agency", "document", "metric")},
        })  # fmt: skip
    out.sort(key=lambda r: r["id"])
    return out


def _jurisdictions(c, canonical, by_programs, by_agencies, by_docs, by_obs, docs, search):
    reports_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rep in c.reports.values():
        if rep["reporter"]:
            reports_of[rep["reporter"]].append({
                "id": rep["id"], "title": rep["title"], "year": rep["year"], "url": rep["url"],
                "department": rep["department"], "duplicate_of": rep["duplicate_of"],
            })  # fmt: skip
    children: dict[str, list[str]] = defaultdict(list)
    for j, p in c.places.items():
        if p["parent"]:
            children[p["parent"]].append(j)
    index = []
    former_codes: dict[str, str] = {}
    try:
        from kg.gazetteer import load as load_gazetteer

        gaz = load_gazetteer()
    except Exception:  # pragma: no cover - gazetteer data missing
        gaz = None
    for j, p in sorted(
        c.places.items(), key=lambda kv: (kv[1]["code"] or "~", kv[1]["name"] or "")
    ):
        rs = sorted(reports_of.get(j, ()), key=lambda r: (-(r["year"] or 0), r["id"]))
        progs = by_programs.get(j, {})
        run = [_prog_entry(x, "runs") for x in progs.values() if x["runs"]]
        plan_only = [
            _prog_entry(x, "plans") for x in progs.values() if not x["runs"] and x["plans"]
        ]
        run.sort(key=lambda x: (x["candidate"], x["label"]))
        plan_only.sort(key=lambda x: (x["candidate"], x["label"]))
        agencies = sorted(by_agencies.get(j, {}).values(),
                          key=lambda a: (-a["mentions"], a["label"]))  # fmt: skip
        documents = sorted(by_docs.get(j, ()), key=lambda d: (-(d["year"] or 0), d["title"]))
        years: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for o in by_obs.get(j, ()):
            years[o["year"]].append(o)
        metrics_by_year = [
            {"year": y, "observations": sorted(obs, key=_obs_key)}
            for y, obs in sorted(years.items(), key=lambda kv: -(kv[0] or 0))
        ]
        province = c.province(j)
        item = {
            "id": p["id"], "iri": j, "code": p["code"], "name": p["name"], "level": p["level"],
            "parent": c.brief(p["parent"]), "province": province, "path": c.path(j),
            "aliases": p["aliases"], "report_count": sum(1 for r in rs if not r["duplicate_of"]),
            "program_count": len(run),
        }  # fmt: skip
        index.append(item)
        for f in p["former_names"]:
            if f.get("code"):
                former_codes[f["code"]] = p["id"]
        docs[j] = {
            **item, "rank": p["rank"], "former_names": p["former_names"],
            "children": sorted((c.brief(x) for x in children.get(j, ())),
                               key=lambda b: (b["code"] or "~", b["name"] or "")),
            "reports": rs, "programs": run, "plan_only_programs": plan_only,
            "agencies": agencies, "documents_issued": documents,
            "metrics_by_year": metrics_by_year,
        }  # fmt: skip
        stem: tuple[str, ...] = ()
        if gaz is not None:
            try:
                stem = gaz.pinyin_keys(p["id"])
            except Exception:  # a place the gazetteer does not know (the nation …)
                stem = ()
        names = [p["name"] or p["id"], *p["aliases"], *(f["name"] for f in p["former_names"])]
        search.append(_search_entry("jurisdiction", p["id"], p["name"] or p["id"], names,
                                    stem[:1], p["level"], stem[1:2]))  # fmt: skip
    return {"items": index, "former_codes": former_codes}


def _prog_entry(x: dict[str, Any], key: str) -> dict[str, Any]:
    ev = sorted(x[key], key=lambda e: (-(e["year"] or 0), e["report"]))
    return {
        "id": x["id"], "label": x["label"], "category": x["category"], "candidate": x["candidate"],
        "years": sorted({e["year"] for e in ev if e["year"] is not None}),
        "reports": sorted({e["report"] for e in ev}), "evidence": ev[0],
    }  # fmt: skip


def _search_entry(
    kind: str,
    id_: str,
    label: str,
    names: list[str],
    extra_pinyin: Iterable[str],
    note: Any,
    extra_initials: Iterable[str] = (),
) -> list[Any]:
    """``[kind, id, label, [name keys], [full pinyin], [initials], note]`` (compact on disk)."""
    keys: list[str] = []
    full: list[str] = []
    init: list[str] = []
    for n in names:
        if not n:
            continue
        k = name_key(n)
        if k and k not in keys:
            keys.append(k)
        py = pinyin_keys(n)
        if py:
            if py[0] not in full:
                full.append(py[0])
            if py[1] not in init:
                init.append(py[1])
    for extra, out in ((extra_pinyin, full), (extra_initials, init)):
        for x in extra:
            x = re.sub(r"[^a-z0-9]", "", (x or "").lower())
            if x and x not in out:
                out.append(x)
    return [kind, id_, label, keys, full, init, note]


# ---------------------------------------------------------------------------------------------
# storing


def summary_quads(docs: dict[str, Any], stamp: str) -> Iterator[Quad]:
    """The quads of the summaries graph for ``docs`` (see module docstring)."""
    g = nn(GRAPH_SUMMARIES)
    p = nn(SUMMARY)
    dt = nn(RDF_JSON)
    yield Quad(g, nn(FZ.version), Literal(stamp), g)
    for subject, value in docs.items():
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
        yield Quad(nn(subject), p, Literal(text, datatype=dt), g)


def refresh_summaries(store: Store, *, force: bool = False) -> bool:
    """Recompute and store the summaries if anything they depend on changed; True if written."""
    stamp = input_signature(store)
    if not force and stored_stamp(store) == stamp:
        return False
    docs = compute(store)
    store.replace_graph(GRAPH_SUMMARIES, summary_quads(docs, stamp))
    _CACHE.clear()
    return True


# ---------------------------------------------------------------------------------------------
# reading (request time)


class _Cache:
    """Parsed summary documents keyed by (stamp, subject), thread-safe, LRU-bounded by the
    size of their JSON text (``budget`` characters, about 6 bytes of Python objects each)."""

    def __init__(self, budget: int = 24_000_000, maxsize: int = 8192):
        self.budget = budget
        self.maxsize = maxsize
        self.used = 0
        self.lock = threading.Lock()
        self.docs: OrderedDict[tuple[str, str], tuple[Any, int]] = OrderedDict()
        self.prepared: dict[tuple[str, str], Any] = {}

    def get(self, key: tuple[str, str]) -> Any:
        with self.lock:
            hit = self.docs.get(key)
            if hit is None:
                return _MISSING
            self.docs.move_to_end(key)
            return hit[0]

    def put(self, key: tuple[str, str], value: Any, size: int) -> None:
        with self.lock:
            old = self.docs.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self.docs[key] = (value, size)
            self.used += size
            while self.docs and (self.used > self.budget or len(self.docs) > self.maxsize):
                if len(self.docs) == 1:  # one document larger than the budget: keep it alone
                    break
                _k, (_v, n) = self.docs.popitem(last=False)
                self.used -= n

    def clear(self) -> None:
        with self.lock:
            self.docs.clear()
            self.prepared.clear()
            self.used = 0


_MISSING = object()
_CACHE = _Cache()
_LIVE: weakref.WeakKeyDictionary[Store, dict[str, Any]] = weakref.WeakKeyDictionary()
_LIVE_LOCK = threading.Lock()
_LIVE_CHECK_SECONDS = 2.0


class SummaryView:
    """The summaries of one store state (one stamp): documents by subject and indexes by name.

    ``live`` holds documents computed in memory for a store that has no summaries graph.
    """

    def __init__(self, store: Store, stamp: str, live: dict[str, Any] | None = None):
        self.store = store
        self.stamp = stamp
        self.live = live

    def doc(self, subject: str) -> Any:
        """The document about ``subject`` (an IRI), or None."""
        if self.live is not None:
            return self.live.get(subject)
        key = (self.stamp, subject)
        v = _CACHE.get(key)
        if v is not _MISSING:
            return v
        v, size = None, 64
        for q in self.store.quads(nn(subject), nn(SUMMARY), None, GRAPH_SUMMARIES):
            text = q.object.value
            v, size = json.loads(text), len(text)
            break
        _CACHE.put(key, v, size)
        return v

    def index(self, name: str) -> Any:
        """An index document (one of :data:`INDEXES`)."""
        return self.doc(index_iri(name))

    def memo(self, key: str, make: Callable[[], Any], size: Callable[[Any], int]) -> Any:
        """``make()`` once per stamp and ``key`` (LRU-bounded; ``size(value)`` estimates its
        JSON size): for values derived from one state of the store, such as a report's facts
        read from its graph."""
        ck = (self.stamp, "memo:" + key)
        v = _CACHE.get(ck)
        if v is _MISSING:
            v = make()
            _CACHE.put(ck, v, size(v))
        return v

    def prepared(self, name: str, make: Callable[[SummaryView], Any]) -> Any:
        """A structure derived from the summaries (a lookup table …), built once per stamp."""
        key = (self.stamp, name)
        with _CACHE.lock:
            v = _CACHE.prepared.get(key, _MISSING)
        if v is not _MISSING:
            return v
        v = make(self)
        with _CACHE.lock:
            stale = [k for k in _CACHE.prepared if k[0] != self.stamp]
            for k in stale:
                del _CACHE.prepared[k]
            _CACHE.prepared[key] = v
        return v


def view(store: Store) -> SummaryView:
    """The summaries of ``store`` as they are now (stored ones; else computed in memory once
    per input state, checked at most every 2 s)."""
    stamp = stored_stamp(store)
    if stamp is not None:
        return SummaryView(store, stamp)
    with _LIVE_LOCK:
        live = _LIVE.get(store)
        now = time.monotonic()
        if live is None or now - live["checked"] >= _LIVE_CHECK_SECONDS:
            sig = input_signature(store)
            if live is None or live["stamp"] != "live:" + sig:
                live = {"stamp": "live:" + sig, "docs": compute(store), "checked": now}
                _LIVE[store] = live
            live["checked"] = now
        return SummaryView(store, live["stamp"], live["docs"])
