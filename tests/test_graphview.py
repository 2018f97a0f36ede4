"""kg.graphview: the networkx projection of a tiny graph."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx

from kg import iri
from kg.graphview import to_networkx
from kg.rdf import jurisdiction_quads, report_quads
from kg.store import OxigraphStore
from kg.vocab import GRAPH_GAZETTEER
from tests.test_rdf import sample_facts, sample_report, span


def tiny_store() -> OxigraphStore:
    store = OxigraphStore()
    report = sample_report()
    store.replace_graph(
        iri.report_graph(report.id),
        report_quads(report, sample_facts(), {i: span(i) for i in range(6)}),
    )
    places = [
        SimpleNamespace(
            name="盖州市",
            level="county",
            code="210881000000",
            parent="210800000000",
            key="210881000000",
            aliases=[],
        ),
        SimpleNamespace(
            name="营口市",
            level="prefecture",
            code="210800000000",
            parent=None,
            key="210800000000",
            aliases=[],
        ),
    ]
    store.bulk_load(jurisdiction_quads(places))
    return store


def test_to_networkx_tiny_graph() -> None:
    store = tiny_store()
    g = to_networkx(store)
    assert isinstance(g, nx.MultiDiGraph)
    report = iri.report_iri("seeds/000_gaizhou.txt")
    gaizhou = iri.jurisdiction_iri("210881000000")
    assert g.nodes[report]["kind"] == "report"
    assert g.nodes[report]["year"] == 2024
    assert g.nodes[gaizhou] == {"kind": "jurisdiction", "label": "盖州市", "code": "210881000000"}
    program = iri.program_iri("行政执法三项制度")
    assert g.nodes[program] == {"kind": "program", "label": "行政执法三项制度"}

    edges = g.get_edge_data(report, program)
    assert len(edges) == 2  # mentioned twice: once in achievements, once in plans
    assert {d["section"] for d in edges.values()} == {"achievements", "plans"}
    for key, d in edges.items():
        assert d["kind"] == "program"
        assert d["evidence"].startswith(report + "/sentence/")
        assert key.startswith(report + "/mention/")
    kinds = {d["kind"] for _, _, d in g.out_edges(report, data=True)}
    assert kinds == {"program", "agency", "document", "metric", "reporter"}
    assert g.has_edge(
        gaizhou,
        iri.jurisdiction_iri("210800000000"),
        key=f"within:{iri.jurisdiction_iri('210800000000')}",
    )
    metric_nodes = [n for n, d in g.nodes(data=True) if d["kind"] == "metric"]
    assert len(metric_nodes) == 2
    negated = [d for _, _, d in g.edges(data=True) if d.get("negated")]
    assert len(negated) == 1 and negated[0]["section"] == "problems"


def test_to_networkx_restricted_to_graphs() -> None:
    store = tiny_store()
    only_gazetteer = to_networkx(store, graphs=[GRAPH_GAZETTEER])
    assert {d["kind"] for _, d in only_gazetteer.nodes(data=True)} == {"jurisdiction"}
    assert only_gazetteer.number_of_edges() == 1
    only_report = to_networkx(store, graphs=[iri.report_graph("seeds/000_gaizhou.txt")])
    gaizhou = iri.jurisdiction_iri("210881000000")
    # without the gazetteer the reporter is labelled by the name the report gives
    assert only_report.nodes[gaizhou] == {"kind": "jurisdiction", "label": "盖州市"}
