"""Summaries materialised at build time (kg.summaries) over a small synthetic store whose facts
are known exactly: a runner, a plan-only mention, a negated one, a problems-only one, a
duplicate report that must not count, documents, an agency and metric observations.

``synthetic_store()`` is also used by tests/api/test_resources.py.
"""

from __future__ import annotations

import json

import pytest

from kg import rdf
from kg.gazetteer import load as load_gazetteer
from kg.iri import report_graph
from kg.model import Fact, Jurisdiction, Mention, Report
from kg.store import OxigraphStore
from kg.summaries import (
    GRAPH_SUMMARIES,
    RDF_JSON,
    SUMMARY,
    compute,
    index_iri,
    input_signature,
    name_key,
    pinyin_keys,
    refresh_summaries,
    stored_stamp,
    view,
)
from kg.vocab import GRAPH_DUPLICATES, GRAPH_GAZETTEER, ID_NS

PROGRAM = ID_NS + "program/fa-lv-ming-bai-ren"
ONE_NETWORK = ID_NS + "program/yi-wang-tong-ban"
CANDIDATE = ID_NS + "program/candidate/san-shu-tong-da"
GAIZHOU = ID_NS + "jurisdiction/210881000000"
DAHE = ID_NS + "jurisdiction/520201101000"

URL_ID = "https://www.gaizhou.gov.cn/fzzf/2024/report.html"
MIRROR_ID = "mirror/gaizhou-copy.txt"
DAHE_ID = "dahe/2022.txt"
ZONE_ID = "zone/taibaihu.txt"

GAIZHOU_J = Jurisdiction("盖州市", "210881000000", "county", ["辽宁省", "营口市", "盖州市"], 0.99)
DAHE_J = Jurisdiction("大河镇", "520201101000", "township",
                      ["贵州省", "六盘水市", "钟山区", "大河镇"], 0.9)  # fmt: skip
ZONE_J = Jurisdiction("济宁太白湖新区", None, "zone", ["山东省", "济宁市", "济宁太白湖新区"], 0.9)


def make_report(rid: str, j: Jurisdiction, year: int, sentences: list[tuple[str, str]],
                facts: list[tuple], url: str | None = None) -> tuple[Report, list[Fact], dict]:  # fmt: skip
    """A report from (section, sentence) pairs and facts
    ``(sentence index, surface, kind, label, negated, id, attrs)``."""
    text = ""
    spans = {}
    for i, (section, s) in enumerate(sentences):
        spans[i] = (len(text), len(text) + len(s), s, section)
        text += s + "\n"
    report = Report(id=rid, version=f"{hash(text) & 0xFFFFFFFF:064x}", source=rid, text=text,
                    url=url, year=year, jurisdiction=j)  # fmt: skip
    out = []
    for si, surface, kind, label, negated, fid, attrs in facts:
        start0, _end, stext, section = spans[si]
        at = stext.index(surface)
        out.append(Fact(kind=kind, label=label, mention=Mention(start0 + at, start0 + at + len(surface), surface),
                        sentence_id=si, sentence=stext, section=section, negated=negated,
                        component=f"{kind}s@1", confidence=0.9, id=fid, attrs=attrs))  # fmt: skip
    return report, out, spans


def _reports() -> list[tuple[Report, list[Fact], dict]]:
    law = {"title": "中华人民共和国民法典", "role": "cited", "doc_kind": "law"}
    plan = {"title": "盖州市2024年普法依法治理工作要点", "role": "issued", "issuer": "盖州市",
            "doc_kind": "plan", "year": 2024}  # fmt: skip
    metric = {"value": 50, "unit": "件", "base_value": 50, "base_unit": "件", "qualifier": "调解",
              "scope": "annual", "subject": "矛盾纠纷", "metric": "mediation_cases"}  # fmt: skip
    gaizhou = make_report(URL_ID, GAIZHOU_J, 2024, [
        ("achievements", "全市培育法律明白人1490名。"),
        ("achievements", "印发《盖州市2024年普法依法治理工作要点》,市司法局牵头落实。"),
        ("achievements", "推行“三书同达”,调解矛盾纠纷120件。"),
        ("plans", "下一步,推进一网通办。"),
    ], [
        (0, "法律明白人", "program", "法律明白人", False, PROGRAM, {"category": "普法"}),
        (1, "《盖州市2024年普法依法治理工作要点》", "document", "盖州市2024年普法依法治理工作要点",
         False, None, plan),
        (1, "市司法局", "agency", "盖州市司法局", False, None,
         {"agency_type": "司法局", "jurisdiction": {"code": "210881000000"}}),
        (2, "三书同达", "program", "三书同达", False, CANDIDATE, {"candidate": True}),
        (2, "调解矛盾纠纷120件", "metric", "矛盾纠纷", False, None, {**metric, "value": 120,
                                                               "base_value": 120}),
        (3, "一网通办", "program", "一网通办", False, ONE_NETWORK, {"category": "政务服务"}),
    ], url=URL_ID)  # fmt: skip
    mirror = make_report(MIRROR_ID, GAIZHOU_J, 2024, [
        ("achievements", "全市培育法律明白人1490名。"),
    ], [(0, "法律明白人", "program", "法律明白人", False, PROGRAM, {})])  # fmt: skip
    dahe = make_report(DAHE_ID, DAHE_J, 2022, [
        ("achievements", "本年度未开展法律明白人培训。"),
        ("achievements", "学习《民法典》,调解纠纷50件。"),
    ], [
        (0, "法律明白人", "program", "法律明白人", True, PROGRAM, {}),
        (1, "《民法典》", "document", "中华人民共和国民法典", False, None, law),
        (1, "调解纠纷50件", "metric", "纠纷", False, None, metric),
    ])  # fmt: skip
    zone = make_report(ZONE_ID, ZONE_J, 2024, [
        ("problems", "法律明白人作用发挥不够充分。"),
        ("achievements", "调解纠纷500件。"),
    ], [
        (0, "法律明白人", "program", "法律明白人", False, PROGRAM, {}),
        (1, "调解纠纷500件", "metric", "纠纷", False, None,
         {**metric, "value": 500, "base_value": 500}),
    ])  # fmt: skip
    return [gaizhou, mirror, dahe, zone]


def synthetic_store(summaries: bool = True) -> OxigraphStore:
    """Four reports (one a duplicate), their places, optionally their summaries."""
    store = OxigraphStore(None)
    for report, facts, spans in _reports():
        store.replace_graph(
            report_graph(report.id),
            rdf.report_quads(report, facts, spans, build_id="test", fingerprint="fp"),
        )
    gaz = load_gazetteer()
    places = {}
    for key in ("210881000000", "520201101000", "zone:济宁太白湖新区"):
        p = gaz.get(key)
        assert p is not None, key
        for q in [*gaz.ancestors(p), p]:
            places[q.key] = q
    store.replace_graph(GRAPH_GAZETTEER, rdf.jurisdiction_quads(list(places.values()), gaz))
    store.replace_graph(GRAPH_DUPLICATES, rdf.duplicate_quads({MIRROR_ID: URL_ID}))
    if summaries:
        refresh_summaries(store)
    return store


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return synthetic_store()


@pytest.fixture(scope="module")
def docs(store: OxigraphStore) -> dict:
    return compute(store)


def test_program_lists_are_kept_apart(docs):
    p = docs[PROGRAM]
    assert [r["jurisdiction"]["name"] for r in p["adopted_by"]] == ["盖州市"]
    assert [r["jurisdiction"]["name"] for r in p["negated"]] == ["大河镇"]
    assert [r["jurisdiction"]["name"] for r in p["problems_only"]] == ["济宁太白湖新区"]
    assert p["plan_only"] == []
    row = p["adopted_by"][0]
    assert row["report"] == URL_ID and row["url"] == URL_ID and row["year"] == 2024
    assert row["jurisdiction"]["code"] == "210881000000"
    assert row["jurisdiction"]["parent"]["name"] == "营口市"
    assert row["jurisdiction"]["path"] == ["辽宁省", "营口市", "盖州市"]
    assert row["sentence"] == "全市培育法律明白人1490名。"
    assert row["section"] == "achievements" and not row["negated"]
    assert p["negated"][0]["negated"] and p["negated"][0]["negated_any"]
    zone = p["problems_only"][0]["jurisdiction"]
    assert zone["id"] == "zone:济宁太白湖新区" and zone["code"] is None and zone["level"] == "zone"


def test_duplicates_do_not_count(docs):
    p = docs[PROGRAM]
    assert p["counts"] == {"adopters": 1, "reports": 1, "plan_only": 0, "negated": 1,
                           "problems_only": 1, "mentions": 3}  # fmt: skip
    assert all(r["report"] != MIRROR_ID for r in p["adopted_by"])


def test_plan_only_program(docs):
    p = docs[ONE_NETWORK]
    assert p["adopters"] == 0 and p["adopted_by"] == []
    assert [r["jurisdiction"]["name"] for r in p["plan_only"]] == ["盖州市"]
    assert p["plan_only"][0]["plan_only"] is True and p["plan_only"][0]["section"] == "plans"


def test_candidate_program(docs):
    items = {it["id"]: it for it in docs[index_iri("programs")]}
    assert items["candidate/san-shu-tong-da"]["candidate"] is True
    assert items["fa-lv-ming-bai-ren"]["candidate"] is False
    assert items["fa-lv-ming-bai-ren"]["category"] == "普法"


def test_jurisdiction_profile(docs):
    j = docs[GAIZHOU]
    assert j["id"] == "210881000000" and j["level"] == "county"
    assert j["province"]["name"] == "辽宁省" and j["parent"]["name"] == "营口市"
    assert [p["id"] for p in j["programs"]] == ["fa-lv-ming-bai-ren", "candidate/san-shu-tong-da"]
    assert [p["id"] for p in j["plan_only_programs"]] == ["yi-wang-tong-ban"]
    assert [d["title"] for d in j["documents_issued"]] == ["盖州市2024年普法依法治理工作要点"]
    assert [a["label"] for a in j["agencies"]] == ["盖州市司法局"]
    assert {r["id"] for r in j["reports"]} == {URL_ID, MIRROR_ID}
    assert j["report_count"] == 1  # the mirror is a duplicate
    assert [y["year"] for y in j["metrics_by_year"]] == [2024]
    assert docs[DAHE]["plan_only_programs"] == [] and docs[DAHE]["programs"] == []


def test_jurisdiction_index_and_ancestors(docs):
    items = {it["id"]: it for it in docs[index_iri("jurisdictions")]["items"]}
    assert {"210881000000", "210800000000", "210000000000", "zone:济宁太白湖新区"} <= set(items)
    assert items["210800000000"]["report_count"] == 0
    assert items["zone:济宁太白湖新区"]["parent"]["id"] == "370800000000"


def test_metric_concept_sorted_by_base_value(docs):
    index = docs[index_iri("metrics")]
    assert [c["id"] for c in index["concepts"]] == ["mediation_cases"]
    concept = index["concepts"][0]
    assert concept["observations"] == 3 and concept["jurisdictions"] == 3
    assert concept["label"] == "调解纠纷件数"  # from extractors/data/metric_concepts.tsv
    obs = docs[concept["iri"]]["items"]
    assert [o["base_value"] for o in obs] == [500, 120, 50]
    assert obs[0]["jurisdiction"]["name"] == "济宁太白湖新区"
    assert obs[2]["sentence"] == "学习《民法典》,调解纠纷50件。"


def test_documents(docs):
    items = {it["title"]: it for it in docs[index_iri("documents")]}
    law = items["中华人民共和国民法典"]
    assert law["roles"] == {"issued": 0, "cited": 1} and law["reporters"] == 1
    plan = items["盖州市2024年普法依法治理工作要点"]
    assert plan["issuer"] == "盖州市" and plan["issuer_id"] == "210881000000"
    assert plan["issuer_kind"] == "jurisdiction" and plan["kind"] == "plan"
    assert docs[plan["iri"]]["mentioned_by"][0]["roles"] == ["issued"]


def test_reports_index(docs):
    items = {it["id"]: it for it in docs[index_iri("reports")]}
    assert items[MIRROR_ID]["duplicate_of"] == URL_ID
    assert items[URL_ID]["facts"] == {"program": 3, "agency": 1, "document": 1, "metric": 1}


def test_search_index_has_pinyin(docs):
    entries = {(e[0], e[1]): e for e in docs[index_iri("search")]}
    e = entries[("program", "fa-lv-ming-bai-ren")]
    assert "falvmingbairen" in e[4] and "flmbr" in e[5]
    gz = entries[("jurisdiction", "210881000000")]
    assert "gaizhou" in gz[4]  # the gazetteer's stem key


def test_refresh_is_a_noop_when_nothing_changed_and_reruns_when_something_did():
    store = synthetic_store()
    stamp = stored_stamp(store)
    assert stamp == input_signature(store)
    assert refresh_summaries(store) is False
    report, facts, spans = make_report("extra/2023.txt", GAIZHOU_J, 2023, [
        ("achievements", "持续培育法律明白人。"),
    ], [(0, "法律明白人", "program", "法律明白人", False, PROGRAM, {})])  # fmt: skip
    before = view(store).doc(PROGRAM)["counts"]["reports"]
    store.replace_graph(report_graph(report.id), rdf.report_quads(report, facts, spans))
    assert refresh_summaries(store) is True
    assert stored_stamp(store) != stamp
    assert view(store).doc(PROGRAM)["counts"]["reports"] == before + 1
    assert view(store).doc(PROGRAM)["counts"]["adopters"] == 1  # same jurisdiction


def test_summaries_graph_layout(store):
    quads = list(store.quads(None, None, None, GRAPH_SUMMARIES))
    docs_ = [q for q in quads if q.predicate.value == SUMMARY]
    assert all(q.object.datatype.value == RDF_JSON for q in docs_)
    subjects = {q.subject.value for q in docs_}
    assert {index_iri(n) for n in ("programs", "jurisdictions", "metrics", "documents",
                                    "reports", "agencies", "search")} <= subjects  # fmt: skip
    assert PROGRAM in subjects and GAIZHOU in subjects
    prog = next(q for q in docs_ if q.subject.value == PROGRAM)
    assert json.loads(prog.object.value)["id"] == "fa-lv-ming-bai-ren"
    # summaries are queryable like any other graph
    rows = list(
        store.select(f"SELECT ?s WHERE {{ GRAPH <{GRAPH_SUMMARIES}> {{ ?s <{SUMMARY}> ?j }} }}")
    )
    assert len(rows) == len(docs_)


def test_view_without_stored_summaries_computes_in_memory():
    store = synthetic_store(summaries=False)
    assert stored_stamp(store) is None
    v = view(store)
    assert v.stamp.startswith("live:")
    assert v.doc(PROGRAM)["counts"]["adopters"] == 1
    assert store.graph_exists(GRAPH_SUMMARIES) is False  # nothing written


def test_name_key_and_pinyin():
    assert name_key("“法律明白人”") == name_key("法律明白人") == "法律明白人"
    assert name_key("一網通辦") == "一网通办"
    assert name_key("Open  Government") == "opengovernment"
    assert pinyin_keys("法律明白人") == ("falvmingbairen", "flmbr")
    assert pinyin_keys("12345热线") == ("12345rexian", "1rx")
    assert pinyin_keys("hotline") is None


def test_document_cache_is_bounded_by_size():
    from kg.summaries import _MISSING, _Cache

    cache = _Cache(budget=100)
    cache.put(("s", "a"), "A", 60)
    cache.put(("s", "b"), "B", 30)
    assert cache.get(("s", "a")) == "A"  # a is now the most recently used
    cache.put(("s", "c"), "C", 30)  # over budget: the least recently used (b) goes
    assert cache.get(("s", "b")) is _MISSING
    assert cache.get(("s", "a")) == "A" and cache.get(("s", "c")) == "C"
    assert cache.used == 90
    cache.put(("s", "big"), "X", 1000)  # larger than the budget: kept alone
    assert cache.get(("s", "big")) == "X" and len(cache.docs) == 1
