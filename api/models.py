"""Response models of the domain resources (programs, jurisdictions, metrics, documents,
reports, search), each with an example shown in OpenAPI (``/docs``).

Lists are pages (:class:`Page`): ``items``, ``total`` (before pagination), ``limit``,
``offset``. Every listed item has an ``id`` usable in its own URL (``/programs/{id}``,
``/jurisdictions/{id}``, ``/documents/{id}``, ``/reports/{id}``, ``/metrics?concept={id}``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AdopterRow",
    "AgencyItem",
    "DocumentDetail",
    "DocumentItem",
    "DocumentList",
    "DocumentMention",
    "JurisdictionBrief",
    "JurisdictionItem",
    "JurisdictionList",
    "JurisdictionProfile",
    "JurisdictionRef",
    "MetricConcept",
    "MetricConceptList",
    "MetricObservation",
    "MetricObservationList",
    "Page",
    "ProgramDetail",
    "ProgramItem",
    "ProgramList",
    "ReportDetail",
    "ReportItem",
    "ReportList",
    "SearchHit",
    "SearchResults",
]


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


# ---------------------------------------------------------------------------------------------
# shared pieces

_GAIZHOU_BRIEF = {"id": "210881000000", "code": "210881000000", "name": "盖州市", "level": "county"}
_YINGKOU_BRIEF = {"id": "210800000000", "code": "210800000000", "name": "营口市",
                  "level": "prefecture"}  # fmt: skip
_LIAONING_BRIEF = {"id": "210000000000", "code": "210000000000", "name": "辽宁省",
                   "level": "province"}  # fmt: skip
_GAIZHOU_REF = {**_GAIZHOU_BRIEF, "parent": _YINGKOU_BRIEF, "path": ["辽宁省", "营口市", "盖州市"]}
_ZONE_REF = {"id": "zone:济宁太白湖新区", "code": None, "name": "济宁太白湖新区", "level": "zone",
             "parent": {"id": "370800000000", "code": "370800000000", "name": "济宁市",
                        "level": "prefecture"},
             "path": ["山东省", "济宁市", "济宁太白湖新区"]}  # fmt: skip


class JurisdictionBrief(BaseModel):
    """A jurisdiction in a few words."""

    id: str | None = Field(description="12-digit code, 'zone:名称' for a codeless zone, or 'CN'")
    code: str | None = Field(description="12-digit NBS division code; null for the nation and "
                             "for zones without one")  # fmt: skip
    name: str | None
    level: str | None = Field(
        description="national, province, prefecture, county, township or zone"
    )

    model_config = _example(_GAIZHOU_BRIEF)


class JurisdictionRef(JurisdictionBrief):
    """A jurisdiction with its parent and path; ``id``/``code`` are null when the report does
    not decide between namesakes (``candidates`` then lists them)."""

    parent: JurisdictionBrief | None = None
    path: list[str] = Field(default_factory=list, description="province … the place itself")
    candidates: list[JurisdictionBrief | None] | None = None

    model_config = _example(_GAIZHOU_REF)


class Page(BaseModel):
    """One page of a list."""

    items: list[Any]
    total: int = Field(description="number of items matching the filters, over all pages")
    limit: int
    offset: int


# ---------------------------------------------------------------------------------------------
# programs


class ProgramCounts(BaseModel):
    adopters: int = Field(description="distinct jurisdictions running it (canonical reports)")
    reports: int = Field(description="canonical reports running it")
    plan_only: int = Field(description="canonical reports naming it only in their plans")
    negated: int = Field(description="canonical reports naming it only in negated sentences")
    problems_only: int = Field(description="canonical reports naming it only among problems")
    mentions: int = Field(description="mentions in canonical reports")


_PROGRAM_ITEM = {
    "id": "fa-lv-ming-bai-ren",
    "iri": "https://w3id.org/fazhi-kg/id/program/fa-lv-ming-bai-ren",
    "label": "法律明白人",
    "label_en": "legally literate villagers",
    "category": "普法",
    "candidate": False,
    "adopters": 3,
    "counts": {"adopters": 3, "reports": 3, "plan_only": 0, "negated": 0, "problems_only": 0,
               "mentions": 10},
}  # fmt: skip


class ProgramItem(BaseModel):
    """A program (curated, or a candidate not yet curated) with its adopter counts."""

    id: str = Field(description="the IRI's tail: fa-lv-ming-bai-ren, candidate/san-shu-tong-da")
    iri: str
    label: str
    label_en: str | None = None
    category: str | None = None
    candidate: bool
    adopters: int = Field(description="distinct jurisdictions running it (duplicates excluded)")
    counts: ProgramCounts

    model_config = _example(_PROGRAM_ITEM)


class ProgramList(Page):
    items: list[ProgramItem]

    model_config = _example({"items": [_PROGRAM_ITEM], "total": 131, "limit": 1, "offset": 0})


_ADOPTER = {
    "report": "000_4ee9ce8ba8ed3195.txt",
    "jurisdiction": _GAIZHOU_REF,
    "department": None,
    "year": 2024,
    "url": None,
    "section": "achievements",
    "negated": False,
    "plan_only": False,
    "negated_any": False,
    "sentence": "持续深化“法律明白人”培养工程,全市“法律明白人”1490名法律明白人,每村达到5名以上,"
                "实现“八五”普法规划目标。",
    "sentence_start": 3432,
    "start": 3436,
    "end": 3447,
    "surface": "“法律明白人”培养工程",
    "mentions": 4,
}  # fmt: skip


class AdopterRow(BaseModel):
    """One canonical report naming the program, with the sentence that shows it."""

    report: str = Field(description="report id (see /reports/{id})")
    jurisdiction: JurisdictionRef = Field(description="the reporter")
    department: str | None = Field(None, description="for a department's report")
    year: int | None = None
    url: str | None = Field(None, description="source URL of the report")
    section: str = Field(description="section of the evidence mention")
    negated: bool = Field(description="the evidence mention is negated")
    plan_only: bool = Field(description="the report names the program only in its plans")
    negated_any: bool = Field(description="some mention in the report is negated")
    sentence: str = Field(description="the evidence sentence")
    sentence_start: int | None = Field(None, description="offset of the sentence in the text")
    start: int = Field(description="offset of the mention in the report text")
    end: int
    surface: str = Field(description="the mention as written")
    mentions: int = Field(description="mentions of the program in this report")

    model_config = _example(_ADOPTER)


class ProgramDetail(ProgramItem):
    """A program with its adopters; plan-only, negated and problems-only mentions apart."""

    aliases: list[str] = Field(default_factory=list)
    broader: list[str] = Field(default_factory=list, description="ids of broader programs")
    adopted_by: list[AdopterRow] = Field(
        description="reports whose sentences show the reporter running it"
    )
    plan_only: list[AdopterRow] = Field(description="named only in plans: not evidence of running")
    negated: list[AdopterRow] = Field(description="named only in negated sentences")
    problems_only: list[AdopterRow] = Field(description="named only among problems")

    model_config = _example({**_PROGRAM_ITEM, "aliases": ["农村法律明白人", "法律明白人培养工程"],
                             "broader": ["quan-min-pu-fa"], "adopted_by": [_ADOPTER],
                             "plan_only": [], "negated": [], "problems_only": []})  # fmt: skip


# ---------------------------------------------------------------------------------------------
# jurisdictions

_JUR_ITEM = {
    **_GAIZHOU_BRIEF,
    "iri": "https://w3id.org/fazhi-kg/id/jurisdiction/210881000000",
    "parent": _YINGKOU_BRIEF,
    "province": _LIAONING_BRIEF,
    "path": ["辽宁省", "营口市", "盖州市"],
    "aliases": ["盖州"],
    "report_count": 1,
    "program_count": 32,
}


class JurisdictionItem(JurisdictionBrief):
    """A jurisdiction the stored reports name (or an ancestor of one)."""

    id: str
    iri: str
    parent: JurisdictionBrief | None = None
    province: JurisdictionBrief | None = None
    path: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    report_count: int = Field(description="canonical reports it made")
    program_count: int = Field(description="programs its canonical reports show it running")

    model_config = _example(_JUR_ITEM)


class JurisdictionList(Page):
    items: list[JurisdictionItem]

    model_config = _example({"items": [_JUR_ITEM], "total": 14, "limit": 1, "offset": 0})


class FormerName(BaseModel):
    name: str
    valid_from: str | None = None
    valid_to: str | None = None
    code: str | None = None


class ReportBrief(BaseModel):
    id: str
    title: str | None = None
    year: int | None = None
    url: str | None = None
    department: str | None = None
    duplicate_of: str | None = None


class ProgramEvidence(BaseModel):
    report: str
    year: int | None = None
    section: str | None = None
    sentence: str | None = None
    start: int | None = None
    end: int | None = None


class JurisdictionProgram(BaseModel):
    """A program in a jurisdiction's reports, with the most recent evidence."""

    id: str
    label: str
    category: str | None = None
    candidate: bool
    years: list[int]
    reports: list[str]
    evidence: ProgramEvidence


_AGENCY = {
    "id": "盖州市人民检察院-9000f7b29fecd96c",
    "iri": "https://w3id.org/fazhi-kg/id/agency/盖州市人民检察院-9000f7b29fecd96c",
    "label": "盖州市人民检察院",
    "type": "人民检察院",
    "jurisdiction": _GAIZHOU_BRIEF,
    "mentions": 2,
    "reports": 1,
}


class AgencyItem(BaseModel):
    """An agency named in the reports (resolved to its full name)."""

    id: str
    iri: str
    label: str
    type: str | None = None
    jurisdiction: JurisdictionBrief | None = None
    mentions: int
    reports: int

    model_config = _example(_AGENCY)


_DOC_ITEM = {
    "id": "盖州市2024年度涉企行政执法检查计划-盖州市-5b055d381e1d6dc4",
    "iri": "https://w3id.org/fazhi-kg/id/document/盖州市2024年度涉企行政执法检查计划-盖州市-5b055d381e1d6dc4",
    "title": "盖州市2024年度涉企行政执法检查计划",
    "issuer": "盖州市",
    "issuer_id": "210881000000",
    "issuer_kind": "jurisdiction",
    "issuer_inferred": False,
    "kind": "plan",
    "year": 2024,
    "doc_number": None,
    "roles": {"issued": 1, "cited": 0},
    "reporters": 1,
    "reports": 1,
}


class DocumentItem(BaseModel):
    """A document (issued by a reporter, or cited: laws, plans, regulations …)."""

    id: str
    iri: str
    title: str
    issuer: str | None = Field(None, description="issuer as the text names it (or inferred)")
    issuer_id: str | None = Field(None, description="jurisdiction id or agency id of the issuer")
    issuer_kind: str | None = Field(None, description="jurisdiction or agency")
    issuer_inferred: bool = False
    kind: str | None = Field(None, description="law, regulation, rule, plan, scheme, notice …")
    year: int | None = None
    doc_number: str | None = None
    roles: dict[str, int] = Field(description="mentions by role: issued, cited")
    reporters: int = Field(description="distinct reporters whose reports mention it")
    reports: int

    model_config = _example(_DOC_ITEM)


class IssuedDocument(DocumentItem):
    report: str | None = Field(None, description="the report stating the issue, if any")


_OBS = {
    "concept": "mediation_cases",
    "jurisdiction": {**_GAIZHOU_REF},
    "year": 2024,
    "subject": "纠纷案件",
    "value": 4727,
    "unit": "起",
    "base_value": 4727,
    "base_unit": "起",
    "approximate": False,
    "qualifier": "调解",
    "scope": "annual",
    "agency": None,
    "report": "000_4ee9ce8ba8ed3195.txt",
    "url": None,
    "sentence": "深入践行新时代“枫桥经验”,调解纠纷案件4727起,预防各类矛盾纠纷420起。",
    "surface": "调解纠纷案件4727起",
    "start": 3138,
    "end": 3149,
}


class MetricObservation(BaseModel):
    """A metric as written (value, unit) with a normalised value in a base unit for sorting."""

    concept: str | None = Field(None, description="metric concept id, null when unclassified")
    jurisdiction: JurisdictionRef
    year: int | None = None
    subject: str | None = None
    value: float | int | None = None
    unit: str | None = None
    base_value: float | int | None = Field(None, description="value in the base unit (元, 件 …)")
    base_unit: str | None = None
    approximate: bool = False
    qualifier: str | None = Field(None, description="the aspect: 受理, 审结, 同比下降 …")
    scope: str | None = Field(None, description="annual, cumulative, as_of, multi_year, other_year")
    agency: str | None = Field(None, description="agency id when the text names one")
    report: str
    url: str | None = None
    sentence: str | None = None
    surface: str | None = None
    start: int | None = None
    end: int | None = None

    model_config = _example(_OBS)


class MetricYear(BaseModel):
    year: int | None
    observations: list[MetricObservation]


class ProfileCounts(BaseModel):
    reports: int
    programs: int
    plan_only_programs: int
    agencies: int
    documents_issued: int
    observations: int
    children: int


class JurisdictionProfile(JurisdictionItem):
    """A jurisdiction's profile: programs, agencies, documents issued, metrics by year,
    reports (each list capped at ``limit``; ``counts`` has the totals)."""

    requested: str = Field(description="the code as requested (6, 9 or 12 digits, zone:…)")
    rank: str | None = None
    former_names: list[FormerName] = Field(default_factory=list)
    children: list[JurisdictionBrief] = Field(default_factory=list)
    counts: ProfileCounts
    reports: list[ReportBrief]
    programs: list[JurisdictionProgram] = Field(description="programs its reports show it running")
    plan_only_programs: list[JurisdictionProgram] = Field(
        description="programs it names only in plans"
    )
    agencies: list[AgencyItem] = Field(
        description="agencies its reports name, and agencies belonging to it named elsewhere"
    )
    documents_issued: list[IssuedDocument]
    metrics_by_year: list[MetricYear]

    model_config = _example({
        **_JUR_ITEM, "requested": "210881", "rank": None, "former_names": [], "children": [],
        "counts": {"reports": 1, "programs": 32, "plan_only_programs": 2, "agencies": 13,
                   "documents_issued": 8, "observations": 73, "children": 0},
        "reports": [{"id": "000_4ee9ce8ba8ed3195.txt", "title": None, "year": 2024, "url": None,
                     "department": None, "duplicate_of": None}],
        "programs": [{"id": "fa-lv-ming-bai-ren", "label": "法律明白人", "category": "普法",
                      "candidate": False, "years": [2024], "reports": ["000_4ee9ce8ba8ed3195.txt"],
                      "evidence": {"report": "000_4ee9ce8ba8ed3195.txt", "year": 2024,
                                   "section": "achievements", "sentence": _ADOPTER["sentence"],
                                   "start": 3436, "end": 3447}}],
        "plan_only_programs": [], "agencies": [_AGENCY],
        "documents_issued": [{**_DOC_ITEM, "report": "000_4ee9ce8ba8ed3195.txt"}],
        "metrics_by_year": [{"year": 2024, "observations": [_OBS]}],
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------
# metrics

_CONCEPT = {
    "id": "mediation_cases",
    "iri": "https://w3id.org/fazhi-kg/id/metric/mediation_cases-4f4c7de2c55e0766",
    "label": "调解纠纷件数",
    "label_en": "Disputes mediated",
    "unit_kind": "count",
    "observations": 11,
    "jurisdictions": 5,
    "years": [2022, 2023, 2024],
}


class MetricConcept(BaseModel):
    """A metric concept (an indicator that recurs across reports) with its coverage."""

    id: str
    iri: str
    label: str
    label_en: str | None = None
    unit_kind: str | None = Field(None, description="count, percent, money …")
    observations: int
    jurisdictions: int
    years: list[int]

    model_config = _example(_CONCEPT)


class MetricConceptList(Page):
    """``/metrics`` without a concept: the concepts, most observed first."""

    items: list[MetricConcept]
    unclassified: int = Field(description="observations with no metric concept")

    model_config = _example({"items": [_CONCEPT], "total": 52, "limit": 1, "offset": 0,
                             "unclassified": 158})  # fmt: skip


class MetricObservationList(Page):
    """``/metrics?concept=…``: the concept's observations sorted by normalised base value."""

    concept: MetricConcept
    items: list[MetricObservation]

    model_config = _example({"concept": _CONCEPT, "items": [_OBS], "total": 11, "limit": 1,
                             "offset": 0})  # fmt: skip


# ---------------------------------------------------------------------------------------------
# documents


class DocumentList(Page):
    items: list[DocumentItem]

    model_config = _example({"items": [_DOC_ITEM], "total": 57, "limit": 1, "offset": 0})


class DocumentMention(BaseModel):
    """A canonical report mentioning the document."""

    report: str
    jurisdiction: JurisdictionRef
    year: int | None = None
    url: str | None = None
    roles: list[str]
    section: str | None = None
    sentence: str | None = None
    start: int | None = None
    end: int | None = None
    mentions: int


class DocumentDetail(DocumentItem):
    """A document and the reports (with their reporters) that mention it."""

    titles: list[str] = Field(description="the title as each report writes it")
    mentioned_by: list[DocumentMention]

    model_config = _example({
        **_DOC_ITEM, "titles": [_DOC_ITEM["title"]],
        "mentioned_by": [{"report": "000_4ee9ce8ba8ed3195.txt", "jurisdiction": _GAIZHOU_REF,
                          "year": 2024, "url": None, "roles": ["issued"], "section": "achievements",
                          "sentence": "印发《盖州市2024年度涉企行政执法检查计划》,确定11个市本级行政执法"
                                      "部门共149项涉企行政执法检查计划。",
                          "start": 2533, "end": 2554, "mentions": 1}],
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------
# reports

_REPORT_ITEM = {
    "id": "002_01f739070572be2c.txt",
    "iri": "https://w3id.org/fazhi-kg/id/report/002_01f739070572be2c.txt-506f4aa1d86768b3",
    "graph": "https://w3id.org/fazhi-kg/graph/report/002_01f739070572be2c.txt-506f4aa1d86768b3",
    "title": "济宁太白湖新区党工委 济宁太白湖新区管委会 2024年度法治政府建设工作报告",
    "jurisdiction": _ZONE_REF,
    "department": None,
    "year": 2024,
    "published": "2025-03-24",
    "signed": "2025-02-17",
    "url": None,
    "duplicate_of": None,
    "reporter_confidence": 0.99,
    "facts": {"program": 56, "agency": 14, "document": 5, "metric": 50},
}


class ReportItem(BaseModel):
    """A stored report: reporter, year, dates, source, duplicate link, facts by kind."""

    id: str = Field(description="the report's stable source key (a path or a URL)")
    iri: str
    graph: str = Field(description="the named graph holding the report's facts")
    title: str | None = None
    jurisdiction: JurisdictionRef
    department: str | None = None
    year: int | None = None
    published: str | None = None
    signed: str | None = None
    url: str | None = None
    duplicate_of: str | None = Field(None, description="the canonical report's id")
    reporter_confidence: float | None = None
    facts: dict[str, int]

    model_config = _example(_REPORT_ITEM)


class ReportList(Page):
    items: list[ReportItem]

    model_config = _example({"items": [_REPORT_ITEM], "total": 5, "limit": 1, "offset": 0})


class Sentence(BaseModel):
    id: str
    start: int | None = Field(None, description="offset in the report text")
    end: int | None = None
    section: str | None = None
    text: str | None = None


class MetricValue(BaseModel):
    concept: str | None = None
    subject: str | None = None
    value: float | int | None = None
    unit: str | None = None
    base_value: float | int | None = None
    base_unit: str | None = None
    approximate: bool = False
    qualifier: str | None = None
    scope: str | None = None
    year: int | None = None


class Fact(BaseModel):
    """One fact of the report: ``report.text[start:end] == surface``."""

    kind: str = Field(description="program, agency, document or metric")
    entity: str | None = Field(None, description="program/agency/document id, observation IRI")
    label: str | None = None
    surface: str | None = None
    start: int | None = None
    end: int | None = None
    sentence: str | None = Field(None, description="id of the sentence in ``sentences``")
    section: str | None = None
    negated: bool = False
    confidence: float | None = None
    component: str | None = None
    role: str | None = None
    issuer_inferred: bool | None = None
    candidate: bool | None = None
    metric: MetricValue | None = None


class ReportDetail(ReportItem):
    """A report with its facts and their offsets, and the sentences carrying them.

    ``text`` is the full cleaned text when the graph stores it (``text_stored``); the offsets of
    sentences and facts index into it either way."""

    version: str | None = Field(None, description="sha256 of the cleaned text")
    text: str | None = None
    text_stored: bool
    sentences: list[Sentence]
    facts: list[Fact]

    model_config = _example({
        **_REPORT_ITEM, "version": "bd13a5ca…", "text": None, "text_stored": False,
        "sentences": [{"id": "4", "start": 218, "end": 233, "section": "achievements",
                       "text": "1.坚持落实“第一议题”制度。"}],
        "facts": [{"kind": "program", "entity": "di-yi-yi-ti", "label": "第一议题",
                   "surface": "“第一议题”制度", "start": 224, "end": 232, "sentence": "4",
                   "section": "achievements", "negated": False, "confidence": 0.8,
                   "component": "programs@1", "candidate": False}],
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------
# search

_HIT = {
    "kind": "program",
    "id": "fa-lv-ming-bai-ren",
    "label": "法律明白人",
    "match": "pinyin",
    "score": 90,
    "url": "/programs/fa-lv-ming-bai-ren",
    "note": "普法",
    "jurisdiction": None,
}


class SearchHit(BaseModel):
    """A program, jurisdiction, agency or document whose name matches."""

    kind: str = Field(description="program, jurisdiction, agency or document")
    id: str
    label: str
    match: str | None = Field(
        None,
        description="exact, prefix, substring, pinyin, pinyin-prefix, pinyin-substring, "
        "initials, initials-prefix or homophone",
    )
    score: int
    url: str | None = Field(None, description="API path of the resource (an agency: its "
                            "jurisdiction's profile)")  # fmt: skip
    note: str | None = Field(None, description="category, level or issuer")
    jurisdiction: str | None = Field(None, description="an agency's jurisdiction id")

    model_config = _example(_HIT)


class SearchResults(Page):
    items: list[SearchHit]

    model_config = _example({"items": [_HIT], "total": 1, "limit": 20, "offset": 0})
