"""The explorer's JSON (/graph/…) and the page's static files, over the seed graph."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from kg import explore

PROGRAM = "https://w3id.org/fazhi-kg/id/program/fa-lv-ming-bai-ren"
GAIZHOU = "https://w3id.org/fazhi-kg/id/jurisdiction/210881000000"
DAHE = "https://w3id.org/fazhi-kg/id/jurisdiction/520201101000"
YINGKOU = "https://w3id.org/fazhi-kg/id/jurisdiction/210800000000"


@pytest.fixture(scope="module")
def graph_client(seed_store):
    with TestClient(create_app(Settings(store="memory:", hub_cap=50), store=seed_store)) as c:
        yield c


@pytest.fixture(scope="module")
def capped_client(seed_store):
    with TestClient(create_app(Settings(store="memory:", hub_cap=3), store=seed_store)) as c:
        yield c


def url(ref: str, **params: str) -> str:
    q = "&".join(f"{k}={quote(str(v))}" for k, v in params.items())
    return f"/graph/nodes/{quote(ref, safe='')}/neighbours" + (f"?{q}" if q else "")


def by_id(body: dict) -> dict[str, dict]:
    return {n["id"]: n for n in body["nodes"]}


def check_shape(body: dict) -> None:
    ids = [n["id"] for n in body["nodes"]]
    assert ids[0] == body["node"]["id"]
    assert len(ids) == len(set(ids))
    for e in body["edges"]:
        assert e["source"] in ids and e["target"] in ids
        assert body["node"]["id"] in (e["source"], e["target"])
        if e["evidence"] is not None:
            assert e["evidence"]["sentence"]
            assert e["evidence"]["report"]
    assert len({e["id"] for e in body["edges"]}) == len(body["edges"])


# ------------------------------------------------------------------------- neighbours


def test_program_neighbours_are_the_jurisdictions_with_evidence(graph_client):
    r = graph_client.get(url("法律明白人"))
    assert r.status_code == 200, r.text
    body = r.json()
    check_shape(body)
    assert body["node"] == {
        "id": PROGRAM,
        "kind": "program",
        "label": "法律明白人",
        "year": None,
        "attrs": {"category": "普法", "candidate": False},
    }
    nodes = by_id(body)
    juris = {n["label"] for n in body["nodes"] if n["kind"] == "jurisdiction"}
    assert juris == {"盖州市", "大河镇", "济宁太白湖新区"}
    assert nodes[GAIZHOU]["attrs"] == {"code": "210881000000", "level": "county"}
    edge = next(e for e in body["edges"] if e["source"] == GAIZHOU)
    assert edge["target"] == PROGRAM
    assert edge["kind"] == "runs" and edge["year"] == 2024 and edge["count"] >= 1
    ev = edge["evidence"]
    assert "法律明白人" in ev["sentence"] and ev["surface"] in ev["sentence"]
    assert ev["report"] == "000_4ee9ce8ba8ed3195.txt"
    assert ev["section"] == "achievements" and ev["negated"] is False
    assert "url" in ev  # the seeds have no manifest: null
    dahe = next(e for e in body["edges"] if e["source"] == DAHE)
    assert dahe["year"] == 2022
    # the thesaurus: 法律明白人 is narrower than 全民普法
    broader = [e for e in body["edges"] if e["kind"] == "broader"]
    assert [nodes[e["target"]]["label"] for e in broader] == ["全民普法"]
    assert broader[0]["evidence"] is None
    assert body["truncated"] == {} and body["counts"] == {"jurisdiction": 3, "program": 1}


@pytest.mark.parametrize(
    "ref",
    [
        PROGRAM,
        "fzid:program/fa-lv-ming-bai-ren",
        "program/fa-lv-ming-bai-ren",
        "fa-lv-ming-bai-ren",
        "法律明白人",
        "法律明白人培养工程",
    ],  # fmt: skip
)
def test_node_references(graph_client, ref):
    r = graph_client.get(url(ref))
    assert r.status_code == 200, r.text
    assert r.json()["node"]["id"] == PROGRAM


@pytest.mark.parametrize("ref", [GAIZHOU, "210881", "210881000", "210881000000", "盖州市"])
def test_jurisdiction_references(graph_client, ref):
    r = graph_client.get(url(ref, kinds="jurisdiction"))
    assert r.status_code == 200, r.text
    assert r.json()["node"]["id"] == GAIZHOU


def test_jurisdiction_neighbours(graph_client):
    body = graph_client.get(url("210881")).json()
    check_shape(body)
    kinds = {n["kind"] for n in body["nodes"][1:]}
    assert {"jurisdiction", "agency", "program", "document", "metric", "report"} <= kinds
    assert "sentence" not in kinds  # only on request
    nodes = by_id(body)
    edges = body["edges"]
    parent = [e for e in edges if e["kind"] == "within"]
    assert [(e["source"], e["target"]) for e in parent] == [(GAIZHOU, YINGKOU)]
    assert nodes[YINGKOU]["label"] == "营口市"
    rep = [e for e in edges if e["kind"] == "reporter"]
    assert len(rep) == 1 and rep[0]["target"] == GAIZHOU and rep[0]["year"] == 2024
    assert nodes[rep[0]["source"]]["attrs"]["report_id"] == "000_4ee9ce8ba8ed3195.txt"
    runs = {nodes[e["target"]]["label"] for e in edges if e["kind"] == "runs"}
    assert {"法律明白人", "述法"} <= runs
    court = [e for e in edges if nodes[e["target"]]["label"] == "盖州市人民法院"]
    assert court and court[0]["kind"] == "mentions" and "市法院" in court[0]["evidence"]["sentence"]
    issued = [e for e in edges if e["kind"] == "issued"]
    assert issued and all(nodes[e["target"]]["kind"] == "document" for e in issued)
    observed = [e for e in edges if e["kind"] == "observed"]
    assert observed and all(e["evidence"]["surface"] for e in observed)
    metric = nodes[observed[0]["target"]]
    assert metric["kind"] == "metric" and metric["year"] == 2024 and "unit" in metric["attrs"]


def test_hub_cap_says_what_was_left_out(capped_client, graph_client):
    full = graph_client.get(url("210881")).json()
    capped = capped_client.get(url("210881")).json()
    check_shape(capped)
    counts = full["counts"]
    assert capped["counts"] == counts
    assert full["truncated"].get("metric", 0) > 0  # 73 figures > the default cap of 50
    assert full["truncated"]["metric"] == counts["metric"] - 50
    expected = {k: n - 3 for k, n in counts.items() if n > 3}
    assert capped["truncated"] == expected and expected["program"] > 0
    per_kind: dict[str, int] = {}
    for n in capped["nodes"][1:]:
        per_kind[n["kind"]] = per_kind.get(n["kind"], 0) + 1
    assert per_kind == {k: min(n, 3) for k, n in counts.items()}
    # the most connected first: 法律明白人 (4 mentions in 盖州市's report) is among the programs
    kept = {n["label"] for n in capped["nodes"] if n["kind"] == "program"}
    assert len(kept) == 3
    assert len(full["nodes"]) == 1 + sum(min(n, 50) for n in counts.values())


def test_kinds_filter(graph_client):
    body = graph_client.get(url("210881", kinds="program,document")).json()
    check_shape(body)
    assert {n["kind"] for n in body["nodes"][1:]} == {"program", "document"}
    assert set(body["counts"]) == {"program", "document"}
    # sentences on request: each one mentions the program
    body = graph_client.get(url(PROGRAM, kinds="sentence")).json()
    check_shape(body)
    sents = [n for n in body["nodes"] if n["kind"] == "sentence"]
    assert len(sents) >= 3
    assert all("法律明白人" in n["attrs"]["text"] for n in sents)
    assert {e["kind"] for e in body["edges"]} == {"mentions"}


def test_year_filter(graph_client):
    body = graph_client.get(url(PROGRAM, year="2022")).json()
    check_shape(body)
    assert {n["label"] for n in body["nodes"] if n["kind"] == "jurisdiction"} == {"大河镇"}
    assert all(e["year"] in (None, 2022) for e in body["edges"])
    assert any(e["kind"] == "broader" for e in body["edges"])  # undated edges stay
    body = graph_client.get(url(PROGRAM, year="2024", kinds="jurisdiction")).json()
    assert {n["label"] for n in body["nodes"][1:]} == {"盖州市", "济宁太白湖新区"}
    body = graph_client.get(url(PROGRAM, year="2019")).json()
    assert [n["kind"] for n in body["nodes"][1:]] == ["program"]


def test_report_and_sentence_centres(graph_client):
    body = graph_client.get(url("000_4ee9ce8ba8ed3195.txt", kinds="jurisdiction,program")).json()
    check_shape(body)
    report = body["node"]
    assert report["kind"] == "report" and report["year"] == 2024
    assert report["label"] == "盖州市 2024年报告"
    assert any(e["kind"] == "reporter" and e["target"] == GAIZHOU for e in body["edges"])
    assert any(e["kind"] == "runs" and e["target"] == PROGRAM for e in body["edges"])
    assert all(e["source"] == report["id"] for e in body["edges"])

    prog = graph_client.get(url(PROGRAM)).json()
    sid = next(e for e in prog["edges"] if e["source"] == GAIZHOU)["evidence"]["sentence_id"]
    body = graph_client.get(url(sid)).json()
    check_shape(body)
    assert body["node"]["kind"] == "sentence" and "法律明白人" in body["node"]["attrs"]["text"]
    kinds = {(e["kind"], by_id(body)[e["target"]]["kind"]) for e in body["edges"]}
    assert ("in_report", "report") in kinds and ("mentions", "program") in kinds


def test_agency_and_document_centres(graph_client):
    body = graph_client.get(url("盖州市人民法院")).json()
    check_shape(body)
    assert body["node"]["kind"] == "agency"
    assert any(e["kind"] == "mentions" and e["source"] == GAIZHOU for e in body["edges"])
    doc = next(n for n in graph_client.get(url("210881", kinds="document")).json()["nodes"][1:])
    body = graph_client.get(url(doc["id"])).json()
    check_shape(body)
    assert body["node"]["kind"] == "document"
    assert any(e["kind"] in ("issued", "cites") and e["evidence"] for e in body["edges"])


def test_edge_ids_are_stable(graph_client):
    a = graph_client.get(url(PROGRAM)).json()
    b = graph_client.get(url("法律明白人")).json()
    assert [e["id"] for e in a["edges"]] == [e["id"] for e in b["edges"]]


@pytest.mark.parametrize(
    "ref",
    [
        "nope",
        "https://w3id.org/fazhi-kg/id/program/no-such-program",
        "999999",
        "https://example.org/x y",
        "fzid:agency/无此机关",
    ],  # fmt: skip
)
def test_unknown_node_404(graph_client, ref):
    r = graph_client.get(url(ref))
    assert r.status_code == 404
    assert r.json()["error"]["status"] == 404 and r.json()["error"]["message"]


def test_ontology_terms_are_not_nodes(graph_client):
    r = graph_client.get(url("https://w3id.org/fazhi-kg/ontology#Report"))
    assert r.status_code == 404


def test_ambiguous_label_409(graph_client):
    r = graph_client.get(url("以案释法"))  # a program and a document title
    assert r.status_code == 409
    msg = r.json()["error"]["message"]
    assert "program" in msg and "document" in msg


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"year": "1800"}, {"year": "20245"}, {"kinds": "program,foo"}],
)
def test_bad_parameters_422(graph_client, params):
    r = graph_client.get(url("210881", **params))
    assert r.status_code == 422
    assert r.json()["error"]["status"] == 422


def test_injection_is_inert(graph_client):
    for ref in ['x" } ; DROP ALL ; #', "> } DROP ALL { <", '盖州市" || true || "']:
        r = graph_client.get(url(ref))
        assert r.status_code == 404
    assert graph_client.get(url("210881")).status_code == 200


# ------------------------------------------------------------------------- suggest


def test_suggest(graph_client):
    r = graph_client.get("/graph/suggest", params={"q": "法律明白"})
    assert r.status_code == 200
    body = r.json()
    assert body["items"][0]["id"] == PROGRAM and body["items"][0]["kind"] == "program"
    assert body["limit"] == 10 and body["offset"] == 0 and body["total"] >= 1
    # an alias finds the program and says which alias matched
    body = graph_client.get("/graph/suggest", params={"q": "法律明白人培养工程"}).json()
    assert body["items"][0]["id"] == PROGRAM
    assert body["items"][0]["matched"] == "法律明白人培养工程"
    # exact before prefix before substring; jurisdictions first among equals
    body = graph_client.get("/graph/suggest", params={"q": "盖州市"}).json()
    assert body["items"][0]["id"] == GAIZHOU
    labels = [i["label"] for i in body["items"]]
    assert "盖州市人民法院" in labels


def test_suggest_filters_and_pages(graph_client):
    body = graph_client.get("/graph/suggest", params={"q": "法院", "kinds": "agency"}).json()
    assert body["items"] and all(i["kind"] == "agency" for i in body["items"])
    total = body["total"]
    assert total >= 2
    page = graph_client.get("/graph/suggest", params={"q": "法院", "kinds": "agency",
                                                       "limit": 1, "offset": 1}).json()  # fmt: skip
    assert page["total"] == total and len(page["items"]) == 1
    assert page["items"][0]["id"] == body["items"][1]["id"]
    assert graph_client.get("/graph/suggest", params={"q": "ABCXYZ"}).json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "  "},
        {"q": "x", "limit": "0"},
        {"q": "x", "limit": "101"},
        {"q": "x", "offset": "-1"},
        {"q": "x", "kinds": "nope"},
        {"q": "x" * 101},
    ],  # fmt: skip
)
def test_suggest_bad_parameters(graph_client, params):
    r = graph_client.get("/graph/suggest", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["status"] == 422


def test_library_parse_kinds():
    assert explore.parse_kinds(None) is None
    assert explore.parse_kinds(" Program , agency ") == {"program", "agency"}
    with pytest.raises(ValueError):
        explore.parse_kinds("programme")


# ------------------------------------------------------------------------- the page


def test_explorer_page_fetches_nothing_from_outside(graph_client):
    r = graph_client.get("/explorer")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs
    for ref in refs:
        if ref.startswith("data:"):  # the empty favicon
            continue
        assert ref.startswith("/"), f"{ref} is not served by the app"
        res = graph_client.get(ref)
        if ref == "/docs":
            continue
        assert res.status_code == 200, ref
    assert "http://" not in html and "https://" not in html
    js = graph_client.get("/explorer/static/explorer.js")
    assert js.headers["content-type"].startswith("text/javascript")
    assert not re.search(r"https?://(?!www\.w3\.org)", js.text.replace("/^https?:\\/\\//", ""))
    css = graph_client.get("/static/vendor/noto-sans-sc/noto-sans-sc.css")
    assert css.status_code == 200 and "font-family: 'Noto Sans SC'" in css.text
    fonts = re.findall(r"url\(\./(files/[^)]+\.woff2)\)", css.text)
    assert len(fonts) > 50
    for f in fonts[:3] + fonts[-3:]:
        res = graph_client.get(f"/static/vendor/noto-sans-sc/{f}")
        assert res.status_code == 200 and res.headers["content-type"] == "font/woff2"
    assert "http" not in css.text.split("*/", 1)[1]


def test_vendored_files_match_their_manifest():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "vendor_assets.py"
    spec = importlib.util.spec_from_file_location("vendor_assets", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.check() == 0
    total = sum(p.stat().st_size for p in mod.VENDOR.rglob("*") if p.is_file())
    assert total < 5_000_000


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/%2e%2e/%2e%2e/app.py",
        "/explorer/static/%2e%2e/vendor/MANIFEST.jsonx",
        "/explorer/static/nope.js",
        "/static/vendor/cytoscape",
        "/explorer/static/../../app.py",
    ],  # fmt: skip
)
def test_static_files_stay_inside(graph_client, path):
    assert graph_client.get(path).status_code == 404


# ------------------------------------------------------------------------- one node


@pytest.mark.parametrize(
    ("ref", "kind", "label"),
    [
        ("fa-lv-ming-bai-ren", "program", "法律明白人"),
        ("210881000000", "jurisdiction", "盖州市"),
        ("zone:济宁太白湖新区", "jurisdiction", "济宁太白湖新区"),
        ("盖州市人民法院", "agency", "盖州市人民法院"),
        ("000_4ee9ce8ba8ed3195.txt", "report", "盖州市 2024年报告"),
    ],
)
def test_get_node(graph_client, ref, kind, label):
    r = graph_client.get(f"/graph/nodes/{quote(ref, safe='')}")
    assert r.status_code == 200, r.text
    node = r.json()
    assert node["kind"] == kind and node["label"] == label
    assert node["id"].startswith("https://w3id.org/fazhi-kg/id/")
    # the IRI names the same node
    assert graph_client.get(f"/graph/nodes/{quote(node['id'], safe='')}").json() == node


def test_ids_of_search_resolve(graph_client):
    """The page resolves /search hits (kind + id) with /graph/nodes/{ref}."""
    hits = graph_client.get("/search", params={"q": "盖州", "limit": 50})
    if hits.status_code == 404:
        pytest.skip("no /search route")
    seen = set()
    for hit in hits.json()["items"]:
        ref = hit["id"] if hit["kind"] == "jurisdiction" else f"{hit['kind']}/{hit['id']}"
        r = graph_client.get(f"/graph/nodes/{quote(ref, safe='')}")
        assert r.status_code == 200, (hit, r.text)
        assert r.json()["kind"] == hit["kind"] and r.json()["label"] == hit["label"]
        # the bare id works too
        assert graph_client.get(f"/graph/nodes/{quote(hit['id'], safe='')}").status_code == 200
        seen.add(hit["kind"])
    assert {"jurisdiction", "agency", "document"} <= seen


def test_get_node_errors(graph_client):
    assert graph_client.get("/graph/nodes/nope").status_code == 404
    assert graph_client.get(f"/graph/nodes/{quote('以案释法')}").status_code == 409
    assert graph_client.get("/graph/nodes/" + "x" * 2001).status_code == 422
