"""kg.rdf (model -> quads, SHACL) and kg.iri (minting)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from types import SimpleNamespace

import pyoxigraph
import pytest
from pyoxigraph import NamedNode

from kg import iri
from kg.model import Candidate, Fact, Jurisdiction, Mention, Report, Section
from kg.rdf import (
    build_record_quads,
    duplicate_quads,
    jurisdiction_quads,
    report_quads,
    validate,
)
from kg.store import OxigraphStore
from kg.vocab import FZ, GRAPH_BUILDS, GRAPH_DUPLICATES, GRAPH_GAZETTEER, ID_NS, nn

TEXT = (
    "盖州市2024年法治政府建设工作报告\n"
    "一、主要举措和成效\n"
    "全面推行行政执法三项制度，市法院审结案件4727件。"
    "制定《盖州市2024年推进更高水平法治政府建设十项重点任务》。"
    "深入学习《中华人民共和国民法典》。\n"
    "二、存在的不足\n"
    "未发生行政复议被纠错。\n"
    "三、下一步工作安排\n"
    "推进一村(社区)一法律顾问全覆盖，深化行政执法三项制度。"
)
SENTENCES = [
    "盖州市2024年法治政府建设工作报告",
    "全面推行行政执法三项制度，市法院审结案件4727件。",
    "制定《盖州市2024年推进更高水平法治政府建设十项重点任务》。",
    "深入学习《中华人民共和国民法典》。",
    "未发生行政复议被纠错。",
    "推进一村(社区)一法律顾问全覆盖，深化行政执法三项制度。",
]


def span(sentence_id: int) -> tuple[int, int, str]:
    s = SENTENCES[sentence_id]
    start = TEXT.index(s)
    return start, start + len(s), s


def fact(kind: str, label: str, surface: str, sid: int, section: str, **attrs: object) -> Fact:
    s_start, _, s_text = span(sid)
    start = TEXT.index(surface, s_start)
    negated = bool(attrs.pop("negated", False))
    return Fact(
        kind=kind,
        label=label,
        mention=Mention(start, start + len(surface), surface),
        sentence_id=sid,
        sentence=s_text,
        section=section,
        negated=negated,
        component=f"{kind}s@1",
        confidence=0.9,
        attrs=dict(attrs),
    )


def sample_report(**overrides: object) -> Report:
    def sec(kind: str, head: str, nxt: str | None) -> Section:
        start = TEXT.index(head)
        return Section(kind, start, TEXT.index(nxt) if nxt else len(TEXT), head)

    r = Report(
        id="seeds/000_gaizhou.txt",
        version=hashlib.sha256(TEXT.encode()).hexdigest(),
        source="seeds/000_gaizhou.txt",
        text=TEXT,
        url="http://www.gaizhou.gov.cn/zfxxgk/2025/01/report.html",
        fetched_at="2025-03-01T08:00:00Z",
        title="盖州市2024年法治政府建设工作报告",
        format="html",
        year=2024,
        published="2025-01-20",
        jurisdiction=Jurisdiction(
            name="盖州市",
            code="210881000000",
            level="county",
            path=["辽宁省", "营口市", "盖州市"],
            confidence=0.98,
        ),
        sections=[
            sec("achievements", "一、主要举措和成效", "二、存在的不足"),
            sec("problems", "二、存在的不足", "三、下一步工作安排"),
            sec("plans", "三、下一步工作安排", None),
        ],
    )
    for k, v in overrides.items():
        setattr(r, k, v)
    return r


def sample_facts() -> list[Fact]:
    return [
        fact("program", "行政执法三项制度", "行政执法三项制度", 1, "achievements"),
        fact("agency", "盖州市人民法院", "市法院", 1, "achievements", agency_type="court"),
        fact(
            "metric",
            "审结案件",
            "审结案件4727件",
            1,
            "achievements",
            subject="案件",
            value=4727,
            unit="件",
            base_value=4727,
            base_unit="件",
            approximate=False,
            qualifier="审结",
            scope="annual",
            agency="盖州市人民法院",
            metric=None,
        ),
        fact(
            "document",
            "盖州市2024年推进更高水平法治政府建设十项重点任务",
            "《盖州市2024年推进更高水平法治政府建设十项重点任务》",
            2,
            "achievements",
            title="盖州市2024年推进更高水平法治政府建设十项重点任务",
            role="issued",
            issuer="盖州市",
            issuer_inferred=True,
            doc_kind="plan",
        ),
        fact(
            "document",
            "中华人民共和国民法典",
            "《中华人民共和国民法典》",
            3,
            "achievements",
            title="中华人民共和国民法典",
            role="cited",
            issuer=None,
            doc_kind="law",
        ),
        fact(
            "metric",
            "行政复议被纠错",
            "行政复议被纠错",
            4,
            "problems",
            subject="行政复议被纠错",
            value=0,
            unit="件",
            scope="annual",
            negated=True,
        ),
        fact(
            "program", "一村(社区)一法律顾问", "一村(社区)一法律顾问", 5, "plans", candidate=False
        ),
        fact("program", "行政执法三项制度", "行政执法三项制度", 5, "plans"),
    ]


def load(quads: list[pyoxigraph.Quad]) -> OxigraphStore:
    store = OxigraphStore()
    store.bulk_load(quads)
    return store


# -- report_quads ----------------------------------------------------------------------------


def test_report_graph_conforms_to_shapes() -> None:
    sentences = {i: span(i) for i in (1, 2, 3)}  # 4 and 5 are located from the facts
    quads = report_quads(sample_report(), sample_facts(), "build-1", sentences, fingerprint="fp1")
    conforms, text = validate(quads)
    assert conforms, text


def test_a_report_without_version_is_caught() -> None:
    quads = report_quads(sample_report(), sample_facts())
    broken = [x for x in quads if x.predicate != nn(FZ.version)]
    conforms, text = validate(broken)
    assert not conforms
    assert "version" in text


def test_bad_values_are_caught() -> None:
    facts = sample_facts()
    facts[2].attrs["value"] = None  # a metric without a value
    conforms, text = validate(report_quads(sample_report(version="not-a-sha"), facts))
    assert not conforms
    assert "fz:value" in text or "ontology#value" in text
    assert "64 hex" in text


def test_everything_is_in_the_report_graph_and_counts_are_small() -> None:
    facts = sample_facts()
    quads = report_quads(sample_report(), facts, "b1")
    graph = nn(iri.report_graph("seeds/000_gaizhou.txt"))
    assert {x.graph_name for x in quads} == {graph}
    assert len(quads) == len(set(quads)), "no duplicate quads"
    marginal = (len(quads) - len(report_quads(sample_report(), [], "b1"))) / len(facts)
    assert marginal < 19, marginal  # 8 facts, 5 sentences: 148 quads beyond the report node
    types = [
        x.object
        for x in quads
        if x.predicate == nn("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    ]
    assert types.count(nn(FZ.Mention)) == len(facts)
    assert types.count(nn(FZ.Sentence)) == len({f.sentence_id for f in facts})
    assert types.count(nn(FZ.Program)) == 2
    assert types.count(nn(FZ.MetricObservation)) == 2


def test_provenance_and_direct_edges_by_sparql() -> None:
    report = sample_report()
    store = load(report_quads(report, sample_facts(), {i: span(i) for i in range(6)}))
    rows = list(
        store.select(
            """SELECT ?surface ?text ?start ?end ?sstart ?section WHERE {
                 ?m fz:mentionOf ?o ; fz:surface ?surface ; fz:start ?start ; fz:end ?end ;
                    fz:sentence ?s ; fz:section ?section .
                 ?o a fz:MetricObservation ; fz:value ?v . FILTER(?v = 4727)
                 ?s fz:text ?text ; fz:start ?sstart ; fz:report ?r .
                 ?r fz:reportId "seeds/000_gaizhou.txt" }"""
        ).values()
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["surface"] == "审结案件4727件" == TEXT[row["start"] : row["end"]]
    assert row["text"] == SENTENCES[1]
    assert TEXT[row["sstart"] :].startswith(SENTENCES[1])
    assert row["section"] == FZ.section_achievements

    def objects(pred: str) -> set[str]:
        res = store.select(f"SELECT ?o WHERE {{ ?r <{pred}> ?o }}")
        return {r["o"].value for r in res}

    three = iri.program_iri("行政执法三项制度")
    lawyer = iri.program_iri("一村(社区)一法律顾问")
    assert objects(FZ.mentionsProgram) == {three, lawyer}
    assert objects(FZ.runsProgram) == {three}  # the plan-only program is not run
    issued = iri.document_iri(
        "盖州市2024年推进更高水平法治政府建设十项重点任务", "盖州市", role="issued"
    )
    law = iri.document_iri("中华人民共和国民法典", doc_kind="law")
    assert objects(FZ.mentionsDocument) == {issued, law}
    assert objects(FZ.issuedDocument) == {issued}
    assert objects(FZ.reporter) == {ID_NS + "jurisdiction/210881000000"}
    assert objects(FZ.issuer) == {ID_NS + "jurisdiction/210881000000"}  # inferred: the reporter
    court = iri.agency_iri("盖州市人民法院")
    assert objects(FZ.agency) == {court}
    assert objects(FZ.mentionsAgency) == {court}
    # every fact's offsets reproduce its mention
    for r in store.select(
        "SELECT ?s ?e ?t WHERE { ?m a fz:Mention ; fz:start ?s ; fz:end ?e ; fz:surface ?t }"
    ).values():
        assert TEXT[r["s"] : r["e"]] == r["t"]
    neg = store.select("SELECT ?m WHERE { ?m fz:negated true ; fz:section fz:section_problems }")
    assert len(list(neg)) == 1
    roles = store.select("SELECT ?role WHERE { ?m fz:role ?role ; fz:issuerInferred true }")
    assert [r["role"].value for r in roles] == [FZ.role_issued]


def test_document_identity_across_reports() -> None:
    a = sample_report()
    b = sample_report(
        id="seeds/001_other.txt",
        jurisdiction=Jurisdiction(name="营口市", code="210800000000", level="prefecture"),
    )
    facts = sample_facts()
    qa = report_quads(a, facts)
    facts[3].attrs.update(issuer=None, issuer_inferred=False)  # b's text names no issuer
    qb = report_quads(b, facts)
    docs_a = {x.object for x in qa if x.predicate == nn(FZ.mentionsDocument)}
    docs_b = {x.object for x in qb if x.predicate == nn(FZ.mentionsDocument)}
    law = nn(iri.document_iri("《中华人民共和国民法典》", doc_kind="law"))
    assert docs_a & docs_b == {law}  # the law is one node; the issued plan is not shared
    # an issued document without an issuer gets the reporter, marked inferred
    f = fact(
        "document",
        "某方案",
        "《盖州市2024年推进更高水平法治政府建设十项重点任务》",
        2,
        "achievements",
        role="issued",
    )
    q = report_quads(b, [f])
    assert any(x.predicate == nn(FZ.issuerName) and x.object.value == "营口市" for x in q)
    assert any(x.predicate == nn(FZ.issuerInferred) for x in q)


def test_reporter_variants() -> None:
    ambiguous = Jurisdiction(
        name="城关镇",
        code=None,
        level="township",
        confidence=0.3,
        candidates=[
            Candidate("城关镇", "620102001000", "township", ["甘肃省"]),
            Candidate("城关镇", "410102100000", "township", ["河南省"]),
        ],
    )
    quads = report_quads(sample_report(jurisdiction=ambiguous), sample_facts()[:1])
    preds = [x.predicate for x in quads]
    assert nn(FZ.reporter) not in preds
    assert preds.count(nn(FZ.reporterCandidate)) == 2
    assert validate(quads)[0]

    zone = Jurisdiction(name="济宁太白湖新区", code=None, level="zone")
    quads = report_quads(sample_report(jurisdiction=zone), [])
    rep = [x.object.value for x in quads if x.predicate == nn(FZ.reporter)]
    assert rep == [iri.jurisdiction_iri("zone:济宁太白湖新区")]

    dept = sample_report(
        department="遂宁市司法局",
        jurisdiction=Jurisdiction(name="遂宁市", code="510900000000", level="prefecture"),
        duplicate_of="seeds/000_gaizhou.txt",
    )
    quads = report_quads(dept, sample_facts())
    store = load(quads)
    rows = list(
        store.select(
            "SELECT ?a ?j ?d WHERE { ?r fz:reportingAgency ?a ; fz:duplicateOf ?d . "
            '?a fz:ofJurisdiction ?j ; rdfs:label "遂宁市司法局" }'
        ).values()
    )
    assert rows == [
        {
            "a": iri.agency_iri("遂宁市司法局"),
            "j": ID_NS + "jurisdiction/510900000000",
            "d": iri.report_iri("seeds/000_gaizhou.txt"),
        }
    ]
    assert validate(quads)[0]

    national = report_quads(
        sample_report(jurisdiction=Jurisdiction(name="中华人民共和国", level="national")), []
    )
    assert nn(iri.NATIONAL_IRI) in {x.object for x in national}


def test_unlocatable_sentence_keeps_its_text_and_warns() -> None:
    f = fact("program", "行政执法三项制度", "行政执法三项制度", 1, "achievements")
    f.sentence = "一个不在原文中的句子。"
    quads = report_quads(sample_report(), [f])
    texts = [
        x.object.value
        for x in quads
        if x.predicate == nn(FZ.text) and "/sentence/" in x.subject.value
    ]
    assert texts == ["一个不在原文中的句子。"]
    conforms, report_text = validate(quads)
    assert not conforms and "Warning" in report_text


# -- gazetteer and builds --------------------------------------------------------------------


def place(
    name: str,
    level: str,
    code: str | None,
    parent: str | None,
    key: str | None = None,
    aliases: list[object] | None = None,
    **kw: object,
) -> SimpleNamespace:
    return SimpleNamespace(
        name=name,
        level=level,
        code=code,
        parent=parent,
        key=key or code or name,
        aliases=aliases or [],
        **kw,
    )


def test_jurisdiction_quads() -> None:
    places = [
        place(
            "盖州市",
            "county",
            "210881000000",
            "210800000000",
            aliases=[
                "盖县",
                SimpleNamespace(name="盖县", valid_from="1949", valid_to="1992-12", code="210881"),
            ],
        ),
        place("营口市", "prefecture", "210800000000", "210000000000"),
        place("辽宁省", "province", "210000000000", "CN"),
        place("中华人民共和国", "national", None, None, key="CN"),
        place(
            "济宁太白湖新区", "zone", None, "370800000000", key="zone:济宁太白湖新区", rank="省级"
        ),
        place("济宁市", "prefecture", "370800000000", "370000000000"),
        place("山东省", "province", "370000000000", "CN"),
        {
            "name": "大河镇",
            "level": "township",
            "code": "520201101000",
            "parent": "520201000000",
            "key": "520201101000",
        },
        place("钟山区", "county", "520201000000", "520200000000"),
        place("六盘水市", "prefecture", "520200000000", "520000000000"),
        place("贵州省", "province", "520000000000", "CN"),
    ]
    quads = list(jurisdiction_quads(places))
    assert {x.graph_name for x in quads} == {nn(GRAPH_GAZETTEER)}
    conforms, text = validate(quads)
    assert conforms, text
    store = load(quads)
    chain = [
        r["l"].value
        for r in store.select(
            "SELECT ?l WHERE { ?j fz:code '210881000000' ; fz:within+ ?p . ?p rdfs:label ?l }"
        )
    ]
    assert set(chain) == {"营口市", "辽宁省", "中华人民共和国"}
    zone = store.select(
        "SELECT ?p ?lv WHERE { ?z rdfs:label '济宁太白湖新区' ; fz:within ?p ; fz:level ?lv }"
    )
    assert [(r["p"].value, r["lv"].value) for r in zone] == [
        (ID_NS + "jurisdiction/370800000000", FZ.level_zone)
    ]
    former = list(
        store.select(
            "SELECT ?n ?from ?to ?code WHERE { ?j fz:formerName ?f . ?f rdfs:label ?n ; "
            "fz:validFrom ?from ; fz:validTo ?to ; fz:formerCode ?code }"
        ).values()
    )
    assert former == [{"n": "盖县", "from": "1949", "to": "1992-12", "code": "210881000000"}]

    bad = list(jurisdiction_quads([place("无码县", "county", None, None, key="x")]))
    assert not validate(bad)[0]


def test_build_record_quads() -> None:
    quads = build_record_quads(
        "20250301T080000Z",
        {"programs": "1", "thesaurus": "sha1:abc", "gazetteer": "2024", "curation": "0"},
        datetime(2025, 3, 1, 8, 0, 0),
        "2025-03-01T08:05:00Z",
        {"reports": 5, "facts": 812},
        fingerprint="fp",
    )
    assert {x.graph_name for x in quads} == {nn(iri.build_graph("20250301T080000Z"))}
    assert iri.build_graph("20250301T080000Z").startswith(GRAPH_BUILDS + "/")
    conforms, text = validate(quads)
    assert conforms, text
    store = load(quads)
    versions = dict(
        (r["n"].value, r["v"].value)
        for r in store.select(
            "SELECT ?n ?v WHERE { ?b a fz:BuildRecord ; fz:usedVersion ?e . "
            "?e fz:versionOf ?n ; fz:version ?v }"
        )
    )
    assert versions["thesaurus"] == "sha1:abc"
    with pytest.raises(ValueError):
        build_record_quads("b", {}, "yesterday", None, {})


# -- kg.iri ----------------------------------------------------------------------------------


def test_mint_is_deterministic_and_readable() -> None:
    a = iri.mint("program", "一村(社区)一法律顾问")
    assert a == iri.mint("program", "一村（社区）一法律顾问")  # NFKC
    assert a == iri.mint("program", "一村(社區)一法律顧問")  # traditional -> simplified
    assert a.startswith(ID_NS + "program/一村-社区-一法律顾问-")
    assert a != iri.mint("agency", "一村(社区)一法律顾问")
    assert iri.mint("document", "ab", "c") != iri.mint("document", "a", "bc")
    assert iri.mint("x", "!!!").startswith(ID_NS + "x/")  # nothing readable: digest only
    with pytest.raises(ValueError):
        iri.mint("Bad Kind", "x")
    with pytest.raises(ValueError):
        iri.mint("program")
    with pytest.raises(ValueError):
        iri.mint("program", "  ")


@pytest.mark.parametrize(
    "key",
    ["a b", "<x>", 'q"uote', "#frag?query", "😀", "http://example.com/a b?c=d#e", "\\", "{}|^`"],
)
def test_minted_iris_are_valid(key: str) -> None:
    for value in (
        iri.mint("program", key),
        iri.report_graph(key),
        iri.mint("mention", key, key),
        iri.jurisdiction_iri(key),
    ):
        NamedNode(value)  # raises on an invalid IRI


def test_jurisdiction_and_child_iris() -> None:
    base = ID_NS + "jurisdiction/210881000000"
    assert iri.jurisdiction_iri("210881") == base
    assert iri.jurisdiction_iri("210881000") == base
    assert iri.jurisdiction_iri(" 210881000000 ") == base
    assert iri.jurisdiction_iri("中华人民共和国") == iri.NATIONAL_IRI
    z = iri.jurisdiction_iri("zone:济宁太白湖新区")
    assert z.startswith(ID_NS + "jurisdiction/zone-济宁太白湖新区-")
    assert iri.mint("former-name", "210881", "盖县").startswith(base + "/former-name/")
    r = iri.report_iri("seeds/a.txt")
    assert iri.sentence_iri("seeds/a.txt", 3) == r + "/sentence/3"
    assert iri.mint("mention", "seeds/a.txt", "program-1-5") == r + "/mention/program-1-5"
    assert iri.report_graph("seeds/a.txt").rsplit("/", 1)[1] == r.rsplit("/", 1)[1]
    assert iri.program_iri(r) == r  # our own IRIs pass through


def test_document_keys() -> None:
    t = "2024年普法依法治理工作要点"
    issued_a = iri.document_iri(t, "盖州市", role="issued", issuer_inferred=True)
    issued_b = iri.document_iri(t, "营口市", role="issued")
    assert issued_a != issued_b
    assert iri.document_iri(f"《{t}》", "盖州市", role="issued") == issued_a
    law = iri.document_iri("中华人民共和国民法典", "全国人大", role="cited", doc_kind="law")
    assert law == iri.document_iri("中华人民共和国民法典")
    cited_named = iri.document_iri(t, "司法部", role="cited")
    assert cited_named != iri.document_iri(t, role="cited")
    assert iri.document_key(t, role="cited", issuer="x", issuer_inferred=True) == (t,)


def test_call_forms_keys_signature_and_duplicates() -> None:
    report = sample_report()
    facts = sample_facts()
    four = {i: (*span(i), "plans") for i in range(6)}  # (start, end, text, section)
    a = report_quads(report, facts, four, build_id="b1", fingerprint="fp")
    b = report_quads(
        report, facts, "b1", four, fingerprint="fp"
    )  # the (report, facts, build_id) form
    assert a == b
    sections = {
        x.object for x in a if x.predicate == nn(FZ.section) and "/sentence/" in x.subject.value
    }
    assert sections == {nn(FZ.section_plans)}
    keys = [x.object.value for x in a if x.predicate == nn(FZ.gazetteerKey)]
    assert keys == ["210881000000"]
    sig = [x.object.value for x in a if x.predicate == nn(FZ.signature)]
    assert len(sig) == 1 and sig[0].startswith("mh1:")
    given = report_quads(report, [], signature="mh1:given")
    assert [x.object.value for x in given if x.predicate == nn(FZ.signature)] == ["mh1:given"]
    zone = Jurisdiction(
        name="城关镇",
        code=None,
        level="township",
        candidates=[
            Candidate("城关镇", "620102001", "township", []),
            Candidate("太白湖新区", None, "zone", []),
        ],
    )
    keys = [
        x.object.value
        for x in report_quads(sample_report(jurisdiction=zone), [])
        if x.predicate == nn(FZ.gazetteerKey)
    ]
    assert keys == ["620102001000", "zone:太白湖新区"]
    with pytest.raises(TypeError):
        report_quads(report, facts, None, four)  # type: ignore[arg-type]

    dup = duplicate_quads({"mirror.html": "seeds/000_gaizhou.txt"})
    assert [(x.subject.value, x.object.value, x.graph_name.value) for x in dup] == [
        (iri.report_iri("mirror.html"), iri.report_iri("seeds/000_gaizhou.txt"), GRAPH_DUPLICATES)
    ]


def test_former_names_from_a_gazetteer() -> None:
    gaizhou = place("水城区", "county", "520204000000", None, aliases=["水城"])

    class Gaz:
        def former_names(self, p: object) -> list[SimpleNamespace]:
            return [
                SimpleNamespace(
                    name="水城县", code="520221000000", valid_from=None, valid_to="2020", aliases=()
                )
            ]

    quads = list(jurisdiction_quads([gaizhou], Gaz()))
    assert validate(quads)[0]
    store = load(quads)
    rows = list(
        store.select(
            "SELECT ?alt ?n ?code ?to WHERE { ?j skos:altLabel ?alt ; fz:formerName ?f . "
            "?f rdfs:label ?n ; fz:formerCode ?code ; fz:validTo ?to }"
        ).values()
    )
    assert rows == [{"alt": "水城", "n": "水城县", "code": "520221000000", "to": "2020"}]
