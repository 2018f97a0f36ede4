"""A networkx projection of the graph: derived for analysis, never the source of truth.

``to_networkx(store)`` reads the store with SPARQL and returns a ``networkx.MultiDiGraph``
whose nodes are IRIs with attributes ``kind`` (report, jurisdiction, program, agency,
document, metric), ``label`` and, where known, ``code`` (jurisdictions) or ``year``
(reports, documents, observations); and whose edges carry ``kind`` and, for facts, the
``evidence`` sentence IRI, the ``section`` and ``negated``:

- report -> program / agency / document / metric: one edge per mention (``key`` = the mention
  IRI; ``kind`` = the entity's kind);
- report -> jurisdiction (``reporter``), report -> report (``duplicate_of``),
  agency -> jurisdiction (``of_jurisdiction``), document -> issuer (``issuer``),
  jurisdiction -> parent (``within``, when the gazetteer graph is included).

Example::

    from kg.graphview import to_networkx
    from kg.storage import open_store

    with open_store(read_only=True) as store:
        g = to_networkx(store)
    runs = [r for r, p, d in g.edges(data=True) if d["kind"] == "program"
            and d["section"] != "plans" and not d["negated"]]

``graphs`` restricts the projection to some named graphs (IRIs), e.g. one report's graph and
the gazetteer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.store import Store, python_value
from kg.vocab import ENUM_VALUE, FZ

__all__ = ["to_networkx"]

_KIND_OF_CLASS = {
    FZ.Report: "report",
    FZ.Jurisdiction: "jurisdiction",
    FZ.Program: "program",
    FZ.Agency: "agency",
    FZ.Document: "document",
    FZ.MetricObservation: "metric",
}

_NODES = """
SELECT ?n ?type ?label ?code ?year WHERE {
  VALUES ?type { fz:Report fz:Jurisdiction fz:Program fz:Agency fz:Document fz:MetricObservation }
  ?n a ?type .
  OPTIONAL { ?n rdfs:label|skos:prefLabel|dcterms:title|fz:subject ?label }
  OPTIONAL { ?n fz:code ?code }
  OPTIONAL { ?n fz:year ?year }
}
"""

_MENTIONS = """
SELECT ?m ?r ?e ?s ?section ?negated WHERE {
  ?m fz:mentionOf ?e ; fz:sentence ?s ; fz:section ?section .
  ?s fz:report ?r .
  OPTIONAL { ?m fz:negated ?negated }
}
"""

_LINKS = """
SELECT ?a ?p ?b WHERE {
  VALUES ?p { fz:reporter fz:duplicateOf fz:ofJurisdiction fz:issuer fz:within }
  ?a ?p ?b .
}
"""

_REPORTER_NAMES = """
SELECT DISTINCT ?j ?name WHERE { ?r fz:reporter ?j ; fz:reporterName ?name }
"""

_LINK_KIND = {
    FZ.reporter: "reporter",
    FZ.duplicateOf: "duplicate_of",
    FZ.ofJurisdiction: "of_jurisdiction",
    FZ.issuer: "issuer",
    FZ.within: "within",
}


def to_networkx(store: Store, graphs: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """Project the store (all graphs, or only ``graphs``) to a ``MultiDiGraph``."""
    kw: dict[str, Any] = {}
    if graphs is not None:
        kw["default_graphs"] = list(graphs)
    g = nx.MultiDiGraph()

    for n, typ, label, code, year in store.select(_NODES, **kw).tuples():
        iri = n.value
        attrs = g.nodes[iri] if iri in g else {}
        if not attrs.get("kind"):
            attrs = {"kind": _KIND_OF_CLASS.get(typ.value, "other")}
        if label is not None and not attrs.get("label"):
            attrs["label"] = label.value
        if code is not None:
            attrs["code"] = code.value
        if year is not None:
            attrs["year"] = python_value(year)
        g.add_node(iri, **attrs)

    for m, r, e, s, section, negated in store.select(_MENTIONS, **kw).tuples():
        ent = e.value
        if ent not in g:
            g.add_node(ent, kind="other")
        kind = g.nodes[ent].get("kind", "other")
        g.add_edge(
            r.value,
            ent,
            key=m.value,
            kind=kind,
            evidence=s.value,
            section=ENUM_VALUE.get(section.value, section.value),
            negated=bool(python_value(negated)) if negated is not None else False,
        )

    target_kind = {
        FZ.reporter: "jurisdiction",
        FZ.within: "jurisdiction",
        FZ.ofJurisdiction: "jurisdiction",
        FZ.duplicateOf: "report",
    }
    for a, p, b in store.select(_LINKS, **kw).tuples():
        if a.value not in g:
            g.add_node(a.value, kind="other")
        if b.value not in g:
            g.add_node(b.value, kind=target_kind.get(p.value, "other"))
        kind = _LINK_KIND[p.value]
        key = f"{kind}:{b.value}"
        if not g.has_edge(a.value, b.value, key=key):
            g.add_edge(a.value, b.value, key=key, kind=kind)

    # reporters outside the gazetteer: label them with the name the report gives
    for j, name in store.select(_REPORTER_NAMES, **kw).tuples():
        if j.value in g and not g.nodes[j.value].get("label"):
            g.nodes[j.value]["label"] = name.value
    return g
