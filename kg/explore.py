"""The graph explorer's library: typed neighbours of one node, and label suggestions.

:func:`neighbours` answers "what is connected to this node?" for the explorer page
(``/graph/nodes/{id}/neighbours``) as typed nodes and edges, every fact edge carrying the
evidence behind it (the sentence, its section, the report id and the report's source URL):

>>> from kg.store import OxigraphStore
>>> try:
...     neighbours(OxigraphStore(None), "210881")
... except UnknownNode as err:
...     print(err)
no node 210881 in the graph
>>> sorted(parse_kinds("program, agency"))
['agency', 'program']

Node kinds (:data:`NODE_KINDS`): ``jurisdiction``, ``agency``, ``program``, ``document``,
``metric`` (a metric observation: one figure of one report), ``report`` and ``sentence``.

Edges (``source -> target``, :data:`EDGE_KINDS`):

- fact edges, one per (actor, entity, report), from the mentions of a report. The actor is the
  report's reporter (a jurisdiction), or the report itself when the reporter is undetermined or
  when the centre is a report: ``runs`` (a program mentioned, not negated, outside the plans and
  problems sections — the same rule as ``fz:runsProgram``), ``plans`` (a program mentioned only
  in plans/problems or negated, at least once in plans), ``mentions`` (any other program
  mention, and agencies), ``issued`` / ``cites`` (a document with the role issued in that
  report, or only cited), ``observed`` (a metric observation). ``year`` is the report's year;
  ``evidence`` the first mention that supports the kind. Near-duplicate reports (mirrors) are
  left out: their canonical report says the same.
- structural edges, from the links of the graph: ``reporter`` (report -> jurisdiction, with the
  report's year), ``reporter_candidate`` (report -> a namesake it may be), ``reporting_agency``
  (a department's report -> the department), ``within`` (jurisdiction -> parent),
  ``of_jurisdiction`` (agency -> jurisdiction), ``issuer`` (document -> its issuer, left out
  when a fact edge already joins the two), ``broader`` (program -> broader program),
  ``duplicate_of`` (report -> canonical report), ``agency`` (observation -> the agency the
  figure belongs to). Structural edges have no evidence and, except reporter edges, no year.
- sentence edges, only when ``kinds`` names ``sentence`` (or the centre is a sentence):
  ``mentions`` (sentence -> entity) and ``in_report`` (sentence -> report).

Filters: ``kinds`` keeps neighbours of those kinds (default: every kind but ``sentence``);
``year`` keeps edges of that year (edges without a year stay). The cap: at most ``cap``
neighbours PER KIND, the most connected first; ``truncated`` says how many were left out per
kind and ``counts`` how many there were.

Node references (:func:`resolve_node`): a full IRI; ``fzid:…``; ``{kind}/{local}`` under the id
namespace (``program/fa-lv-ming-bai-ren``); a 6-, 9- or 12-digit division code; ``CN``; a zone
key (``zone:济宁太白湖新区``); a program's thesaurus id (``fa-lv-ming-bai-ren``); the local part
of an agency's or document's IRI (``盖州市人民法院-3812007d650e81bb``, the ids of ``/search``);
a report id (``000_4ee9ce8ba8ed3195.txt``); an exact label (``盖州市``, ``法律明白人``, an agency's name, a document's title) when exactly one
node carries it — several raise :class:`AmbiguousNode`.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from kg.iri import NATIONAL_IRI, NATIONAL_NAMES, code12, jurisdiction_iri
from kg.store import Store, bind_values, python_value, term_to_sparql
from kg.vocab import DCTERMS, ENUM_VALUE, FZ, ID_NS, RDF, RDFS, SKOS

__all__ = [
    "DEFAULT_KINDS",
    "EDGE_KINDS",
    "NODE_KINDS",
    "AmbiguousNode",
    "UnknownNode",
    "neighbours",
    "node_info",
    "parse_kinds",
    "resolve_node",
    "suggest",
]

NODE_KINDS = ("jurisdiction", "agency", "program", "document", "metric", "report", "sentence")
DEFAULT_KINDS = frozenset(NODE_KINDS) - {"sentence"}
EDGE_KINDS = (
    "runs",
    "plans",
    "mentions",
    "issued",
    "cites",
    "observed",
    "reporter",
    "reporter_candidate",
    "reporting_agency",
    "within",
    "of_jurisdiction",
    "issuer",
    "broader",
    "duplicate_of",
    "agency",
    "in_report",
)

_KIND_OF_TYPE = {
    FZ.Jurisdiction: "jurisdiction",
    FZ.Agency: "agency",
    FZ.Program: "program",
    FZ.Document: "document",
    FZ.MetricObservation: "metric",
    FZ.Report: "report",
    FZ.Sentence: "sentence",
}
_ENTITY_KIND = {FZ.Program: "program", FZ.Agency: "agency", FZ.Document: "document",
                FZ.MetricObservation: "metric"}  # fmt: skip
_STRUCTURAL = {
    FZ.reporter: "reporter",
    FZ.reporterCandidate: "reporter_candidate",
    FZ.reportingAgency: "reporting_agency",
    FZ.within: "within",
    FZ.ofJurisdiction: "of_jurisdiction",
    FZ.issuer: "issuer",
    SKOS.broader: "broader",
    FZ.duplicateOf: "duplicate_of",
    FZ.agency: "agency",
}
# structural edge kind -> (kind of the source, kind of the target); None: look it up
_STRUCTURAL_ENDS: dict[str, tuple[str | None, str | None]] = {
    "reporter": ("report", "jurisdiction"),
    "reporter_candidate": ("report", "jurisdiction"),
    "reporting_agency": ("report", "agency"),
    "within": ("jurisdiction", "jurisdiction"),
    "of_jurisdiction": ("agency", "jurisdiction"),
    "issuer": ("document", None),
    "broader": ("program", "program"),
    "duplicate_of": ("report", "report"),
    "agency": ("metric", "agency"),
}
_DATED_STRUCTURAL = frozenset({"reporter", "reporter_candidate", "reporting_agency",
                               "duplicate_of", "agency"})  # fmt: skip
_LABEL_PROPS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, FZ.reportId)
_SENTENCE_LABEL = 60


class UnknownNode(LookupError):
    """No explorable node answers to the reference."""


class AmbiguousNode(LookupError):
    """A label names several nodes; ``candidates`` lists them (node dicts)."""

    def __init__(self, ref: str, candidates: list[dict[str, Any]]):
        self.ref = ref
        self.candidates = candidates
        names = ", ".join(f"{c['label']} ({c['kind']}: {c['id']})" for c in candidates[:10])
        super().__init__(f"{ref!r} names {len(candidates)} nodes: {names}")


def _iri_list(iris: Iterable[str]) -> str:
    return " ".join(term_to_sparql(NamedNode(i)) for i in iris)


def _rows(store: Store, sparql: str, **kwargs: Any) -> list[tuple[Any, ...]]:
    """All solutions of a SELECT as tuples, materialised here.

    pyoxigraph's result iterators must be dropped on the thread that made them: a live one
    caught in a traceback (an exception raised while a handler runs in a worker thread) would
    be dropped on the event loop's thread. Materialising inside this helper frees them at once.
    """
    return list(store.select(sparql, **kwargs).tuples())


def parse_kinds(text: str | Iterable[str] | None) -> frozenset[str] | None:
    """``"program,agency"`` -> the set of node kinds; None for no filter; ValueError if unknown."""
    if text is None:
        return None
    parts = text.split(",") if isinstance(text, str) else list(text)
    kinds = frozenset(p.strip().lower() for p in parts if p.strip())
    if not kinds:
        return None
    bad = sorted(kinds - set(NODE_KINDS))
    if bad:
        raise ValueError(f"unknown kind(s) {', '.join(bad)}; known: {', '.join(NODE_KINDS)}")
    return kinds


# ---------------------------------------------------------------------------------------------
# node descriptions

_NODE_PROPS = (
    RDF.type,
    RDFS.label,
    SKOS.prefLabel,
    SKOS.inScheme,
    DCTERMS.title,
    FZ.subject,
    FZ.value,
    FZ.unit,
    FZ.year,
    FZ.reporterName,
    FZ.department,
    FZ.reportId,
    FZ.url,
    FZ.text,
    FZ.code,
    FZ.level,
    FZ.category,
    FZ.candidate,
    FZ.docKind,
    FZ.issuerName,
    FZ.agencyType,
    FZ.qualifier,
    FZ.scope,
    FZ.approximate,
    FZ.section,
)
_NODE_QUERY = """
SELECT DISTINCT ?n ?p ?v WHERE {
  VALUES ?n { %s }
  ?n ?p ?v .
  FILTER(?p IN (%s))
}
"""
_REPORTER_NAME_QUERY = """
SELECT DISTINCT ?n ?v WHERE { VALUES ?n { %s } ?r <%s> ?n ; <%s> ?v . }
"""


def _kind_of(types: Iterable[str], schemes: Iterable[str]) -> str | None:
    for t in types:
        k = _KIND_OF_TYPE.get(t)
        if k:
            return k
    if FZ.programScheme in schemes:
        return "program"
    return None


def _pick(values: list[Any]) -> Any:
    """A plain literal before a language-tagged one (``"x"`` before ``"x"@zh`` before ``@en``)."""
    best = None
    rank = 9
    for v in values:
        if isinstance(v, Literal):
            lang = v.language or ""
            r = 0 if not lang else 1 if lang.startswith("zh") else 2
        else:
            r = 3
        if r < rank:
            best, rank = v, r
    return best


def _short(text: str, n: int = _SENTENCE_LABEL) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _num(v: Any) -> str:
    x = python_value(v)
    return str(x)


def node_info(store: Store, iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{iri: {id, kind, label, year, attrs}}`` for explorable nodes among ``iris``."""
    iris = list(dict.fromkeys(iris))
    if not iris:
        return {}
    bags: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    props = ", ".join(term_to_sparql(NamedNode(p)) for p in _NODE_PROPS)
    for i in range(0, len(iris), 400):
        chunk = iris[i : i + 400]
        q = _NODE_QUERY % (_iri_list(chunk), props)
        for n, p, v in _rows(store, q):
            bags[n.value][p.value].append(v)
        q = _REPORTER_NAME_QUERY % (_iri_list(chunk), FZ.reporter, FZ.reporterName)
        for n, v in _rows(store, q):
            bags[n.value]["reporterNameOf"].append(v)
            bags[n.value].setdefault(RDF.type, [])
    out: dict[str, dict[str, Any]] = {}
    for iri in iris:
        bag = bags.get(iri)
        if bag is None:
            continue
        kind = _kind_of(
            (t.value for t in bag.get(RDF.type, ()) if isinstance(t, NamedNode)),
            {s.value for s in bag.get(SKOS.inScheme, ()) if isinstance(s, NamedNode)},
        )
        if kind is None and bag.get("reporterNameOf"):
            kind = "jurisdiction"
        if kind is None:
            continue
        out[iri] = _describe(iri, kind, bag)
    return out


def _val(bag: dict[str, list[Any]], prop: str) -> Any:
    v = _pick(bag.get(prop, []))
    return python_value(v) if v is not None else None


def _describe(iri: str, kind: str, bag: dict[str, list[Any]]) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    year = _val(bag, FZ.year)
    label: str | None = None
    if kind == "jurisdiction":
        label = _val(bag, RDFS.label) or _val(bag, "reporterNameOf")
        attrs["code"] = _val(bag, FZ.code)
        lv = _val(bag, FZ.level)
        attrs["level"] = ENUM_VALUE.get(lv, lv) if lv else None
        year = None
    elif kind == "agency":
        label = _val(bag, RDFS.label)
        attrs["agency_type"] = _val(bag, FZ.agencyType)
    elif kind == "program":
        label = _val(bag, SKOS.prefLabel)
        attrs["category"] = _val(bag, FZ.category)
        attrs["candidate"] = bool(_val(bag, FZ.candidate))
        year = None
    elif kind == "document":
        label = _val(bag, DCTERMS.title)
        attrs["issuer"] = _val(bag, FZ.issuerName)
        attrs["doc_kind"] = _val(bag, FZ.docKind)
    elif kind == "metric":
        subject = _val(bag, FZ.subject) or ""
        value = _pick(bag.get(FZ.value, []))
        unit = _val(bag, FZ.unit) or ""
        approx = bool(_val(bag, FZ.approximate))
        num = _num(value) if value is not None else ""
        label = f"{subject} {num}{unit}{'（约）' if approx else ''}".strip()
        attrs.update(
            subject=subject or None,
            value=python_value(value) if value is not None else None,
            unit=unit or None,
            approximate=approx,
            qualifier=_val(bag, FZ.qualifier),
        )
        sc = _val(bag, FZ.scope)
        attrs["scope"] = ENUM_VALUE.get(sc, sc) if sc else None
    elif kind == "report":
        who = _val(bag, FZ.department) or _val(bag, FZ.reporterName)
        rid = _val(bag, FZ.reportId)
        label = f"{who or rid} {year}年报告" if year else f"{who or rid} 报告"
        attrs.update(report_id=rid, title=_val(bag, DCTERMS.title), url=_val(bag, FZ.url))
    elif kind == "sentence":
        text = _val(bag, FZ.text) or ""
        label = _short(text)
        sec = _val(bag, FZ.section)
        attrs.update(text=text, section=ENUM_VALUE.get(sec, sec) if sec else None)
        year = None
    return {
        "id": iri,
        "kind": kind,
        "label": label or iri.rsplit("/", 1)[-1],
        "year": year if isinstance(year, int) else None,
        "attrs": {k: v for k, v in attrs.items() if v is not None},
    }


# ---------------------------------------------------------------------------------------------
# resolving a reference

_ID_KINDS = ("jurisdiction", "agency", "program", "document", "report", "metric")
_EXISTS_QUERY = "SELECT DISTINCT ?n WHERE { { ?n ?p ?o } UNION { ?s ?p ?n } } LIMIT 1"
_REPORT_ID_QUERY = f"SELECT DISTINCT ?r WHERE {{ ?r <{FZ.reportId}> ?rid }}"
_LABEL_QUERY = f"""
SELECT DISTINCT ?n WHERE {{
  VALUES ?p {{ {_iri_list(_LABEL_PROPS)} }}
  ?n ?p ?l .
  FILTER(STR(?l) = ?ref)
}} LIMIT 50
"""


def _exists(store: Store, iri: str) -> bool:
    try:
        node = NamedNode(iri)
    except ValueError:
        return False
    return bool(_rows(store, _EXISTS_QUERY, substitutions={"n": node}))


def resolve_node(store: Store, ref: str) -> dict[str, Any]:
    """The node ``ref`` names (see the module docstring), as a node dict; raises UnknownNode."""
    ref = (ref or "").strip()
    if not ref:
        raise UnknownNode("empty node reference")
    candidates: list[str] = []
    if ref.startswith(("http://", "https://")):
        candidates.append(ref)
    elif ref.startswith("fzid:"):
        candidates.append(ID_NS + ref[5:])
    else:
        if code12(ref) or ref.startswith("zone:"):
            candidates.append(jurisdiction_iri(ref))
        if ref in NATIONAL_NAMES:
            candidates.append(NATIONAL_IRI)
        head = ref.split("/", 1)[0]
        if "/" in ref and head in _ID_KINDS:
            candidates.append(ID_NS + ref)
        elif re.search(r"-[0-9a-f]{16}\Z", ref):  # the local part of a minted IRI
            candidates.extend(ID_NS + k + "/" + ref for k in ("agency", "document", "program"))
        if re.fullmatch(r"[a-z0-9][a-z0-9-]*", ref):
            candidates.append(ID_NS + "program/" + ref)
    for iri in candidates:
        if _exists(store, iri):
            info = node_info(store, [iri]).get(iri)
            if info is not None:
                return info
    if ref.startswith(("http://", "https://", "fzid:")):
        raise UnknownNode(f"no node {ref} in the graph")
    found = [r[0].value for r in _rows(store, bind_values(_REPORT_ID_QUERY, {"rid": Literal(ref)}))]
    if not found:
        found = [r[0].value for r in _rows(store, bind_values(_LABEL_QUERY, {"ref": Literal(ref)}))]
    infos = list(node_info(store, found).values())
    if not infos:
        raise UnknownNode(f"no node {ref} in the graph")
    if len(infos) > 1:
        # a jurisdiction and the reports it made share a name: the jurisdiction wins
        juris = [i for i in infos if i["kind"] == "jurisdiction"]
        if len(juris) == 1:
            return juris[0]
        infos.sort(key=lambda i: (NODE_KINDS.index(i["kind"]), i["id"]))
        raise AmbiguousNode(ref, infos)
    return infos[0]


# ---------------------------------------------------------------------------------------------
# neighbours

# one row per mention; the anchor (?e, ?j, ?r or ?s) is bound by a substitution in a MANDATORY
# pattern (a pre-bound variable inside OPTIONAL would match every row).
_FACTS_QUERY = """
SELECT DISTINCT ?m ?e ?etype ?r ?j ?s ?start ?surface ?section ?negated ?role ?text ?rid ?year ?url
WHERE {
  ?m <%(mentionOf)s> ?e ; <%(sentence)s> ?s ; <%(start)s> ?start .
  ?s <%(report)s> ?r ; <%(text)s> ?text .
  ?r <%(reportId)s> ?rid .
  %(reporter)s
  ?e a ?etype .
  FILTER(?etype IN (<%(Program)s>, <%(Agency)s>, <%(Document)s>, <%(MetricObservation)s>))
  FILTER NOT EXISTS { ?r <%(duplicateOf)s> ?canonical }
  OPTIONAL { ?m <%(surface)s> ?surface }
  OPTIONAL { ?m <%(section)s> ?section }
  OPTIONAL { ?m <%(negated)s> ?negated }
  OPTIONAL { ?m <%(role)s> ?role }
  OPTIONAL { ?r <%(year)s> ?year }
  OPTIONAL { ?r <%(url)s> ?url }
}
"""
_FACT_TERMS = {
    k: getattr(FZ, k)
    for k in (
        "mentionOf",
        "sentence",
        "start",
        "report",
        "text",
        "reportId",
        "Program",
        "Agency",
        "Document",
        "MetricObservation",
        "duplicateOf",
        "surface",
        "section",
        "negated",
        "role",
        "year",
        "url",
    )  # fmt: skip
}


def _facts_query(reporter_mandatory: bool) -> str:
    reporter = (
        f"?r <{FZ.reporter}> ?j ."
        if reporter_mandatory
        else f"OPTIONAL {{ ?r <{FZ.reporter}> ?j }}"
    )
    return _FACTS_QUERY % {**_FACT_TERMS, "reporter": reporter}


_OUT_QUERY = f"""
SELECT DISTINCT ?a ?p ?b ?year WHERE {{
  VALUES ?p {{ {_iri_list(_STRUCTURAL)} }}
  ?a ?p ?b .
  OPTIONAL {{ ?a <{FZ.year}> ?year }}
}}
"""


@dataclass
class _Mention:
    iri: str
    start: int
    surface: str | None
    section: str | None
    negated: bool
    role: str | None
    sentence_iri: str
    sentence: str


@dataclass
class _Group:
    """The mentions of one entity in one report, seen from one actor."""

    source: str
    target: str
    entity_kind: str
    report: str
    rid: str
    year: int | None
    url: str | None
    mentions: dict[str, _Mention] = field(default_factory=dict)


def _edge_id(kind: str, source: str, target: str, report: str | None) -> str:
    key = "\x1f".join((kind, source, target, report or ""))
    return "e-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def _fact_kind(entity_kind: str, mentions: list[_Mention]) -> tuple[str, _Mention]:
    ordered = sorted(mentions, key=lambda m: (m.start, m.iri))
    if entity_kind == "program":
        runs = [m for m in ordered if not m.negated and m.section not in ("plans", "problems")]
        if runs:
            return "runs", runs[0]
        plans = [m for m in ordered if m.section == "plans"]
        if plans:
            return "plans", plans[0]
        return "mentions", ordered[0]
    if entity_kind == "document":
        issued = [m for m in ordered if m.role == "issued"]
        if issued:
            return "issued", issued[0]
        return "cites", ordered[0]
    if entity_kind == "metric":
        return "observed", ordered[0]
    return "mentions", ordered[0]


def _evidence(m: _Mention, rid: str, url: str | None) -> dict[str, Any]:
    return {
        "sentence": m.sentence,
        "sentence_id": m.sentence_iri,
        "section": m.section,
        "surface": m.surface,
        "negated": m.negated,
        "report": rid,
        "url": url,
    }


def _fact_rows(store: Store, anchor: str, iri: str) -> list[dict[str, Any]]:
    q = _facts_query(reporter_mandatory=(anchor == "j"))
    res = store.select(q, substitutions={anchor: NamedNode(iri)})
    names = list(res.variables)
    rows = [dict(zip(names, t, strict=False)) for t in res.tuples()]
    del res
    return rows


def _structural(store: Store, iri: str) -> list[tuple[str, str, str, int | None]]:
    """(kind, source, target, year) of the structural links touching ``iri``."""
    out: set[tuple[str, str, str, int | None]] = set()
    node = NamedNode(iri)
    for var in ("a", "b"):
        for a, p, b, year in _rows(store, _OUT_QUERY, substitutions={var: node}):
            if not isinstance(b, NamedNode) or not isinstance(a, NamedNode):
                continue
            kind = _STRUCTURAL[p.value]
            y = python_value(year) if kind in _DATED_STRUCTURAL and year is not None else None
            out.add((kind, a.value, b.value, y if isinstance(y, int) else None))
    return sorted(out, key=lambda t: (t[0], t[1], t[2], t[3] or 0))


def neighbours(
    store: Store,
    ref: str,
    *,
    kinds: Iterable[str] | str | None = None,
    year: int | None = None,
    cap: int = 50,
) -> dict[str, Any]:
    """The neighbours of the node ``ref`` names: ``{node, nodes, edges, truncated, counts}``.

    ``nodes`` starts with the centre node; each edge is ``{id, source, target, kind, year,
    evidence, count}`` (``count``: the mentions behind a fact edge). See the module docstring.
    """
    wanted = parse_kinds(kinds) if kinds is not None else None
    wanted = wanted if wanted is not None else DEFAULT_KINDS
    if cap < 1:
        raise ValueError("cap must be at least 1")
    centre = resolve_node(store, ref)
    iri, ckind = centre["id"], centre["kind"]

    edges: dict[str, dict[str, Any]] = {}
    # the other end of each edge -> its kind, when the edge tells (None: ask the store)
    hint: dict[str, str | None] = {}

    def add_edge(kind: str, source: str, target: str, yr: int | None, evidence=None,
                 report: str | None = None, count: int | None = None,
                 other_kind: str | None = None) -> None:  # fmt: skip
        eid = _edge_id(kind, source, target, report)
        if eid in edges:
            return
        edges[eid] = {
            "id": eid,
            "source": source,
            "target": target,
            "kind": kind,
            "year": yr,
            "evidence": evidence,
            "count": count,
        }
        other = target if source == iri else source
        if hint.get(other) is None:
            hint[other] = other_kind

    # -- fact edges
    anchor = {"jurisdiction": "j", "report": "r", "sentence": "s"}.get(ckind, "e")
    want_sentences = "sentence" in wanted
    groups: dict[tuple[str, str, str], _Group] = {}
    sentence_edges: dict[tuple[str, str], tuple[_Mention, str, str | None, int | None, str]] = {}
    for row in _fact_rows(store, anchor, iri):
        e = row["e"].value
        ekind = _ENTITY_KIND[row["etype"].value]
        r = row["r"].value
        j = row["j"].value if row.get("j") is not None else None
        sec = row.get("section")
        role = row.get("role")
        m = _Mention(
            iri=row["m"].value,
            start=int(python_value(row["start"])),
            surface=row["surface"].value if row.get("surface") is not None else None,
            section=ENUM_VALUE.get(sec.value, sec.value) if sec is not None else None,
            negated=bool(python_value(row.get("negated"))),
            role=ENUM_VALUE.get(role.value, role.value) if role is not None else None,
            sentence_iri=row["s"].value,
            sentence=row["text"].value,
        )
        yr = python_value(row.get("year"))
        yr = yr if isinstance(yr, int) else None
        url = python_value(row.get("url"))
        rid = row["rid"].value
        if ckind == "sentence":
            sentence_edges.setdefault((m.sentence_iri, e), (m, rid, url, yr, ekind))
            continue
        if ckind == "report":
            source = r
        elif ckind == "jurisdiction":
            source = iri
        else:
            source = j or r
        key = (source, e, r)
        g = groups.get(key)
        if g is None:
            g = groups[key] = _Group(source, e, ekind, r, rid, yr, url)
        g.mentions[m.iri] = m
        if want_sentences and ckind != "jurisdiction":
            sentence_edges.setdefault((m.sentence_iri, e), (m, rid, url, yr, ekind))

    for g in groups.values():
        kind, m = _fact_kind(g.entity_kind, list(g.mentions.values()))
        if ckind in ("jurisdiction", "report"):
            okind = g.entity_kind
        else:
            okind = "report" if g.source == g.report else "jurisdiction"
        add_edge(kind, g.source, g.target, g.year, _evidence(m, g.rid, g.url), g.report,
                 len(g.mentions), okind)  # fmt: skip

    # -- sentence edges
    for (s_iri, e), (m, rid, url, yr, ekind) in sentence_edges.items():
        ev = _evidence(m, rid, url)
        if ckind == "sentence":
            add_edge("mentions", s_iri, e, yr, ev, other_kind=ekind)
        elif ckind == "report":
            add_edge("in_report", s_iri, iri, yr, ev, other_kind="sentence")
        else:
            add_edge("mentions", s_iri, iri, yr, ev, other_kind="sentence")
    if ckind == "sentence":
        q = f"SELECT ?s ?r WHERE {{ ?s <{FZ.report}> ?r }}"
        for _s, r in _rows(store, q, substitutions={"s": NamedNode(iri)}):
            add_edge("in_report", iri, r.value, None, other_kind="report")

    # -- structural edges
    pairs = {frozenset((e["source"], e["target"])) for e in edges.values()}
    for kind, a, b, yr in _structural(store, iri):
        if (kind == "issuer" and frozenset((a, b)) in pairs) or a == b:
            continue
        ends = _STRUCTURAL_ENDS.get(kind, (None, None))
        add_edge(kind, a, b, yr, other_kind=ends[1] if a == iri else ends[0])

    # -- filter by year and kind, cap per kind (the most connected first), describe the kept
    if year is not None:
        edges = {k: e for k, e in edges.items() if e["year"] is None or e["year"] == year}
    linked: dict[str, list[str]] = defaultdict(list)
    for eid, e in edges.items():
        linked[e["target"] if e["source"] == iri else e["source"]].append(eid)
    unknown = [n for n in linked if hint.get(n) is None]
    extra = node_info(store, unknown) if unknown else {}
    kind_of = {n: hint.get(n) or (extra[n]["kind"] if n in extra else None) for n in linked}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for n, k in kind_of.items():
        if k is not None and k in wanted:
            by_kind[k].append(n)

    def weight(n: str) -> tuple[int, str]:
        return (-sum((edges[eid]["count"] or 1) for eid in linked[n]), n)

    chosen: list[str] = []
    truncated: dict[str, int] = {}
    counts: dict[str, int] = {}
    for kind in NODE_KINDS:
        ns = sorted(by_kind.get(kind, ()), key=weight)
        if not ns:
            continue
        counts[kind] = len(ns)
        chosen.extend(ns[:cap])
        if len(ns) > cap:
            truncated[kind] = len(ns) - cap
    described = {**extra, **node_info(store, [n for n in chosen if n not in extra])}
    kept = [n for n in chosen if n in described]
    keep = set(kept) | {iri}
    out_edges = [e for e in edges.values() if e["source"] in keep and e["target"] in keep]
    out_edges.sort(key=lambda e: (EDGE_KINDS.index(e["kind"]), e["source"], e["target"],
                                  e["year"] or 0, e["id"]))  # fmt: skip
    return {
        "node": centre,
        "nodes": [centre] + [described[n] for n in kept],
        "edges": out_edges,
        "truncated": truncated,
        "counts": counts,
    }


# ---------------------------------------------------------------------------------------------
# suggestions for the search box

_SUGGEST_QUERY = f"""
SELECT DISTINCT ?n ?l ?type WHERE {{
  VALUES ?p {{ {_iri_list((RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title))} }}
  ?n ?p ?l .
  FILTER(isLiteral(?l) && CONTAINS(LCASE(STR(?l)), ?q))
  {{ ?n a ?type }} UNION {{ ?n <{SKOS.inScheme}> <{FZ.programScheme}> BIND(<{FZ.Program}> AS ?type) }}
}}
"""
_SUGGEST_KINDS = {k: v for k, v in _KIND_OF_TYPE.items() if v not in ("report", "sentence")}


def suggest(
    store: Store,
    q: str,
    *,
    kinds: Iterable[str] | str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> dict[str, Any]:
    """Nodes whose label contains ``q`` (case-insensitive), best first: exact, prefix, contains.

    ``{"items": [{id, kind, label, year, attrs, matched}], "total", "limit", "offset"}`` where
    ``matched`` is the label that matched (an alias, a former name) when it is not ``label``.
    Jurisdictions, agencies, programs (thesaurus programs too), documents and observations.
    """
    wanted = parse_kinds(kinds) if kinds is not None else None
    needle = (q or "").strip().lower()
    if not needle:
        raise ValueError("q must not be empty")
    best: dict[str, tuple[int, int, str, str]] = {}
    for n, lit, typ in _rows(store, bind_values(_SUGGEST_QUERY, {"q": needle})):
        if not isinstance(n, NamedNode):
            continue
        kind = _SUGGEST_KINDS.get(typ.value)
        if kind is None or (wanted is not None and kind not in wanted):
            continue
        text = lit.value
        low = text.lower()
        rank = 0 if low == needle else 1 if low.startswith(needle) else 2
        cand = (rank, len(text), text, kind)
        if n.value not in best or cand < best[n.value]:
            best[n.value] = cand
    ordered = sorted(
        best.items(), key=lambda kv: (kv[1][0], NODE_KINDS.index(kv[1][3]), kv[1][1], kv[1][2])
    )
    page = ordered[offset : offset + limit]
    infos = node_info(store, [n for n, _ in page])
    items = []
    for n, (_rank, _len, text, _kind) in page:
        info = infos.get(n)
        if info is None:
            continue
        items.append({**info, "matched": text if text != info["label"] else None})
    return {"items": items, "total": len(ordered), "limit": limit, "offset": offset}
