"""kg.store: the SPARQL-shaped store interface, the Oxigraph implementation, the remote client."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from kg.store import (
    GraphResult,
    OxigraphStore,
    ReadOnlyStoreError,
    SelectResult,
    SparqlEndpointStore,
    Store,
    bind_values,
    python_value,
    term_to_sparql,
    to_term,
)
from kg.vocab import FZ, GRAPH_GAZETTEER, GRAPH_REPORT_NS, XSD, nn

G1 = GRAPH_REPORT_NS + "r1"
G2 = GRAPH_REPORT_NS + "r2"
A = nn("https://w3id.org/fazhi-kg/id/program/a")
B = nn("https://w3id.org/fazhi-kg/id/program/b")
LABEL = nn("http://www.w3.org/2004/02/skos/core#prefLabel")


def q(s: NamedNode, o: str | int, g: str = G1) -> Quad:
    return Quad(s, LABEL if isinstance(o, str) else nn(FZ.year), to_term(o), nn(g))


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    s = OxigraphStore()
    s.replace_graph(G1, [q(A, "一村一法律顾问"), q(A, 2024)])
    s.replace_graph(G2, [q(B, "首违不罚", G2), q(A, "一村一法律顾问", G2)])
    yield s
    s.close()


def labels(store: Store, graph: str) -> set[str]:
    return {x.object.value for x in store.quads(graph=graph)}


# -- replace / drop --------------------------------------------------------------------------


def test_replace_graph_replaces_only_that_graph(store: OxigraphStore) -> None:
    store.replace_graph(G1, [q(B, "新内容")])
    assert labels(store, G1) == {"新内容"}
    assert labels(store, G2) == {"首违不罚", "一村一法律顾问"}


def test_replace_graph_is_atomic_when_the_input_fails(store: OxigraphStore) -> None:
    before = sorted(str(x) for x in store.quads(graph=G1))

    def broken() -> Iterator[Quad]:
        for i in range(100):
            yield q(B, f"partial {i}")
            if i == 50:
                raise RuntimeError("extractor crashed mid-report")

    with pytest.raises(RuntimeError, match="mid-report"):
        store.replace_graph(G1, broken())
    assert sorted(str(x) for x in store.quads(graph=G1)) == before
    assert labels(store, G2) == {"首违不罚", "一村一法律顾问"}


def test_replace_graph_is_atomic_when_the_write_fails(store: OxigraphStore) -> None:
    before = store.count(G1)
    bad = Quad(A, LABEL, Literal("x"), nn(G1))

    class Weird:  # a term whose text is not valid SPARQL: the update must fail as a whole
        subject, predicate, object = A, LABEL, "not a term {"

    with pytest.raises(SyntaxError):
        store.replace_graph(G1, [bad, Weird()])  # type: ignore[list-item]
    assert store.count(G1) == before


def test_replace_graph_ignores_the_quads_graph_and_accepts_triples(store: OxigraphStore) -> None:
    store.replace_graph(G1, [q(B, "x", G2), Triple(A, LABEL, Literal("y"))])
    assert labels(store, G1) == {"x", "y"}
    assert labels(store, G2) == {"首违不罚", "一村一法律顾问"}


def test_replace_with_nothing_drops(store: OxigraphStore) -> None:
    store.replace_graph(G1, [])
    assert not store.graph_exists(G1)


def test_drop_graph(store: OxigraphStore) -> None:
    store.drop_graph(G1)
    assert not store.graph_exists(G1)
    assert store.graph_exists(G2)
    assert G1 not in store.named_graphs()
    store.drop_graph(G1)  # silent when absent
    assert store.count() == 2


def test_count_and_named_graphs(store: OxigraphStore) -> None:
    assert store.count() == 4
    assert store.count(G1) == 2
    assert store.count(GRAPH_REPORT_NS + "none") == 0
    assert sorted(store.named_graphs()) == [G1, G2]
    assert store.graph_exists(nn(G2))


# -- queries ---------------------------------------------------------------------------------


def test_union_default_graph_sees_all_report_graphs(store: OxigraphStore) -> None:
    res = store.select("SELECT DISTINCT ?l WHERE { ?p skos:prefLabel ?l }")
    assert isinstance(res, SelectResult)
    assert res.variables == ["l"]
    assert {r["l"].value for r in res} == {"一村一法律顾问", "首违不罚"}
    # the union is a bag: a triple in two graphs appears twice
    rows = list(store.select("SELECT ?l WHERE { ?p skos:prefLabel ?l }"))
    assert len(rows) == 3


def test_default_graph_options(store: OxigraphStore) -> None:
    sparql = "SELECT ?l WHERE { ?p skos:prefLabel ?l }"
    assert list(store.select(sparql, union_default_graph=False)) == []
    only = {r["l"].value for r in store.select(sparql, default_graphs=[G2])}
    assert only == {"首违不罚", "一村一法律顾问"}
    named = store.select(
        "SELECT ?g WHERE { GRAPH ?g { ?p ?x ?l } }", named_graphs=[G1], union_default_graph=False
    )
    assert {r["g"].value for r in named} == {G1}


def test_substitutions_bind_projected_and_other_variables(store: OxigraphStore) -> None:
    res = store.select(
        "SELECT ?p ?l WHERE { ?p skos:prefLabel ?l }", substitutions={"l": "首违不罚"}
    )
    assert [(r["p"], r["l"].value) for r in res] == [(B, "首违不罚")]
    # ?g is not projected: pyoxigraph refuses, the VALUES fallback binds it
    res = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": nn(G1)}
    )
    assert [python_value(r["n"]) for r in res] == [2]
    res = store.select(
        "SELECT ?s WHERE { ?s fz:year ?y }", substitutions={"?y": 2024}, default_graphs=[G1]
    )
    assert [r["s"] for r in res] == [A]
    assert store.ask("ASK { ?s fz:year ?y }", substitutions={"y": 2024})
    assert not store.ask("ASK { ?s fz:year ?y }", substitutions={"y": 1999})


def test_ask_construct_and_result_types(store: OxigraphStore) -> None:
    assert store.query("ASK { ?s ?p ?o }") is True
    res = store.query("CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p skos:prefLabel ?l }")
    assert isinstance(res, GraphResult)
    triples = list(res)
    assert all(isinstance(t, Triple) for t in triples) and len(triples) == 2  # a set
    with pytest.raises(TypeError):
        store.ask("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(SyntaxError):
        store.query("SELEKT nonsense")


def test_values_and_tuples(store: OxigraphStore) -> None:
    rows = list(store.select("SELECT ?s ?y WHERE { ?s fz:year ?y }").values())
    assert rows == [{"s": A.value, "y": 2024}]
    tuples = list(store.select("SELECT ?s ?missing WHERE { ?s fz:year ?y }").tuples())
    assert tuples == [(A, None)]


def test_query_serialized(store: OxigraphStore) -> None:
    body, media = store.query_serialized("SELECT ?y WHERE { ?s fz:year ?y }", "json")
    assert media == "application/sparql-results+json"
    assert json.loads(body)["results"]["bindings"][0]["y"]["value"] == "2024"
    body, media = store.query_serialized("SELECT ?y WHERE { ?s fz:year ?y }", "csv")
    assert media.startswith("text/csv") and b"2024" in body
    body, media = store.query_serialized("ASK { ?s ?p ?o }", "application/sparql-results+xml")
    assert b"true" in body
    body, media = store.query_serialized("CONSTRUCT WHERE { ?s fz:year ?y }", "ttl")
    assert media == "text/turtle" and b"2024" in body
    body, media = store.query_serialized("CONSTRUCT WHERE { ?s fz:year ?y }", "json")
    assert media == "application/ld+json"


# -- the term serialiser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'quote " inside',
        "single ' quote",
        "new\nline and \r return and \t tab",
        "back\\slash \\n not a newline \\u0041",
        "中文《民法典》“引号”（括号）",
        "emoji 😀 and \u2028 separator",
        "control \x00\x01\x7f chars",
        "}} INSERT DATA { <urn:evil> <urn:p> 1 } #",
    ],
)
def test_term_to_sparql_round_trips(text: str) -> None:
    s = OxigraphStore()
    lit = term_to_sparql(text)
    assert "\n" not in lit and "\r" not in lit
    s.update(f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:s> <urn:p> {lit} }} }}")
    got = [x.object for x in s.quads(graph="urn:g")]
    assert got == [Literal(text)]
    assert s.count() == 1


def test_term_to_sparql_forms() -> None:
    assert term_to_sparql('a"b') == '"a\\"b"'
    assert term_to_sparql("a\\b") == '"a\\\\b"'
    assert term_to_sparql("a\nb") == '"a\\nb"'
    assert term_to_sparql(NamedNode("https://w3id.org/fazhi-kg/id/x/中文")) == (
        "<https://w3id.org/fazhi-kg/id/x/中文>"
    )
    assert term_to_sparql(Literal("x", language="zh")) == '"x"@zh'
    assert term_to_sparql(5) == f'"5"^^<{XSD.integer}>'
    assert term_to_sparql(True) == f'"true"^^<{XSD.boolean}>'
    assert term_to_sparql(Decimal("7320.9")) == f'"7320.9"^^<{XSD.decimal}>'
    assert term_to_sparql(dt.date(2024, 5, 1)) == f'"2024-05-01"^^<{XSD.date}>'
    assert term_to_sparql(rdflib.URIRef("urn:x")) == "<urn:x>"
    assert term_to_sparql(rdflib.Literal("a", lang="zh")) == '"a"@zh'
    assert term_to_sparql(rdflib.Literal(3)) == f'"3"^^<{XSD.integer}>'
    with pytest.raises(ValueError):
        term_to_sparql(NamedNode("urn:x> <urn:y"))
    with pytest.raises(ValueError):
        term_to_sparql(BlankNode())
    with pytest.raises(TypeError):
        term_to_sparql(object())


def test_bind_values_finds_the_where_group() -> None:
    q1 = bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": 1})
    assert q1.startswith("SELECT ?s WHERE { VALUES (?o) {")
    q2 = bind_values(
        '# a { comment\nPREFIX ex: <urn:ex#>\nCONSTRUCT { ?s ex:p "{" } WHERE { ?s ?p ?o }',
        {"s": NamedNode("urn:a")},
    )
    assert "WHERE { VALUES (?s) { (<urn:a>) }" in q2
    q3 = bind_values("ASK { ?s ?p ?o }", {"p": NamedNode("urn:p")})
    assert q3.startswith("ASK { VALUES (?p)")
    q4 = bind_values("SELECT * { ?s ?p ?o }", {"s": NamedNode("urn:a"), "p": "x"})
    assert '(?s ?p) { (<urn:a> "x") }' in q4
    with pytest.raises(ValueError):
        bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"bad name": 1})


def test_python_value() -> None:
    assert python_value(to_term(3)) == 3
    assert python_value(Literal("7320.9", datatype=nn(XSD.decimal))) == 7320.9
    assert python_value(Literal("4727", datatype=nn(XSD.decimal))) == 4727
    assert python_value(to_term(False)) is False
    assert python_value(nn(FZ.Report)) == FZ.Report
    assert python_value(None) is None
    assert python_value(Literal("2024-01-01", datatype=nn(XSD.date))) == "2024-01-01"


# -- loading, export, read-only --------------------------------------------------------------


def test_bulk_load_quads_file_and_bytes(tmp_path: Path) -> None:
    s = OxigraphStore()
    s.bulk_load([Triple(A, LABEL, Literal("a"))], graph=GRAPH_GAZETTEER)
    assert s.count(GRAPH_GAZETTEER) == 1
    ttl = tmp_path / "x.ttl"
    ttl.write_text('<urn:a> <urn:p> "文" .\n', encoding="utf-8")
    s.bulk_load(ttl, graph="urn:g")
    s.bulk_load(b'<urn:b> <urn:p> "2" <urn:h> .\n', format="nq")
    assert s.count("urn:g") == 1 and s.count("urn:h") == 1
    with pytest.raises(ValueError):
        s.bulk_load(b"<urn:b> <urn:p> 2 .")
    with pytest.raises(ValueError):
        s.bulk_load([Triple(A, LABEL, Literal("a"))])


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "nt", "jsonld"])
def test_dump_formats(store: OxigraphStore, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"dump.{fmt}"
    store.dump(out, fmt)
    data = out.read_bytes()
    assert data
    fresh = OxigraphStore()
    fresh.bulk_load(out, graph=None if fmt in ("nq", "trig", "jsonld") else "urn:all")
    if fmt in ("nq", "trig", "jsonld"):
        assert fresh.count() == store.count()
        assert sorted(fresh.named_graphs()) == [G1, G2]
    else:  # the union of all graphs as triples
        assert fresh.count() == 3  # the label shared by both graphs collapses
    one = store.dump(None, fmt, graph=G1)
    assert isinstance(one, bytes) and "一村一法律顾问".encode() in one


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    rw = OxigraphStore(tmp_path / "db")
    rw.replace_graph(G1, [q(A, "x")])
    rw.close()
    assert rw.closed
    ro = OxigraphStore(tmp_path / "db", read_only=True)
    assert ro.count(G1) == 1
    for call in (
        lambda: ro.update("INSERT DATA { <urn:a> <urn:b> 1 }"),
        lambda: ro.replace_graph(G1, []),
        lambda: ro.drop_graph(G1),
        lambda: ro.bulk_load([q(A, "y")]),
    ):
        with pytest.raises(ReadOnlyStoreError):
            call()
    ro.close()
    with pytest.raises(FileNotFoundError):
        OxigraphStore(tmp_path / "missing", read_only=True)


def test_to_term() -> None:
    assert to_term(1.5) == Literal("1.5", datatype=nn(XSD.double))
    assert to_term(float("nan")).value == "NaN"
    assert to_term(dt.datetime(2024, 1, 2, 3, 4, 5)).datatype == nn(XSD.dateTime)
    assert to_term(rdflib.Literal("x", datatype=rdflib.URIRef(XSD.string))) == Literal("x")
    with pytest.raises(ValueError):
        to_term(rdflib.BNode())


# -- the remote implementation against a tiny SPARQL protocol server -------------------------


class _Protocol(BaseHTTPRequestHandler):
    backend: OxigraphStore

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        ctype = self.headers["Content-Type"]
        try:
            if ctype == "application/sparql-update":
                self.backend.update(body)
                self._send(204, b"", "text/plain")
                return
            raw = self.backend.raw.query(body, use_default_graph_as_union=True)
            if isinstance(raw, pyoxigraph.QueryTriples):
                out = raw.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES)
                self._send(200, out, "application/n-triples")
            else:
                out = raw.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
                self._send(200, out, "application/sparql-results+json")
        except SyntaxError as err:
            self._send(400, str(err).encode(), "text/plain")

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def remote() -> Iterator[tuple[SparqlEndpointStore, OxigraphStore]]:
    backend = OxigraphStore()
    handler = type("H", (_Protocol,), {"backend": backend})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        yield SparqlEndpointStore(url), backend
    finally:
        server.shutdown()
        server.server_close()


def test_remote_store_speaks_the_same_interface(
    remote: tuple[SparqlEndpointStore, OxigraphStore],
) -> None:
    client, backend = remote
    client.replace_graph(G1, [q(A, "一村一法律顾问"), q(A, 2024)])
    client.replace_graph(G2, [q(B, 'say "hi"\n', G2)])
    assert backend.count() == 3
    assert sorted(client.named_graphs()) == [G1, G2]
    assert client.count(G1) == 2 and client.count() == 3
    assert client.graph_exists(G2)
    res = client.select(
        "SELECT ?l WHERE { GRAPH ?g { ?p skos:prefLabel ?l } }", substitutions={"g": nn(G2)}
    )
    assert [r["l"].value for r in res] == ['say "hi"\n']
    assert client.ask("ASK { ?s fz:year 2024 }")
    triples = list(client.construct("CONSTRUCT WHERE { ?s fz:year ?y }"))
    assert [t.object.value for t in triples] == ["2024"]
    client.drop_graph(G2)
    assert backend.named_graphs() == [G1]
    client.bulk_load([Triple(B, LABEL, Literal("b"))], graph=G2, batch=1)
    assert backend.count(G2) == 1
    assert {x.graph_name.value for x in client.quads(subject=A)} == {G1}
    with pytest.raises(Exception, match="HTTP 400"):
        client.select("SELEKT")
    ro = SparqlEndpointStore(client.query_url, read_only=True)
    with pytest.raises(ReadOnlyStoreError):
        ro.replace_graph(G1, [])
