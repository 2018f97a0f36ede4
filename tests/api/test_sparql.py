"""``/sparql``: the SPARQL 1.1 Protocol endpoint over the seed graph (TestClient).

Every method (GET, POST form, POST application/sparql-query) × every media type; the dataset
parameters and the union default graph; updates and SERVICE refused; syntax errors 400; the
result cap (truncation + ``X-Result-Truncated``); the time limit on both execution paths: a
thread over the in-memory store, and worker processes over an on-disk store (killed on
timeout, and the next query still works).
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from kg.sparql_service import SparqlService, inspect_query, load_examples, negotiate
from kg.vocab import GRAPH_GAZETTEER, GRAPH_THESAURUS

QUERIES = Path(__file__).resolve().parents[2] / "api" / "queries"

REPORTS = "SELECT ?name ?year WHERE { ?r a fz:Report ; fz:reporterName ?name ; fz:year ?year } ORDER BY ?name"
NAMES = ["保定市", "大河镇", "济宁太白湖新区", "清远市", "盖州市"]
CONSTRUCT = "CONSTRUCT { ?r fz:year ?y } WHERE { ?r a fz:Report ; fz:year ?y }"
ASK = 'ASK { ?r fz:reporterName "盖州市" }'

RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json"]
METHODS = ["get", "post-form", "post-query"]


def settings(**kw) -> Settings:
    base = {"store": "memory:", "sparql_timeout": 30.0, "sparql_max_results": 10_000}
    return Settings(**{**base, **kw})


@pytest.fixture(scope="module")
def client(seed_store):
    app = create_app(settings(), store=seed_store)
    with TestClient(app) as c:
        yield c


def ask(client: TestClient, method: str, query: str, accept: str | None = None, **params):
    headers = {"Accept": accept} if accept else {}
    if method == "get":
        return client.get("/sparql", params={"query": query, **params}, headers=headers)
    if method == "post-form":
        return client.post("/sparql", data={"query": query, **params}, headers=headers)
    headers["Content-Type"] = "application/sparql-query"
    return client.post("/sparql", content=query.encode(), params=params, headers=headers)


def media(resp) -> str:
    return resp.headers["content-type"].split(";")[0].strip()


def names_of(resp) -> list[str]:
    """The ``name`` column of a SELECT answer in any of the four result formats."""
    fmt = media(resp)
    if fmt == "application/sparql-results+json":
        return [b["name"]["value"] for b in resp.json()["results"]["bindings"]]
    if fmt == "text/csv":
        return [row["name"] for row in csv.DictReader(io.StringIO(resp.text))]
    fmts = {
        "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
        "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
    }
    res = pyoxigraph.parse_query_results(resp.content, fmts[fmt])
    return [sol["name"].value for sol in res]


def error(resp, status: int) -> str:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()["error"]
    assert body["status"] == status
    return body["message"]


# --------------------------------------------------------------------------- methods × formats


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept", RESULT_TYPES)
def test_select_every_method_and_format(client, method, accept):
    r = ask(client, method, REPORTS, accept)
    assert r.status_code == 200, r.text
    assert media(r) == accept
    assert names_of(r) == NAMES
    assert r.headers["x-result-count"] == "5"
    assert "x-result-truncated" not in r.headers


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept", RESULT_TYPES)
def test_ask_every_method_and_format(client, method, accept):
    r = ask(client, method, ASK, accept)
    assert r.status_code == 200, r.text
    assert media(r) == accept
    if accept.endswith("json"):
        assert r.json() == {"head": {}, "boolean": True}
    elif accept.endswith("xml"):
        assert "<boolean>true</boolean>" in r.text
    else:
        assert r.text.strip() == "true"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_construct_every_method_and_format(client, method, accept):
    r = ask(client, method, CONSTRUCT, accept)
    assert r.status_code == 200, r.text
    assert media(r) == accept
    fmt = pyoxigraph.RdfFormat.from_media_type(accept)
    triples = list(pyoxigraph.parse(r.content, fmt))
    assert len({(t.subject, t.object) for t in triples}) == 5
    assert r.headers["x-result-count"] == str(len(triples))


def test_describe_defaults_to_turtle(client):
    r = ask(client, "get", 'DESCRIBE ?j WHERE { ?j fz:code "210881000000" }')
    assert r.status_code == 200, r.text
    assert media(r) == "text/turtle"
    triples = list(pyoxigraph.parse(r.content, pyoxigraph.RdfFormat.TURTLE))
    assert any(t.object == pyoxigraph.Literal("盖州市") for t in triples)


def test_select_defaults_to_json_and_aliases(client):
    for accept in (None, "*/*", "application/json", "application/*"):
        r = ask(client, "get", REPORTS, accept)
        assert media(r) == "application/sparql-results+json", accept
        assert names_of(r) == NAMES
    r = ask(client, "get", REPORTS, "application/xml")
    assert media(r) == "application/sparql-results+xml"
    r = ask(client, "get", CONSTRUCT, "application/json")
    assert media(r) == "application/ld+json"
    # a browser's Accept header: application/xml;q=0.9 is the best SPARQL format in it
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert media(ask(client, "get", REPORTS, browser)) == "application/sparql-results+xml"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.8", "application/sparql-results+xml"),
        ("text/csv, application/sparql-results+json;q=0.5", "text/csv"),
        ("text/tab-separated-values, text/csv", "text/tab-separated-values"),
        ("text/*;q=0.5, application/sparql-results+json;q=0.4", "text/csv"),
        ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        ("*/*;q=0.1, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
        ("text/csv; charset=utf-8; q=1", "text/csv"),
    ],
)
def test_accept_q_values(client, accept, expected):
    r = ask(client, "get", REPORTS, accept)
    assert r.status_code == 200, r.text
    assert media(r) == expected
    assert names_of(r) == NAMES


def test_graph_q_values(client):
    r = ask(client, "get", CONSTRUCT, "text/turtle;q=0.3, application/n-triples;q=0.7")
    assert media(r) == "application/n-triples"
    # SELECT-only types do not count for CONSTRUCT: the turtle entry decides
    r = ask(client, "get", CONSTRUCT, "application/sparql-results+json, text/turtle;q=0.9")
    assert media(r) == "text/turtle"


def test_not_acceptable(client):
    msg = error(ask(client, "get", REPORTS, "image/png"), 406)
    assert "text/csv" in msg
    error(ask(client, "get", CONSTRUCT, "text/csv"), 406)
    error(ask(client, "get", REPORTS, "text/csv;q=0"), 406)


# --------------------------------------------------------------------------- dataset


def _count(client, method="get", query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **params):
    r = ask(client, method, query, **params)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_union_default_graph_sees_every_report(client, seed_store):
    r = ask(client, "get", "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a fz:Report }")
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "5"
    assert _count(client) == seed_store.count()  # the union is a bag of every named graph


@pytest.mark.parametrize("method", METHODS)
def test_default_graph_uri(client, seed_store, method):
    gaz, thes = seed_store.count(GRAPH_GAZETTEER), seed_store.count(GRAPH_THESAURUS)
    assert 0 < gaz < seed_store.count()
    assert _count(client, method, **{"default-graph-uri": GRAPH_GAZETTEER}) == gaz
    both = {"default-graph-uri": [GRAPH_GAZETTEER, GRAPH_THESAURUS]}
    assert _count(client, method, **both) == gaz + thes


@pytest.mark.parametrize("method", METHODS)
def test_named_graph_uri(client, method):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = ask(client, method, q, **{"named-graph-uri": [GRAPH_GAZETTEER, GRAPH_THESAURUS]})
    assert r.status_code == 200, r.text
    graphs = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
    assert graphs == {GRAPH_GAZETTEER, GRAPH_THESAURUS}
    # SPARQL protocol: named-graph-uri alone leaves the default graph empty
    assert _count(client, method, **{"named-graph-uri": GRAPH_GAZETTEER}) == 0


def test_from_clause_is_honoured(client, seed_store):
    q = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_GAZETTEER}> WHERE {{ ?s ?p ?o }}"
    assert _count(client, query=q) == seed_store.count(GRAPH_GAZETTEER)
    # the protocol parameters override FROM
    n = _count(client, query=q, **{"default-graph-uri": GRAPH_THESAURUS})
    assert n == seed_store.count(GRAPH_THESAURUS)


def test_bad_graph_iri(client):
    msg = error(ask(client, "get", REPORTS, **{"default-graph-uri": "not an iri"}), 400)
    assert "default-graph-uri" in msg


# --------------------------------------------------------------------------- refusals, errors

UPDATES = [
    'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "c" } }',
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <urn:ex:>\n# a comment\nDELETE { ?s ?p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/fazhi-kg/graph/gazetteer>",
    "CREATE GRAPH <urn:new>",
    "ADD DEFAULT TO <urn:x>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
]


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("method", METHODS)
def test_update_in_query_refused(client, seed_store, method, update):
    before = seed_store.count()
    msg = error(ask(client, method, update), 403)
    assert "read-only" in msg
    assert seed_store.count() == before


def test_update_field_and_body_refused(client, seed_store):
    before = seed_store.count()
    error(client.get("/sparql", params={"update": "DROP ALL"}), 403)
    error(client.post("/sparql", data={"update": "DROP ALL"}), 403)
    error(client.post("/sparql", data={"query": ASK, "update": "DROP ALL"}), 403)
    r = client.post(
        "/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert "read-only" in error(r, 403)
    assert seed_store.count() == before


def test_update_words_in_strings_iris_comments_are_fine(client):
    q = (
        "PREFIX ex: <urn:delete:>\n# INSERT DATA would be refused, this is a comment\n"
        'SELECT ?x ?load WHERE { VALUES (?x ?load) { ("DROP ALL" ex:clear) } }'
    )
    r = ask(client, "get", q)
    assert r.status_code == 200, r.text
    row = r.json()["results"]["bindings"][0]
    assert row["x"]["value"] == "DROP ALL" and row["load"]["value"] == "urn:delete:clear"


def test_service_refused(client):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert "SERVICE" in error(ask(client, "get", q), 403)


@pytest.mark.parametrize("method", METHODS)
def test_syntax_error_is_400_with_parser_message(client, method):
    msg = error(ask(client, method, "SELECT ?x WHERE { ?x ?y }"), 400)
    assert msg.startswith("SPARQL syntax error:")
    assert "error at 1:" in msg  # the parser's position
    error(ask(client, method, "SELECT * WHERE { ?s ?p ?o } LIMIT -1"), 400)
    error(ask(client, method, "SELECT ?x WHERE { ?x a nope:Thing }"), 400)  # unknown prefix


def test_request_errors(client):
    form = {"default-graph-uri": GRAPH_GAZETTEER}
    assert "missing query" in error(client.post("/sparql", data=form), 400)
    error(
        client.post("/sparql", content=b"", headers={"Content-Type": "application/sparql-query"}),
        400,
    )
    error(client.get("/sparql", params={"query": "   "}), 400)
    error(client.get("/sparql", params=[("query", ASK), ("query", ASK)]), 400)
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    twice = urlencode([("query", ASK), ("query", ASK)]).encode()
    error(client.post("/sparql", content=twice, headers=form_type), 400)
    assert "Content-Type" in error(
        client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"}), 415
    )
    error(client.post("/sparql", content=b"ASK{}"), 415)
    r = client.post(
        "/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}
    )
    error(r, 400)


# --------------------------------------------------------------------------- result cap


@pytest.fixture(scope="module")
def capped(seed_store):
    app = create_app(settings(sparql_max_results=3), store=seed_store)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("accept", RESULT_TYPES)
def test_cap_truncates_select(capped, accept):
    r = ask(capped, "get", REPORTS, accept)
    assert r.status_code == 200
    assert r.headers["x-result-truncated"] == "true"
    assert r.headers["x-result-limit"] == "3"
    assert r.headers["x-result-count"] == "3"
    assert names_of(r) == NAMES[:3]


def test_cap_truncates_construct(capped):
    r = ask(capped, "post-query", CONSTRUCT, "application/n-triples")
    assert r.headers["x-result-truncated"] == "true"
    assert len(list(pyoxigraph.parse(r.content, pyoxigraph.RdfFormat.N_TRIPLES))) == 3


def test_cap_not_reached(capped):
    r = ask(capped, "get", REPORTS.replace("ORDER BY ?name", "ORDER BY ?name LIMIT 3"))
    assert names_of(r) == NAMES[:3]
    assert "x-result-truncated" not in r.headers
    assert ask(capped, "get", ASK).json()["boolean"] is True


# --------------------------------------------------------------------------- time limit

# 767k × 8 solutions counted: about a second in memory, far beyond a 50 ms limit
MEDIUM_SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a fz:end ?b . ?c fz:end ?d . VALUES ?k { 1 2 3 4 5 6 7 8 } }"
)
# every quad × every quad × every quad: would run for hours
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_timeout_thread_path(seed_store):
    app = create_app(settings(sparql_timeout=0.05), store=seed_store)
    with TestClient(app) as c:
        t0 = time.monotonic()
        msg = error(ask(c, "get", MEDIUM_SLOW), 504)
        assert time.monotonic() - t0 < 1.0
        assert "0.05 s" in msg and "in-memory" in msg
        assert app.state.sparql_service.mode == "thread"
        # the other slot still answers at once
        assert ask(c, "get", ASK).json()["boolean"] is True


@pytest.fixture
def disk_app(seed_store_dir):
    app = create_app(
        Settings(store=str(seed_store_dir), sparql_timeout=0.5, sparql_max_results=10_000,
                 sparql_workers=1)
    )  # fmt: skip
    yield app
    service = getattr(app.state, "sparql_service", None)
    if service is not None:
        service.close()
    app.state.store.close()


def test_timeout_worker_process_killed_and_replaced(disk_app, seed_store_dir):
    from kg.storage import StoreLocation

    with TestClient(disk_app) as c:
        first = ask(c, "get", REPORTS)
        assert names_of(first) == NAMES
        service = disk_app.state.sparql_service
        assert isinstance(service, SparqlService) and service.mode == "process"
        [pid] = service.worker_pids
        roles = {r.pid: r.role for r in StoreLocation(seed_store_dir).readers()}
        assert roles.get(pid) == "sparql-worker"  # the worker registered as a reader

        t0 = time.monotonic()
        msg = error(ask(c, "post-query", ENDLESS), 504)
        elapsed = time.monotonic() - t0
        assert elapsed < 15.0, f"504 after {elapsed:.1f} s for a 0.5 s limit"  # loaded CI hosts
        assert "0.5 s" in msg and "stopped" in msg
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # killed (and reaped)

        # the next query works, on a fresh worker
        again = ask(c, "get", REPORTS, "text/csv")
        assert again.status_code == 200 and names_of(again) == NAMES
        assert service.worker_pids and pid not in service.worker_pids
        assert pid not in {r.pid for r in StoreLocation(seed_store_dir).readers()}


def test_disk_store_every_format_through_worker(disk_app):
    with TestClient(disk_app) as c:
        for accept in RESULT_TYPES:
            r = ask(c, "post-form", REPORTS, accept)
            assert media(r) == accept and names_of(r) == NAMES
        r = ask(c, "get", CONSTRUCT, "application/ld+json")
        assert media(r) == "application/ld+json" and json.loads(r.text)
        error(ask(c, "get", "SELECT ?x WHERE { ?x ?y }"), 400)
        error(ask(c, "get", "CLEAR ALL"), 403)


# --------------------------------------------------------------------------- page, examples


def test_page_without_query(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and media(r) == "text/html"
    page = r.text
    assert "<textarea" in page and 'id="run"' in page and "fetch(" in page
    assert "__SPARQL_EXAMPLES__" not in page
    for ex in load_examples(QUERIES):
        assert json.dumps(ex.query, ensure_ascii=False).replace("</", "<\\/") in page


def test_examples_json(client):
    r = client.get("/sparql/examples")
    assert r.status_code == 200
    items = r.json()
    assert [e["id"] for e in items][:3] == ["lookup", "aggregation", "join"]
    for item, ex in zip(items, load_examples(QUERIES), strict=True):
        assert item["query"] == ex.query and item["title"] == ex.title


def test_openapi_documents_sparql(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/sparql"]["post"]
    assert set(post["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded",
        "application/sparql-query",
    }
    assert "text/csv" in post["responses"]["200"]["content"]
    names = {p["name"] for p in spec["paths"]["/sparql"]["get"]["parameters"]}
    assert {"query", "default-graph-uri", "named-graph-uri"} <= names


# --------------------------------------------------------------------------- library


def test_inspect_and_negotiate():
    assert inspect_query("ASK {}").form == "ASK"
    assert inspect_query("DESCRIBE <urn:x>").form == "DESCRIBE"
    assert inspect_query("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert inspect_query("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }").has_dataset
    assert not inspect_query("SELECT ?from WHERE { ?from ?p 'FROM' }").has_dataset
    assert negotiate("", "SELECT") == ("json", "application/sparql-results+json")
    assert negotiate("application/rdf+xml", "DESCRIBE") == ("rdfxml", "application/rdf+xml")
    assert negotiate("text/plain", "CONSTRUCT") == ("nt", "application/n-triples")
    assert negotiate("text/csv;q=bogus, text/tab-separated-values", "SELECT")[0] == "tsv"


def test_busy_slots_answer_503(seed_store):
    app = create_app(settings(sparql_timeout=0.05, sparql_workers=1), store=seed_store)
    with TestClient(app) as c:
        error(ask(c, "get", MEDIUM_SLOW), 504)  # its thread keeps the only slot for a while
        r = ask(c, "get", ASK)
        assert "busy" in error(r, 503)
        assert r.headers["retry-after"] == "1"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            r = ask(c, "get", ASK)
            if r.status_code == 200:
                break
            time.sleep(0.1)
        assert r.status_code == 200 and r.json()["boolean"] is True


def test_workers_follow_a_build_to_the_new_generation(seed_store, tmp_path):
    """A build while the app serves writes a new generation; after the switch, the worker
    process reopens and sees the new data (and re-registers for the generation it reads)."""
    from kg.storage import StoreLocation

    loc = StoreLocation(tmp_path / "kg")
    with loc.open_for_build() as store:
        store.bulk_load(seed_store.dump(None, "nq", graph=GRAPH_GAZETTEER), format="nq")
    app = create_app(Settings(store=str(loc.path), sparql_timeout=10, sparql_workers=1))
    probe = 'ASK { <urn:x:new> ?p "新数据" }'
    try:
        with TestClient(app) as c:
            assert ask(c, "get", probe).json()["boolean"] is False
            old = app.state.store.generation
            with loc.open_for_build() as store:  # a reader is live: a new generation
                store.update('INSERT DATA { GRAPH <urn:x:g> { <urn:x:new> <urn:x:p> "新数据" } }')
            assert loc.current_generation() != old
            app.state.store.refresh(force=True)
            assert ask(c, "get", probe).json()["boolean"] is True
            [pid] = app.state.sparql_service.worker_pids
            gens = {r.pid: r.gens for r in loc.readers()}
            assert gens[pid] == [loc.current_generation()]
    finally:
        app.state.sparql_service.close()
        app.state.store.close()
