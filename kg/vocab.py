"""The vocabulary of fazhi-kg: every IRI the code writes or queries, as plain strings.

This module is the ONE owner of the vocabulary; ``ontology/fazhi.ttl`` declares the same terms
(``tests/test_vocab.py`` checks both directions). Terms are plain ``str`` so that any RDF
library can use them; two thin cached factories turn them into library terms on demand:
``nn()`` for pyoxigraph (the store and the hot path) and ``uri()`` for rdflib (SHACL, export).

>>> FZ.Report
'https://w3id.org/fazhi-kg/ontology#Report'
>>> nn(FZ.reporter).value == FZ.reporter
True
>>> LEVELS["county"] == FZ.level_county and ENUM_VALUE[FZ.level_county] == "county"
True
>>> report_graph_prefix = GRAPH_REPORT_NS
>>> is_report_graph(report_graph_prefix + "abc")
True

Controlled values (jurisdiction levels, report sections, document roles, metric scopes) are
IRIs of small SKOS concept schemes; ``LEVELS``/``SECTIONS``/``ROLES``/``SCOPES`` map the plain
values used by ``kg.model`` and the ``kg extract`` contract to them, ``ENUM_VALUE`` maps back.
Data literals (names, titles, labels) are plain strings without a language tag so that SPARQL
equality on a name (``?j rdfs:label "盖州市"``) just works; the ontology's own labels carry
``@en``/``@zh`` tags.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

if TYPE_CHECKING:  # rdflib is imported lazily: the hot path never needs it
    import rdflib

__all__ = [
    "BASE",
    "DCTERMS",
    "ENUM_VALUE",
    "FZ",
    "FZ_NS",
    "GRAPH_BUILDS",
    "GRAPH_DUPLICATES",
    "GRAPH_SUMMARIES",
    "GRAPH_GAZETTEER",
    "GRAPH_METRICS",
    "GRAPH_NS",
    "GRAPH_ONTOLOGY",
    "GRAPH_REPORT_NS",
    "GRAPH_THESAURUS",
    "ID_NS",
    "LEVELS",
    "ONTOLOGY_DIR",
    "ONTOLOGY_IRI",
    "ONTOLOGY_TTL",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REFERENCE_GRAPHS",
    "ROLES",
    "SCOPES",
    "SECTIONS",
    "SHAPES_TTL",
    "SKOS",
    "SPARQL_PREFIXES",
    "XSD",
    "fz_terms",
    "is_report_graph",
    "nn",
    "uri",
]

BASE = "https://w3id.org/fazhi-kg/"
FZ_NS = BASE + "ontology#"
ONTOLOGY_IRI = BASE + "ontology"
ID_NS = BASE + "id/"
GRAPH_NS = BASE + "graph/"
GRAPH_REPORT_NS = GRAPH_NS + "report/"
GRAPH_GAZETTEER = GRAPH_NS + "gazetteer"
GRAPH_THESAURUS = GRAPH_NS + "thesaurus"
GRAPH_METRICS = GRAPH_NS + "metrics"
GRAPH_BUILDS = GRAPH_NS + "builds"  # also the prefix of per-build graphs …/graph/builds/{slug}
GRAPH_DUPLICATES = GRAPH_NS + "duplicates"
GRAPH_SUMMARIES = GRAPH_NS + "summaries"  # materialised API aggregates (kg.summaries)
GRAPH_ONTOLOGY = GRAPH_NS + "ontology"
REFERENCE_GRAPHS: tuple[str, ...] = (
    GRAPH_GAZETTEER,
    GRAPH_THESAURUS,
    GRAPH_METRICS,
    GRAPH_BUILDS,
    GRAPH_DUPLICATES,
    GRAPH_ONTOLOGY,
)

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_TTL = ONTOLOGY_DIR / "fazhi.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"


class FZ:
    """Terms of the fazhi-kg ontology (``fz:``); each attribute is the full IRI as ``str``."""

    # -- classes
    Report = FZ_NS + "Report"
    Sentence = FZ_NS + "Sentence"
    Mention = FZ_NS + "Mention"
    Jurisdiction = FZ_NS + "Jurisdiction"
    JurisdictionLevel = FZ_NS + "JurisdictionLevel"
    FormerName = FZ_NS + "FormerName"
    Agency = FZ_NS + "Agency"
    Program = FZ_NS + "Program"
    Document = FZ_NS + "Document"
    MetricObservation = FZ_NS + "MetricObservation"
    MetricConcept = FZ_NS + "MetricConcept"
    BuildRecord = FZ_NS + "BuildRecord"
    VersionEntry = FZ_NS + "VersionEntry"
    BuildCount = FZ_NS + "BuildCount"
    SectionKind = FZ_NS + "SectionKind"
    DocumentRole = FZ_NS + "DocumentRole"
    MetricScope = FZ_NS + "MetricScope"

    # -- concept schemes (individuals)
    programScheme = FZ_NS + "programScheme"
    metricScheme = FZ_NS + "metricScheme"
    levelScheme = FZ_NS + "levelScheme"
    sectionScheme = FZ_NS + "sectionScheme"
    roleScheme = FZ_NS + "roleScheme"
    scopeScheme = FZ_NS + "scopeScheme"

    # -- controlled values (individuals)
    level_national = FZ_NS + "level_national"
    level_province = FZ_NS + "level_province"
    level_prefecture = FZ_NS + "level_prefecture"
    level_county = FZ_NS + "level_county"
    level_township = FZ_NS + "level_township"
    level_zone = FZ_NS + "level_zone"
    section_achievements = FZ_NS + "section_achievements"
    section_problems = FZ_NS + "section_problems"
    section_plans = FZ_NS + "section_plans"
    section_other = FZ_NS + "section_other"
    role_issued = FZ_NS + "role_issued"
    role_cited = FZ_NS + "role_cited"
    scope_annual = FZ_NS + "scope_annual"
    scope_cumulative = FZ_NS + "scope_cumulative"
    scope_as_of = FZ_NS + "scope_as_of"
    scope_multi_year = FZ_NS + "scope_multi_year"
    scope_other_year = FZ_NS + "scope_other_year"

    # -- report
    reportId = FZ_NS + "reportId"
    version = FZ_NS + "version"
    sourcePath = FZ_NS + "sourcePath"
    url = FZ_NS + "url"
    year = FZ_NS + "year"
    signed = FZ_NS + "signed"
    fetchedAt = FZ_NS + "fetchedAt"
    format = FZ_NS + "format"
    reporter = FZ_NS + "reporter"
    reporterName = FZ_NS + "reporterName"
    reporterConfidence = FZ_NS + "reporterConfidence"
    reporterCandidate = FZ_NS + "reporterCandidate"
    department = FZ_NS + "department"
    reportingAgency = FZ_NS + "reportingAgency"
    duplicateOf = FZ_NS + "duplicateOf"
    fingerprint = FZ_NS + "fingerprint"
    signature = FZ_NS + "signature"
    summary = FZ_NS + "summary"
    gazetteerKey = FZ_NS + "gazetteerKey"
    # direct report -> entity edges (one per distinct entity and report)
    mentionsProgram = FZ_NS + "mentionsProgram"
    runsProgram = FZ_NS + "runsProgram"
    mentionsAgency = FZ_NS + "mentionsAgency"
    mentionsDocument = FZ_NS + "mentionsDocument"
    issuedDocument = FZ_NS + "issuedDocument"
    hasObservation = FZ_NS + "hasObservation"

    # -- sentence and mention (provenance)
    report = FZ_NS + "report"
    start = FZ_NS + "start"
    end = FZ_NS + "end"
    text = FZ_NS + "text"
    section = FZ_NS + "section"
    sentence = FZ_NS + "sentence"
    mentionOf = FZ_NS + "mentionOf"
    surface = FZ_NS + "surface"
    negated = FZ_NS + "negated"
    component = FZ_NS + "component"
    confidence = FZ_NS + "confidence"
    role = FZ_NS + "role"
    issuerInferred = FZ_NS + "issuerInferred"

    # -- jurisdiction
    code = FZ_NS + "code"
    level = FZ_NS + "level"
    within = FZ_NS + "within"
    rank = FZ_NS + "rank"
    formerName = FZ_NS + "formerName"
    formerCode = FZ_NS + "formerCode"
    validFrom = FZ_NS + "validFrom"
    validTo = FZ_NS + "validTo"

    # -- agency, program, document
    ofJurisdiction = FZ_NS + "ofJurisdiction"
    agencyType = FZ_NS + "agencyType"
    candidate = FZ_NS + "candidate"
    category = FZ_NS + "category"
    issuer = FZ_NS + "issuer"
    issuerName = FZ_NS + "issuerName"
    docKind = FZ_NS + "docKind"
    docNumber = FZ_NS + "docNumber"

    # -- metric observation
    value = FZ_NS + "value"
    unit = FZ_NS + "unit"
    baseValue = FZ_NS + "baseValue"
    baseUnit = FZ_NS + "baseUnit"
    approximate = FZ_NS + "approximate"
    qualifier = FZ_NS + "qualifier"
    scope = FZ_NS + "scope"
    subject = FZ_NS + "subject"
    metric = FZ_NS + "metric"
    agency = FZ_NS + "agency"
    jurisdiction = FZ_NS + "jurisdiction"

    # -- build record
    buildId = FZ_NS + "buildId"
    usedVersion = FZ_NS + "usedVersion"
    versionOf = FZ_NS + "versionOf"
    hasCount = FZ_NS + "hasCount"
    countOf = FZ_NS + "countOf"
    count = FZ_NS + "count"


class RDF:
    NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    type = NS + "type"
    Property = NS + "Property"


class RDFS:
    NS = "http://www.w3.org/2000/01/rdf-schema#"
    label = NS + "label"
    comment = NS + "comment"
    Class = NS + "Class"
    Literal = NS + "Literal"
    subClassOf = NS + "subClassOf"
    subPropertyOf = NS + "subPropertyOf"
    domain = NS + "domain"
    range = NS + "range"


class OWL:
    NS = "http://www.w3.org/2002/07/owl#"
    Ontology = NS + "Ontology"
    Class = NS + "Class"
    ObjectProperty = NS + "ObjectProperty"
    DatatypeProperty = NS + "DatatypeProperty"
    NamedIndividual = NS + "NamedIndividual"


class XSD:
    NS = "http://www.w3.org/2001/XMLSchema#"
    string = NS + "string"
    boolean = NS + "boolean"
    integer = NS + "integer"
    decimal = NS + "decimal"
    double = NS + "double"
    date = NS + "date"
    dateTime = NS + "dateTime"
    gYear = NS + "gYear"
    gYearMonth = NS + "gYearMonth"
    anyURI = NS + "anyURI"


class SKOS:
    NS = "http://www.w3.org/2004/02/skos/core#"
    Concept = NS + "Concept"
    ConceptScheme = NS + "ConceptScheme"
    prefLabel = NS + "prefLabel"
    altLabel = NS + "altLabel"
    hiddenLabel = NS + "hiddenLabel"
    inScheme = NS + "inScheme"
    notation = NS + "notation"
    broader = NS + "broader"
    definition = NS + "definition"


class PROV:
    NS = "http://www.w3.org/ns/prov#"
    Activity = NS + "Activity"
    Entity = NS + "Entity"
    Organization = NS + "Organization"
    Location = NS + "Location"
    wasGeneratedBy = NS + "wasGeneratedBy"
    startedAtTime = NS + "startedAtTime"
    endedAtTime = NS + "endedAtTime"
    used = NS + "used"


class DCTERMS:
    NS = "http://purl.org/dc/terms/"
    title = NS + "title"
    issued = NS + "issued"


LEVELS: dict[str, str] = {
    "national": FZ.level_national,
    "province": FZ.level_province,
    "prefecture": FZ.level_prefecture,
    "county": FZ.level_county,
    "township": FZ.level_township,
    "zone": FZ.level_zone,
}
SECTIONS: dict[str, str] = {
    "achievements": FZ.section_achievements,
    "problems": FZ.section_problems,
    "plans": FZ.section_plans,
    "other": FZ.section_other,
}
ROLES: dict[str, str] = {"issued": FZ.role_issued, "cited": FZ.role_cited}
SCOPES: dict[str, str] = {
    "annual": FZ.scope_annual,
    "cumulative": FZ.scope_cumulative,
    "as_of": FZ.scope_as_of,
    "multi_year": FZ.scope_multi_year,
    "other_year": FZ.scope_other_year,
}
ENUM_VALUE: dict[str, str] = {
    iri: value for table in (LEVELS, SECTIONS, ROLES, SCOPES) for value, iri in table.items()
}

PREFIXES: dict[str, str] = {
    "fz": FZ_NS,
    "fzid": ID_NS,
    "rdf": RDF.NS,
    "rdfs": RDFS.NS,
    "owl": OWL.NS,
    "xsd": XSD.NS,
    "skos": SKOS.NS,
    "prov": PROV.NS,
    "dcterms": DCTERMS.NS,
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def fz_terms() -> dict[str, str]:
    """Every ``fz:`` term exposed by :class:`FZ`, local name -> IRI."""
    return {k: v for k, v in vars(FZ).items() if isinstance(v, str) and v.startswith(FZ_NS)}


def is_report_graph(iri: str) -> bool:
    """True for the named graph of a report (``…/graph/report/{slug}``)."""
    return iri.startswith(GRAPH_REPORT_NS)


@lru_cache(maxsize=1 << 16)
def nn(iri: str) -> pyoxigraph.NamedNode:
    """The pyoxigraph ``NamedNode`` of ``iri`` (cached; bounded so memory does not grow)."""
    return pyoxigraph.NamedNode(iri)


@lru_cache(maxsize=1 << 12)
def uri(iri: str) -> rdflib.URIRef:
    """The rdflib ``URIRef`` of ``iri`` (rdflib imported on first use)."""
    from rdflib import URIRef

    return URIRef(iri)
