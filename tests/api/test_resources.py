"""The domain REST resources over the seed graph (and a small synthetic graph for the cases the
seeds do not have: negated mentions, duplicates, report ids that are URLs)."""

from __future__ import annotations

import statistics
import time
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.test_summaries import MIRROR_ID, URL_ID, synthetic_store

FLMBR = "fa-lv-ming-bai-ren"
GAIZHOU_REPORT = "000_4ee9ce8ba8ed3195.txt"
ZONE = "zone:济宁太白湖新区"


@pytest.fixture(scope="module")
def client(resources_client: TestClient) -> TestClient:
    return resources_client


@pytest.fixture(scope="module")
def synth() -> TestClient:
    with TestClient(create_app(Settings(store="memory:"), store=synthetic_store())) as c:
        yield c


def error(resp, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["error"]["status"] == status
    return body["error"]["message"]


# ---------------------------------------------------------------------------------------------
# /programs


def test_programs_list_sorted_by_adopters(client):
    body = client.get("/programs").json()
    assert body["total"] >= 113 and body["limit"] == 50 and body["offset"] == 0
    adopters = [it["adopters"] for it in body["items"]]
    assert adopters == sorted(adopters, reverse=True)
    assert all(it["adopters"] == it["counts"]["adopters"] for it in body["items"])


def test_programs_filters(client):
    cand = client.get("/programs", params={"candidate": "true", "limit": 500}).json()
    assert cand["total"] >= 10 and all(it["candidate"] for it in cand["items"])
    assert all(it["id"].startswith("candidate/") for it in cand["items"])
    cur = client.get("/programs", params={"candidate": "false", "limit": 500}).json()
    assert cur["total"] + cand["total"] == client.get("/programs").json()["total"]
    pufa = client.get("/programs", params={"category": "普法", "limit": 500}).json()
    assert pufa["total"] > 0 and all(it["category"] == "普法" for it in pufa["items"])
    assert FLMBR in {it["id"] for it in pufa["items"]}
    by_label = client.get("/programs", params={"sort": "label", "limit": 500}).json()["items"]
    assert [it["label"] for it in by_label] == sorted(it["label"] for it in by_label)
    q = client.get("/programs", params={"q": "明白人"}).json()
    assert [it["id"] for it in q["items"]] == [FLMBR]


def test_programs_pagination(client):
    full = client.get("/programs", params={"limit": 500}).json()
    p1 = client.get("/programs", params={"limit": 10, "offset": 0}).json()
    p2 = client.get("/programs", params={"limit": 10, "offset": 10}).json()
    assert p1["total"] == p2["total"] == full["total"]
    assert [it["id"] for it in p1["items"] + p2["items"]] == [it["id"] for it in full["items"][:20]]
    tail = client.get("/programs", params={"limit": 10, "offset": full["total"] - 3}).json()
    assert len(tail["items"]) == 3 and tail["total"] == full["total"]
    beyond = client.get("/programs", params={"offset": 100000}).json()
    assert beyond["items"] == [] and beyond["total"] == full["total"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": "x"},
        {"offset": -1},
        {"candidate": "maybe"},
        {"sort": "popularity"},
    ],  # fmt: skip
)
def test_programs_bad_parameters(client, params):
    error(client.get("/programs", params=params), 422)


def test_program_done_when(client):
    """/programs/{法律明白人} lists 盖州市, 大河镇 and 济宁太白湖新区 with sentences."""
    resp = client.get(f"/programs/{FLMBR}")
    assert resp.status_code == 200
    p = resp.json()
    assert p["label"] == "法律明白人" and p["category"] == "普法" and not p["candidate"]
    rows = {r["jurisdiction"]["name"]: r for r in p["adopted_by"]}
    assert {"盖州市", "大河镇", "济宁太白湖新区"} <= set(rows)
    for r in rows.values():
        assert "法律明白人" in r["sentence"]
        assert (
            r["sentence"][r["start"] - r["sentence_start"] : r["end"] - r["sentence_start"]]
            == r["surface"]
        )
    gz = rows["盖州市"]["jurisdiction"]
    assert gz["code"] == "210881000000" and gz["level"] == "county"
    assert gz["parent"]["name"] == "营口市" and gz["path"] == ["辽宁省", "营口市", "盖州市"]
    assert rows["大河镇"]["jurisdiction"]["code"] == "520201101000"
    assert rows["大河镇"]["year"] == 2022 and rows["大河镇"]["section"] == "achievements"
    zone = rows["济宁太白湖新区"]["jurisdiction"]
    assert zone["code"] is None and zone["level"] == "zone" and zone["id"] == ZONE
    assert zone["parent"]["name"] == "济宁市"
    assert p["counts"]["adopters"] == p["adopters"] == len(p["adopted_by"])
    assert p["plan_only"] == [] and p["negated"] == []


def test_program_by_label_candidate_and_iri(client):
    assert client.get("/programs/法律明白人").json()["id"] == FLMBR
    cand = client.get("/programs/candidate/san-shu-tong-da")
    assert cand.status_code == 200 and cand.json()["candidate"] is True
    assert all("三书同达" in r["sentence"] for r in cand.json()["adopted_by"])
    iri = quote("https://w3id.org/fazhi-kg/id/program/" + FLMBR, safe="")
    assert client.get(f"/programs/{iri}").json()["id"] == FLMBR


def test_program_unknown_and_limit(client):
    assert "no program" in error(client.get("/programs/no-such-program"), 404)
    error(client.get(f"/programs/{FLMBR}", params={"limit": 0}), 422)
    capped = client.get(f"/programs/{FLMBR}", params={"limit": 1}).json()
    assert len(capped["adopted_by"]) == 1 and capped["counts"]["adopters"] == 3


def test_every_listed_program_has_a_page(client):
    for it in client.get("/programs", params={"limit": 500}).json()["items"]:
        r = client.get(f"/programs/{it['id']}")
        assert r.status_code == 200, it["id"]
        assert r.json()["id"] == it["id"]


def test_program_lists_kept_apart_and_duplicates_excluded(synth):
    p = synth.get(f"/programs/{FLMBR}").json()
    assert [r["jurisdiction"]["name"] for r in p["adopted_by"]] == ["盖州市"]
    assert [r["jurisdiction"]["name"] for r in p["negated"]] == ["大河镇"]
    assert [r["jurisdiction"]["name"] for r in p["problems_only"]] == ["济宁太白湖新区"]
    assert p["counts"]["reports"] == 1  # the mirror copy does not count
    assert p["adopted_by"][0]["url"] == URL_ID
    plan = synth.get("/programs/yi-wang-tong-ban").json()
    assert plan["adopters"] == 0 and plan["plan_only"][0]["plan_only"] is True


# ---------------------------------------------------------------------------------------------
# /jurisdictions


def test_jurisdictions_list_and_filters(client):
    body = client.get("/jurisdictions").json()
    ids = {it["id"] for it in body["items"]}
    assert {"210881000000", "520201101000", ZONE} <= ids
    counties = client.get("/jurisdictions", params={"level": "county"}).json()
    assert counties["total"] >= 1 and all(it["level"] == "county" for it in counties["items"])
    for p in ("210800", "210800000", "210800000000"):
        kids = client.get("/jurisdictions", params={"parent": p}).json()
        assert [it["name"] for it in kids["items"]] == ["盖州市"]
    for prov in ("辽宁", "辽宁省", "遼寧省", "210000"):
        items = client.get("/jurisdictions", params={"province": prov}).json()["items"]
        assert {it["name"] for it in items} == {"辽宁省", "营口市", "盖州市"}, prov
    assert client.get("/jurisdictions", params={"province": "火星"}).json()["total"] == 0
    assert client.get("/jurisdictions", params={"q": "盖州"}).json()["items"][0]["name"] == "盖州市"
    page = client.get("/jurisdictions", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == body["total"] and len(page["items"]) == 2


@pytest.mark.parametrize(
    "params, status",
    [({"level": "city"}, 422), ({"limit": 1000}, 422), ({"offset": -5}, 422),
     ({"parent": "2108"}, 400), ({"parent": "yingkou"}, 400), ({"province": "1234567"}, 400)],
)  # fmt: skip
def test_jurisdictions_bad_parameters(client, params, status):
    error(client.get("/jurisdictions", params=params), status)


def test_jurisdiction_done_when(client):
    """/jurisdictions/210881 is 盖州市's profile."""
    resp = client.get("/jurisdictions/210881")
    assert resp.status_code == 200
    j = resp.json()
    assert j["name"] == "盖州市" and j["code"] == "210881000000" and j["level"] == "county"
    assert j["requested"] == "210881"
    assert j["parent"]["name"] == "营口市" and j["province"]["name"] == "辽宁省"
    assert [r["id"] for r in j["reports"]] == [GAIZHOU_REPORT]
    progs = {p["id"]: p for p in j["programs"]}
    assert FLMBR in progs and progs[FLMBR]["years"] == [2024]
    assert "法律明白人" in progs[FLMBR]["evidence"]["sentence"]
    assert j["counts"]["programs"] == len(j["programs"]) > 10
    assert j["plan_only_programs"] and not set(progs) & {p["id"] for p in j["plan_only_programs"]}
    assert "盖州市人民检察院" in {a["label"] for a in j["agencies"]}
    assert "盖州市2024年度涉企行政执法检查计划" in {d["title"] for d in j["documents_issued"]}
    years = j["metrics_by_year"]
    assert years[0]["year"] == 2024
    obs = years[0]["observations"]
    assert any(o["value"] == 4727 and o["unit"] == "起" for o in obs)
    assert any(o["base_value"] == 73209000 and o["base_unit"] == "元" for o in obs)


def test_jurisdiction_code_forms(client):
    a = client.get("/jurisdictions/210881").json()
    assert client.get("/jurisdictions/210881000").json()["id"] == a["id"]
    assert client.get("/jurisdictions/210881000000").json()["id"] == a["id"]
    dahe = client.get("/jurisdictions/520201101").json()
    assert dahe["name"] == "大河镇" and dahe["level"] == "township"
    zone = client.get("/jurisdictions/" + quote(ZONE, safe="")).json()
    assert zone["name"] == "济宁太白湖新区" and zone["code"] is None
    assert zone["programs"] and zone["parent"]["name"] == "济宁市"
    trad = client.get("/jurisdictions/" + quote("zone:濟寧太白湖新區", safe=""))
    assert trad.status_code == 200 and trad.json()["id"] == ZONE
    yingkou = client.get("/jurisdictions/210800").json()
    assert [c["name"] for c in yingkou["children"]] == ["盖州市"]
    assert yingkou["reports"] == [] and yingkou["report_count"] == 0


@pytest.mark.parametrize("code", ["12345", "2108810", "abc", "zone:", "21088100000000"])
def test_jurisdiction_bad_code(client, code):
    error(client.get("/jurisdictions/" + quote(code, safe="")), 400)


def test_jurisdiction_unknown(client):
    error(client.get("/jurisdictions/999999"), 404)
    error(client.get("/jurisdictions/" + quote("zone:不存在新区", safe="")), 404)
    error(client.get("/jurisdictions/210881", params={"limit": 0}), 422)


def test_every_listed_jurisdiction_has_a_profile(client):
    for it in client.get("/jurisdictions", params={"limit": 500}).json()["items"]:
        r = client.get("/jurisdictions/" + quote(it["id"], safe=""))
        assert r.status_code == 200, it["id"]


# ---------------------------------------------------------------------------------------------
# /metrics


def test_metric_concepts(client):
    body = client.get("/metrics").json()
    assert body["total"] > 10 and body["unclassified"] > 0
    counts = [c["observations"] for c in body["items"]]
    assert counts == sorted(counts, reverse=True)
    ids = {c["id"] for c in body["items"]}
    assert "mediation_cases" in ids
    assert client.get("/metrics", params={"q": "调解"}).json()["total"] >= 1
    page = client.get("/metrics", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == body["total"] and len(page["items"]) == 5


def test_metric_observations_sorted_by_base_value(client):
    body = client.get("/metrics", params={"concept": "mediation_cases"}).json()
    assert body["concept"]["id"] == "mediation_cases" and body["concept"]["label"]
    bases = [o["base_value"] for o in body["items"] if o["base_value"] is not None]
    assert bases == sorted(bases, reverse=True) and len(bases) == body["total"]
    names = {o["jurisdiction"]["name"] for o in body["items"]}
    assert {"盖州市", "保定市"} <= names
    by_label = client.get("/metrics", params={"concept": body["concept"]["label"]}).json()
    assert by_label["concept"]["id"] == "mediation_cases"
    asc = client.get("/metrics/mediation_cases", params={"order": "asc"}).json()
    assert [o["base_value"] for o in asc["items"]] == bases[::-1]
    gz = client.get("/metrics/mediation_cases", params={"jurisdiction": "210881"}).json()
    assert {o["jurisdiction"]["code"] for o in gz["items"]} == {"210881000000"}
    y = client.get("/metrics/mediation_cases", params={"year": 2022}).json()
    assert y["total"] >= 1 and all(o["year"] == 2022 for o in y["items"])
    p = client.get("/metrics/mediation_cases", params={"limit": 2, "offset": 2}).json()
    assert p["total"] == body["total"] and p["items"] == body["items"][2:4]


@pytest.mark.parametrize(
    "url, params, status",
    [("/metrics", {"concept": "no_such_concept"}, 404), ("/metrics/no_such_concept", {}, 404),
     ("/metrics", {"concept": "mediation_cases", "order": "up"}, 422),
     ("/metrics", {"concept": "mediation_cases", "year": "2024年"}, 422),
     ("/metrics", {"concept": "mediation_cases", "scope": "weekly"}, 422),
     ("/metrics", {"concept": "mediation_cases", "jurisdiction": "abc"}, 400),
     ("/metrics", {"limit": 0}, 422)],
)  # fmt: skip
def test_metrics_bad_parameters(client, url, params, status):
    error(client.get(url, params=params), status)


# ---------------------------------------------------------------------------------------------
# /documents


def test_documents(client):
    body = client.get("/documents").json()
    assert body["total"] > 20
    issued = client.get("/documents", params={"role": "issued", "limit": 500}).json()
    assert issued["total"] and all(it["roles"]["issued"] > 0 for it in issued["items"])
    cited = client.get("/documents", params={"role": "cited", "limit": 500}).json()
    assert all(it["roles"]["cited"] > 0 for it in cited["items"])
    gz = client.get("/documents", params={"issuer": "盖州市", "limit": 500}).json()
    assert gz["total"] and all("盖州市" in it["issuer"] for it in gz["items"])
    by_code = client.get("/documents", params={"issuer": "210881", "limit": 500}).json()
    assert by_code["total"] and all(it["issuer_id"] == "210881000000" for it in by_code["items"])
    laws = client.get("/documents", params={"kind": "law", "limit": 500}).json()
    assert laws["total"] and all(it["kind"] == "law" for it in laws["items"])
    q = client.get("/documents", params={"q": "民法典"}).json()
    assert q["items"][0]["title"] == "中华人民共和国民法典"
    p = client.get("/documents", params={"limit": 3, "offset": 3}).json()
    assert p["total"] == body["total"] and p["items"] == body["items"][3:6]


def test_document_detail(client):
    item = client.get("/documents", params={"q": "涉企行政执法检查计划"}).json()["items"][0]
    d = client.get("/documents/" + quote(item["id"], safe="")).json()
    assert d["title"] == "盖州市2024年度涉企行政执法检查计划" and d["issuer"] == "盖州市"
    m = d["mentioned_by"][0]
    assert m["jurisdiction"]["name"] == "盖州市" and m["roles"] == ["issued"]
    assert d["title"] in m["sentence"]
    error(client.get("/documents/no-such-document"), 404)


@pytest.mark.parametrize(
    "params", [{"role": "signed"}, {"limit": 0}, {"limit": 501}, {"offset": -1}]
)
def test_documents_bad_parameters(client, params):
    error(client.get("/documents", params=params), 422)


def test_documents_bad_issuer_code(client):
    error(client.get("/documents", params={"issuer": "2108"}), 400)


# ---------------------------------------------------------------------------------------------
# /reports


def test_reports_list(client):
    body = client.get("/reports").json()
    assert body["total"] == 5
    ids = {it["id"] for it in body["items"]}
    assert GAIZHOU_REPORT in ids
    gz = client.get("/reports", params={"jurisdiction": "210881"}).json()
    assert [it["id"] for it in gz["items"]] == [GAIZHOU_REPORT]
    y = client.get("/reports", params={"year": 2022}).json()
    assert [it["jurisdiction"]["name"] for it in y["items"]] == ["大河镇"]
    error(client.get("/reports", params={"limit": 0}), 422)
    error(client.get("/reports", params={"jurisdiction": "xyz"}), 400)


def test_report_detail_with_facts_and_offsets(client):
    r = client.get(f"/reports/{GAIZHOU_REPORT}").json()
    assert r["id"] == GAIZHOU_REPORT and r["jurisdiction"]["name"] == "盖州市"
    assert r["facts"] and r["sentences"]
    sentences = {s["id"]: s for s in r["sentences"]}
    kinds = {f["kind"] for f in r["facts"]}
    assert kinds == {"program", "agency", "document", "metric"}
    for f in r["facts"]:
        s = sentences[f["sentence"]]
        assert s["text"][f["start"] - s["start"] : f["end"] - s["start"]] == f["surface"]
    metric = next(f for f in r["facts"] if f["kind"] == "metric" and f["metric"]["value"] == 4727)
    assert metric["metric"]["unit"] == "起"
    assert r["text_stored"] is False or r["text"]
    error(client.get("/reports/no-such-report.txt"), 404)


def test_report_ids_that_are_urls(synth):
    items = synth.get("/reports").json()["items"]
    assert {it["id"] for it in items} >= {URL_ID, MIRROR_ID}
    plain = synth.get(f"/reports/{URL_ID}")
    assert plain.status_code == 200 and plain.json()["id"] == URL_ID
    assert {f["kind"] for f in plain.json()["facts"]} == {"program", "agency", "document", "metric"}
    assert plain.json()["graph"].startswith("https://w3id.org/fazhi-kg/graph/report/")
    encoded = synth.get("/reports/" + quote(URL_ID, safe=""))
    assert encoded.status_code == 200 and encoded.json()["id"] == URL_ID
    mirror = synth.get(f"/reports/{MIRROR_ID}").json()
    assert mirror["duplicate_of"] == URL_ID
    canonical = synth.get("/reports", params={"duplicates": "false"}).json()
    assert MIRROR_ID not in {it["id"] for it in canonical["items"]}


# ---------------------------------------------------------------------------------------------
# /search


def test_search_traditional_characters(client):
    hits = client.get("/search", params={"q": "一網通辦"}).json()["items"]
    assert hits[0]["label"] == "一网通办" and hits[0]["kind"] == "program"
    assert hits[0]["url"] == "/programs/yi-wang-tong-ban"
    same = client.get("/search", params={"q": "一网通办"}).json()["items"]
    assert same[0]["id"] == hits[0]["id"]


def test_search_pinyin(client):
    hit = client.get("/search", params={"q": "falvmingbairen"}).json()["items"][0]
    assert hit["id"] == FLMBR and hit["match"] == "pinyin" and hit["url"] == f"/programs/{FLMBR}"
    assert (
        client.get("/search", params={"q": "fa lv ming bai ren"}).json()["items"][0]["id"] == FLMBR
    )
    assert client.get("/search", params={"q": "flmbr"}).json()["items"][0]["id"] == FLMBR
    place = client.get("/search", params={"q": "gaizhou", "kind": "jurisdiction"}).json()["items"]
    assert place[0]["id"] == "210881000000"
    assert place[0]["url"] == "/jurisdictions/210881000000"


def test_search_chinese_names(client):
    body = client.get("/search", params={"q": "法律明白人"}).json()
    assert body["items"][0]["id"] == FLMBR and body["items"][0]["match"] == "exact"
    gz = client.get("/search", params={"q": "盖州"}).json()["items"]
    assert gz[0]["kind"] == "jurisdiction" and gz[0]["label"] == "盖州市"
    assert any(h["kind"] == "agency" and h["url"] == "/jurisdictions/210881000000" for h in gz)
    doc = client.get("/search", params={"q": "民法典", "kind": "document"}).json()["items"]
    assert doc and all(h["kind"] == "document" for h in doc)
    assert client.get(doc[0]["url"]).status_code == 200
    homophone = client.get("/search", params={"q": "法律名白人"}).json()["items"]
    assert homophone[0]["id"] == FLMBR and homophone[0]["match"] == "homophone"


def test_search_pagination_and_urls(client):
    full = client.get("/search", params={"q": "盖州", "limit": 500}).json()
    p = client.get("/search", params={"q": "盖州", "limit": 3, "offset": 3}).json()
    assert p["total"] == full["total"] > 6 and p["items"] == full["items"][3:6]
    for h in full["items"]:
        if h["url"]:
            assert client.get(h["url"]).status_code == 200, h


@pytest.mark.parametrize(
    "params, status",
    [({}, 422), ({"q": ""}, 422), ({"q": "   "}, 400), ({"q": "x" * 201}, 422),
     ({"q": "盖州", "kind": "person"}, 422), ({"q": "盖州", "limit": 0}, 422),
     ({"q": "盖州", "offset": -1}, 422)],
)  # fmt: skip
def test_search_bad_parameters(client, params, status):
    error(client.get("/search", params=params), status)


def test_search_nothing(client):
    body = client.get("/search", params={"q": "zzzzqqqq"}).json()
    assert body == {"items": [], "total": 0, "limit": 20, "offset": 0}


# ---------------------------------------------------------------------------------------------
# OpenAPI, latency


ROUTES = ["/programs", "/programs/{program_id}", "/jurisdictions", "/jurisdictions/{code}",
          "/metrics", "/metrics/{concept}", "/documents", "/documents/{document_id}", "/reports",
          "/reports/{report_id}", "/search"]  # fmt: skip


def test_openapi_has_models_with_examples(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path in ROUTES:
        op = spec["paths"][path]["get"]
        content = op["responses"]["200"]["content"]["application/json"]["schema"]
        refs = [content["$ref"]] if "$ref" in content else [s["$ref"] for s in content["anyOf"]]
        for ref in refs:
            name = ref.rsplit("/", 1)[-1]
            assert schemas[name].get("examples"), name
        assert "404" in op["responses"] or "422" in op["responses"]
    assert client.get("/docs").status_code == 200


def test_p50_latency_on_the_seed_graph(client):
    urls = [f"/programs/{FLMBR}", "/jurisdictions/210881", "/metrics?concept=mediation_cases",
            "/metrics", "/search?q=falvmingbairen"]  # fmt: skip
    for u in urls:
        client.get(u)  # warm the cache
    for u in urls:
        times = []
        for _ in range(30):
            t = time.perf_counter()
            assert client.get(u).status_code == 200
            times.append(time.perf_counter() - t)
        assert statistics.median(times) < 0.05, (u, statistics.median(times))
