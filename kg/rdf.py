"""The mapping from the model (``kg.model``) to quads; uses only ``kg.vocab`` and ``kg.iri``.

- :func:`report_quads`: one report and its facts -> quads in the report's named graph: the
  report node (metadata, reporter), ONE sentence node per distinct sentence that carries a
  fact, ONE mention node per fact (the provenance of the fact) pointing at its entity, the
  entities' descriptions (type and label; documents and metric observations in full), and a
  direct edge report -> entity per kind (``fz:mentionsProgram``, ``fz:runsProgram``,
  ``fz:mentionsAgency``, ``fz:mentionsDocument``, ``fz:issuedDocument``, ``fz:hasObservation``).
- :func:`jurisdiction_quads`: gazetteer places -> quads in the gazetteer graph.
- :func:`build_record_quads`: a build's PROV record -> quads in the builds graph.
- :func:`validate`: SHACL validation of quads against ``ontology/shapes.ttl``.

Size (see ontology/README.md): a mention costs 9 quads (type, mentionOf, sentence, start, end,
surface, section, component, confidence; +1 when negated, +1-2 for a document's role and
inferred issuer); a sentence 6, stored once; per report and distinct entity 1 direct edge (2 for
a run program or an issued document) plus its description (2 for a program or an agency, 3-6
for a document); a metric observation 10-13 more (+1 edge). A report node is 12-18. A typical
report (100 facts over 60 sentences) is about 1,730 quads: 17 per fact.

>>> from kg.model import Fact, Mention, Report
>>> text = "全面推行行政执法三项制度。"
>>> r = Report(id="seeds/x.txt", version="0" * 64, source="seeds/x.txt", text=text)
>>> f = Fact(kind="program", label="行政执法三项制度", mention=Mention(4, 12, "行政执法三项制度"),
...          sentence_id=0, sentence=text, section="achievements", component="programs@1")
>>> quads = report_quads(r, [f])
>>> len(quads)
25
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Quad, Triple

from kg.iri import (
    NATIONAL_IRI,
    NATIONAL_NAMES,
    agency_iri,
    build_graph,
    build_iri,
    code12,
    document_iri,
    jurisdiction_iri,
    metric_concept_iri,
    mint,
    program_iri,
    report_graph,
    report_iri,
    sentence_iri,
    zone_key,
)
from kg.vocab import (
    DCTERMS,
    FZ,
    GRAPH_DUPLICATES,
    GRAPH_GAZETTEER,
    LEVELS,
    ONTOLOGY_TTL,
    PROV,
    RDF,
    RDFS,
    ROLES,
    SCOPES,
    SECTIONS,
    SHAPES_TTL,
    SKOS,
    XSD,
    nn,
)

if TYPE_CHECKING:
    import rdflib

    from kg.model import Fact, Jurisdiction, Report

__all__ = [
    "build_record_quads",
    "duplicate_quads",
    "gazetteer_keys",
    "jurisdiction_quads",
    "report_quads",
    "reporter_iri",
    "to_rdflib",
    "validate",
]

_TYPE = nn(RDF.type)
_T_INT = nn(XSD.integer)
_T_DEC = nn(XSD.decimal)
_T_BOOL = nn(XSD.boolean)
_T_DATE = nn(XSD.date)
_T_YM = nn(XSD.gYearMonth)
_T_Y = nn(XSD.gYear)
_T_DT = nn(XSD.dateTime)
_T_URI = nn(XSD.anyURI)
_TRUE = Literal("true", datatype=_T_BOOL)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_YM = re.compile(r"\d{4}-\d{2}\Z")
_Y = re.compile(r"\d{4}\Z")
_DT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\Z")


# ---------------------------------------------------------------------------------------------
# literals


def _int(n: int) -> Literal:
    return Literal(str(int(n)), datatype=_T_INT)


def _dec(x: Any) -> Literal | None:
    """An xsd:decimal literal for a number (written value kept: 7320.9 stays 7320.9)."""
    if x is None or isinstance(x, bool):
        return None
    try:
        d = x if isinstance(x, Decimal) else Decimal(repr(x) if isinstance(x, float) else str(x))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite():
        return None
    lex = format(d, "f")
    return Literal(lex, datatype=_T_DEC)


def _conf(x: float) -> Literal:
    return Literal(format(Decimal(repr(round(float(x), 3))), "f"), datatype=_T_DEC)


def _temporal(value: Any) -> Literal | None:
    """xsd:date / gYearMonth / gYear / dateTime from a date-like value; else a plain string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=_T_DT)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=_T_DATE)
    s = str(value).strip()
    if _DATE.match(s):
        return Literal(s, datatype=_T_DATE)
    if _YM.match(s):
        return Literal(s, datatype=_T_YM)
    if _Y.match(s):
        return Literal(s, datatype=_T_Y)
    if _DT.match(s):
        s = s.replace(" ", "T", 1)
        if len(s) == 16:
            s += ":00"
        if re.search(r"[+-]\d{4}\Z", s):
            s = s[:-2] + ":" + s[-2:]
        return Literal(s, datatype=_T_DT)
    return Literal(s)


def _get(obj: Any, *names: str) -> Any:
    """First present attribute/key of ``obj`` among ``names`` (duck typing for places)."""
    for n in names:
        v = obj.get(n) if isinstance(obj, dict) else getattr(obj, n, None)
        if v not in (None, ""):
            return v
    return None


# ---------------------------------------------------------------------------------------------
# report


def reporter_iri(j: Jurisdiction | None) -> str | None:
    """The reporter's jurisdiction IRI: by code, the nation, a zone by name; else None."""
    if j is None:
        return None
    if j.code:
        return jurisdiction_iri(j.code)
    if j.level == "national" or (j.name and j.name in NATIONAL_NAMES):
        return NATIONAL_IRI
    if j.level == "zone" and j.name:
        return jurisdiction_iri(zone_key(j.name))
    return None


def gazetteer_keys(j: Jurisdiction | None) -> list[str]:
    """Gazetteer keys (12-digit code or ``zone:{name}``) of the reporter and its candidates."""
    if j is None:
        return []
    out = []
    for x in (j, *j.candidates):
        code = getattr(x, "code", None)
        key = code12(code) if code else None
        if key is None and getattr(x, "level", None) == "zone" and getattr(x, "name", None):
            key = zone_key(x.name)
        if key and key not in out:
            out.append(key)
    return out


def _signature(report: Report) -> str | None:
    """The report's MinHash text signature (kg.dedup), when the report carries none."""
    sig = getattr(report, "signature", None)
    if sig:
        return str(sig)
    try:
        from kg.dedup import encode_signature, signature
    except ImportError:  # pragma: no cover - dedup not available
        return None
    return encode_signature(signature(report.text))


def _candidate_iri(c: Any) -> str | None:
    if getattr(c, "code", None):
        return jurisdiction_iri(c.code)
    if getattr(c, "level", None) == "zone" and getattr(c, "name", None):
        return jurisdiction_iri(zone_key(c.name))
    return None


def _locate(text: str, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of ``sentence`` in ``text`` around the mention [start, end)."""
    n = len(sentence)
    if not n:
        return None
    i = text.find(sentence, max(0, end - n), start + n)
    if i != -1:
        return i, i + n
    i = text.find(sentence)
    return (i, i + n) if i != -1 else None


def _section_at(report: Report, offset: int) -> str | None:
    for s in report.sections:
        if s.start <= offset < s.end:
            return s.kind
    return None


def report_quads(
    report: Report,
    facts: Sequence[Fact],
    sentences: dict[int, tuple[Any, ...]] | str | None = None,
    build_id: str | dict[int, tuple[Any, ...]] | None = None,
    *,
    fingerprint: str | None = None,
    signature: str | None = None,
) -> list[Quad]:
    """All quads of one report, in its named graph (see module docstring).

    ``sentences`` maps a fact's ``sentence_id`` to ``(start, end, text)`` or
    ``(start, end, text, section)``; a sentence not in it is located in ``report.text`` around
    its first mention. Only sentences that carry a fact are stored. ``build_id`` links the
    report to its build record (``report_quads(report, facts, build_id)`` also works: a string
    in third place is taken as the build id). ``fingerprint`` (the build fingerprint) lets a
    rebuild skip unchanged reports. ``signature`` is the text's MinHash signature for
    near-duplicate detection (``report.signature`` if it has one, else computed by kg.dedup).
    """
    if isinstance(sentences, str):
        sentences, build_id = (build_id if isinstance(build_id, dict) else None), sentences
    if isinstance(build_id, dict):
        raise TypeError("build_id must be a string")
    g = nn(report_graph(report.id))
    out: list[Quad] = []
    add = out.append
    r = nn(report_iri(report.id))

    def q(s: NamedNode, p: str, o: Any) -> None:
        add(Quad(s, nn(p), o, g))

    # -- the report node
    q(r, RDF.type, nn(FZ.Report))
    q(r, FZ.reportId, Literal(report.id))
    q(r, FZ.text, Literal(report.text))  # the text every offset indexes (/reports/{id})
    q(r, FZ.version, Literal(report.version))
    q(r, FZ.sourcePath, Literal(report.source))
    if report.url:
        q(r, FZ.url, Literal(report.url, datatype=_T_URI))
    title = report.title or report.meta.title
    if title:
        q(r, DCTERMS.title, Literal(title))
    if report.year is not None:
        q(r, FZ.year, _int(report.year))
    published = report.published or report.meta.published
    for pred, value in (
        (DCTERMS.issued, published),
        (FZ.signed, report.signed),
        (FZ.fetchedAt, report.fetched_at),
    ):
        lit = _temporal(value)
        if lit is not None:
            q(r, pred, lit)
    if report.format:
        q(r, FZ.format, Literal(report.format))
    if fingerprint:
        q(r, FZ.fingerprint, Literal(fingerprint))
    sig = signature or _signature(report)
    if sig:
        q(r, FZ.signature, Literal(sig))
    if build_id:
        q(r, PROV.wasGeneratedBy, nn(build_iri(build_id)))
    if report.duplicate_of:
        q(r, FZ.duplicateOf, nn(report_iri(report.duplicate_of)))

    j = report.jurisdiction
    rep = reporter_iri(j)
    rep_node = nn(rep) if rep else None
    if j is not None:
        if rep_node is not None:
            q(r, FZ.reporter, rep_node)
        if j.name:
            q(r, FZ.reporterName, Literal(j.name))
        if j.confidence:
            q(r, FZ.reporterConfidence, _conf(j.confidence))
        if rep_node is None:
            for c in j.candidates:
                ci = _candidate_iri(c)
                if ci:
                    q(r, FZ.reporterCandidate, nn(ci))
        for key in gazetteer_keys(j):
            q(r, FZ.gazetteerKey, Literal(key))

    described: set[str] = set()
    dept_node: NamedNode | None = None
    if report.department:
        dept = agency_iri(report.department)
        dept_node = nn(dept)
        q(r, FZ.department, Literal(report.department))
        q(r, FZ.reportingAgency, dept_node)
        described.add(dept)
        q(dept_node, RDF.type, nn(FZ.Agency))
        q(dept_node, RDFS.label, Literal(report.department))
        if rep_node is not None:
            q(dept_node, FZ.ofJurisdiction, rep_node)

    # agencies named in this report, to link document issuers and metric agencies
    agency_by_label: dict[str, str] = {}
    for f in facts:
        if f.kind == "agency":
            agency_by_label.setdefault(f.label, agency_iri(f.id or f.label))
            agency_by_label.setdefault(f.mention.surface, agency_iri(f.id or f.label))

    def describe_agency(iri: str, label: str, attrs: dict[str, Any] | None = None) -> None:
        if iri in described:
            return
        described.add(iri)
        node = nn(iri)
        q(node, RDF.type, nn(FZ.Agency))
        q(node, RDFS.label, Literal(label))
        attrs = attrs or {}
        kind = attrs.get("agency_type") or attrs.get("type")
        if kind:
            q(node, FZ.agencyType, Literal(str(kind)))
        jur = attrs.get("jurisdiction")
        jur_code = jur.get("code") if isinstance(jur, dict) else jur
        if isinstance(jur_code, str) and jur_code:
            q(node, FZ.ofJurisdiction, nn(jurisdiction_iri(jur_code)))

    # -- sentences
    sentence_nodes: dict[int, NamedNode] = {}
    sentences = sentences or {}

    def sentence_node(f: Fact) -> NamedNode:
        node = sentence_nodes.get(f.sentence_id)
        if node is not None:
            return node
        node = nn(sentence_iri(report.id, f.sentence_id))
        sentence_nodes[f.sentence_id] = node
        span = sentences.get(f.sentence_id)
        s_section = None
        if span is not None:
            s_start, s_end, s_text = span[0], span[1], span[2]
            s_section = span[3] if len(span) > 3 else None
        else:
            s_text = f.sentence
            loc = _locate(report.text, s_text, f.mention.start, f.mention.end)
            s_start, s_end = loc if loc else (None, None)
        q(node, RDF.type, nn(FZ.Sentence))
        q(node, FZ.report, r)
        if s_start is not None and s_end is not None:
            q(node, FZ.start, _int(s_start))
            q(node, FZ.end, _int(s_end))
        q(node, FZ.text, Literal(s_text))
        section = (
            s_section
            or (_section_at(report, s_start) if s_start is not None else None)
            or f.section
        )
        q(node, FZ.section, nn(SECTIONS.get(section, FZ.section_other)))
        return node

    # -- facts
    edges: set[tuple[str, str]] = set()
    local_ids: dict[str, int] = {}

    def edge(pred: str, obj: str) -> None:
        if (pred, obj) not in edges:
            edges.add((pred, obj))
            q(r, pred, nn(obj))

    def local(kind: str, f: Fact) -> str:
        key = f"{kind}-{f.mention.start}-{f.mention.end}"
        n = local_ids.get(key, 0)
        local_ids[key] = n + 1
        return key if n == 0 else f"{key}-{n + 1}"

    for f in facts:
        a = f.attrs
        kind = f.kind
        if kind == "program":
            ent = program_iri(f.id or f.label)
            if ent not in described:
                described.add(ent)
                node = nn(ent)
                q(node, RDF.type, nn(FZ.Program))
                q(node, SKOS.prefLabel, Literal(f.label))
                if a.get("candidate"):
                    q(node, FZ.candidate, _TRUE)
                if a.get("category"):
                    q(node, FZ.category, Literal(str(a["category"])))
            edge(FZ.mentionsProgram, ent)
            if not f.negated and f.section not in ("plans", "problems"):
                edge(FZ.runsProgram, ent)
        elif kind == "agency":
            ent = agency_iri(f.id or f.label)
            describe_agency(ent, f.label, a)
            edge(FZ.mentionsAgency, ent)
        elif kind == "document":
            title = str(a.get("title") or f.label)
            role = a.get("role") or "cited"
            issuer = a.get("issuer") or None
            inferred = bool(a.get("issuer_inferred"))
            doc_kind = a.get("doc_kind")
            if role == "issued" and not issuer:
                issuer = report.department or (j.name if j else None)
                inferred = issuer is not None
            # identity from the canonical title (alias table applied: 民法典 = 中华人民共和国民法典)
            ent = document_iri(
                str(a.get("canonical") or title),
                issuer,
                role=role,
                issuer_inferred=inferred,
                doc_kind=doc_kind,
            )
            if ent not in described:
                described.add(ent)
                node = nn(ent)
                q(node, RDF.type, nn(FZ.Document))
                q(node, DCTERMS.title, Literal(title))
                if issuer:
                    q(node, FZ.issuerName, Literal(str(issuer)))
                    link: NamedNode | None = None
                    if inferred or issuer == report.department:
                        link = dept_node if report.department else rep_node
                    elif j is not None and issuer == j.name:
                        link = rep_node
                    elif issuer in agency_by_label:
                        link = nn(agency_by_label[issuer])
                    if link is not None:
                        q(node, FZ.issuer, link)
                if doc_kind:
                    q(node, FZ.docKind, Literal(str(doc_kind)))
                if a.get("year") is not None:
                    q(node, FZ.year, _int(a["year"]))
                doc_no = a.get("doc_number") or a.get("doc_no")
                if doc_no:
                    q(node, FZ.docNumber, Literal(str(doc_no)))
            edge(FZ.mentionsDocument, ent)
            if role == "issued":
                edge(FZ.issuedDocument, ent)
        elif kind == "metric":
            ent = mint("observation", report.id, local("obs", f).removeprefix("obs-"))
            node = nn(ent)
            q(node, RDF.type, nn(FZ.MetricObservation))
            value = _dec(a.get("value"))
            if value is not None:
                q(node, FZ.value, value)
            if a.get("unit"):
                q(node, FZ.unit, Literal(str(a["unit"])))
            base = _dec(a.get("base_value"))
            if base is not None:
                q(node, FZ.baseValue, base)
            if a.get("base_unit"):
                q(node, FZ.baseUnit, Literal(str(a["base_unit"])))
            if a.get("approximate"):
                q(node, FZ.approximate, _TRUE)
            if a.get("qualifier"):
                q(node, FZ.qualifier, Literal(str(a["qualifier"])))
            scope = a.get("scope")
            if scope in SCOPES:
                q(node, FZ.scope, nn(SCOPES[scope]))
            subject = a.get("subject") or f.label
            if subject:
                q(node, FZ.subject, Literal(str(subject)))
            if a.get("metric"):
                q(node, FZ.metric, nn(metric_concept_iri(str(a["metric"]))))
            agency = a.get("agency")
            if agency:
                ag = agency_by_label.get(agency) or agency_iri(str(agency))
                describe_agency(ag, str(agency))
                q(node, FZ.agency, nn(ag))
            jur = a.get("jurisdiction")
            jur_code = jur.get("code") if isinstance(jur, dict) else jur
            if isinstance(jur_code, str) and jur_code:
                q(node, FZ.jurisdiction, nn(jurisdiction_iri(jur_code)))
            elif rep_node is not None:
                q(node, FZ.jurisdiction, rep_node)
            year = a.get("year", report.year)
            if year is not None:
                q(node, FZ.year, _int(year))
            edge(FZ.hasObservation, ent)
        else:  # a kind this mapping does not know: keep the mention, label the entity
            ent = mint(
                kind if re.fullmatch(r"[a-z][a-z0-9-]*", kind) else "entity", f.id or f.label
            )
            if ent not in described:
                described.add(ent)
                q(nn(ent), RDFS.label, Literal(f.label))

        # -- the mention (provenance of this fact)
        m = nn(mint("mention", report.id, local(kind, f)))
        q(m, RDF.type, nn(FZ.Mention))
        q(m, FZ.mentionOf, nn(ent))
        q(m, FZ.sentence, sentence_node(f))
        q(m, FZ.start, _int(f.mention.start))
        q(m, FZ.end, _int(f.mention.end))
        q(m, FZ.surface, Literal(f.mention.surface))
        q(m, FZ.section, nn(SECTIONS.get(f.section, FZ.section_other)))
        if f.component:
            q(m, FZ.component, Literal(f.component))
        q(m, FZ.confidence, _conf(f.confidence))
        if f.negated:
            q(m, FZ.negated, _TRUE)
        if kind == "document":
            q(m, FZ.role, nn(ROLES.get(role, FZ.role_cited)))
            if inferred:
                q(m, FZ.issuerInferred, _TRUE)
    return out


# ---------------------------------------------------------------------------------------------
# gazetteer


def _place_iri(code: str | None, key: str | None, name: str | None, level: str | None) -> str:
    if code:
        return jurisdiction_iri(code)
    if level == "national":
        return NATIONAL_IRI
    if key:
        return jurisdiction_iri(key)
    if level == "zone" and name:
        return jurisdiction_iri(zone_key(name))
    if name:
        return jurisdiction_iri(name)
    raise ValueError("a place needs a code, a key or a name")


def jurisdiction_quads(
    places: Iterable[Any], gazetteer: Any = None, *, graph: str = GRAPH_GAZETTEER
) -> Iterator[Quad]:
    """Quads of the gazetteer graph from place objects.

    Each place has attributes (or keys) ``code`` (12-digit or None), ``name``, ``level``,
    ``parent`` (the parent's key or code, or a place object), ``key`` (its own key: the code,
    ``zone:{name}`` for a zone without one), ``aliases`` (strings -> ``skos:altLabel``; objects
    or dicts with ``name`` and ``valid_from``/``valid_to``/``code`` -> ``fz:FormerName`` nodes)
    and optionally ``rank``. Keys are resolved to IRIs across the whole list, so a parent may
    come after its child. With a ``gazetteer`` (``kg.gazetteer.Gazetteer``), each place's
    ``gazetteer.former_names(place)`` records (name, code, valid_from, valid_to) are added as
    former names.
    """
    items = list(places)
    iri_of_key: dict[str, str] = {}
    for p in items:
        iri = _place_iri(_get(p, "code"), _get(p, "key"), _get(p, "name"), _get(p, "level"))
        for k in (_get(p, "key"), _get(p, "code")):
            if k:
                iri_of_key[str(k)] = iri
    g = nn(graph)
    for p in items:
        code, key, name, level = _get(p, "code"), _get(p, "key"), _get(p, "name"), _get(p, "level")
        iri = _place_iri(code, key, name, level)
        node = nn(iri)
        yield Quad(node, _TYPE, nn(FZ.Jurisdiction), g)
        if name:
            yield Quad(node, nn(RDFS.label), Literal(str(name)), g)
        if code:
            yield Quad(node, nn(FZ.code), Literal(str(code).ljust(12, "0")), g)
        if level in LEVELS:
            yield Quad(node, nn(FZ.level), nn(LEVELS[level]), g)
        parent = _get(p, "parent")
        if parent is not None:
            if not isinstance(parent, str):
                parent = _get(parent, "key", "code") or _get(parent, "name")
            if parent:
                parent_iri = iri_of_key.get(str(parent)) or jurisdiction_iri(str(parent))
                yield Quad(node, nn(FZ.within), nn(parent_iri), g)
        rank = _get(p, "rank")
        if rank:
            yield Quad(node, nn(FZ.rank), Literal(str(rank)), g)
        aliases = list(_get(p, "aliases") or ())
        if gazetteer is not None and hasattr(gazetteer, "former_names"):
            aliases += list(gazetteer.former_names(p))
        for alias in aliases:
            if isinstance(alias, str):
                if alias != name:
                    yield Quad(node, nn(SKOS.altLabel), Literal(alias), g)
                continue
            a_name = _get(alias, "name", "label")
            if not a_name:
                continue
            a_from = _get(alias, "valid_from", "from", "start")
            a_to = _get(alias, "valid_to", "to", "end")
            a_code = _get(alias, "code", "former_code")
            fnode = nn(
                mint(
                    "former-name",
                    code or key or name,
                    str(a_name),
                    str(a_from or ""),
                    str(a_to or ""),
                )
            )
            yield Quad(node, nn(FZ.formerName), fnode, g)
            yield Quad(fnode, _TYPE, nn(FZ.FormerName), g)
            yield Quad(fnode, nn(RDFS.label), Literal(str(a_name)), g)
            for pred, value in ((FZ.validFrom, a_from), (FZ.validTo, a_to)):
                lit = _temporal(value)
                if lit is not None:
                    yield Quad(fnode, nn(pred), lit, g)
            if a_code:
                yield Quad(fnode, nn(FZ.formerCode), Literal(str(a_code).ljust(12, "0")), g)


# ---------------------------------------------------------------------------------------------
# build record


def build_record_quads(
    build_id: str,
    versions: dict[str, str],
    started: datetime | str,
    ended: datetime | str | None,
    counts: dict[str, int],
    *,
    fingerprint: str | None = None,
    graph: str | None = None,
) -> list[Quad]:
    """The PROV record of one build (``fz:BuildRecord``, a ``prov:Activity``), in the build's
    own graph ``iri.build_graph(build_id)`` (``…/graph/builds/{slug}``) unless ``graph`` is given.
    """
    g = nn(graph or build_graph(build_id))
    b = nn(build_iri(build_id))
    out = [
        Quad(b, _TYPE, nn(FZ.BuildRecord), g),
        Quad(b, nn(FZ.buildId), Literal(build_id), g),
    ]
    for pred, value in ((PROV.startedAtTime, started), (PROV.endedAtTime, ended)):
        if value is None:
            continue
        lit = _temporal(value)
        if lit is not None and lit.datatype != _T_DT:
            raise ValueError(f"{pred}: expected a date-time, got {value!r}")
        if lit is not None:
            out.append(Quad(b, nn(pred), lit, g))
    if fingerprint:
        out.append(Quad(b, nn(FZ.fingerprint), Literal(fingerprint), g))
    for name, ver in versions.items():
        v = nn(mint("version", build_id, name))
        out += [
            Quad(b, nn(FZ.usedVersion), v, g),
            Quad(v, _TYPE, nn(FZ.VersionEntry), g),
            Quad(v, nn(FZ.versionOf), Literal(name), g),
            Quad(v, nn(FZ.version), Literal(str(ver)), g),
        ]
    for name, n in counts.items():
        c = nn(mint("count", build_id, name))
        out += [
            Quad(b, nn(FZ.hasCount), c, g),
            Quad(c, _TYPE, nn(FZ.BuildCount), g),
            Quad(c, nn(FZ.countOf), Literal(name), g),
            Quad(c, nn(FZ.count), _int(n), g),
        ]
    return out


def duplicate_quads(links: dict[str, str], graph: str = GRAPH_DUPLICATES) -> list[Quad]:
    """``report fz:duplicateOf canonical`` for ``{report id: canonical report id}``, in the
    duplicates graph (store-wide links found after a build; replace the graph as a whole)."""
    g = nn(graph)
    p = nn(FZ.duplicateOf)
    return [Quad(nn(report_iri(a)), p, nn(report_iri(b)), g) for a, b in sorted(links.items())]


# ---------------------------------------------------------------------------------------------
# rdflib bridge and SHACL


def to_rdflib(quads: Iterable[Quad | Triple]) -> rdflib.Graph:
    """An rdflib ``Graph`` of the triples of ``quads`` (graph names dropped)."""
    import pyoxigraph
    import rdflib

    data = pyoxigraph.serialize(
        (x.triple if isinstance(x, Quad) else x for x in quads),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    graph = rdflib.Graph()
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def validate(
    data: Iterable[Quad | Triple] | rdflib.Graph,
    *,
    shapes: str | Path = SHAPES_TTL,
    ontology: str | Path | None = ONTOLOGY_TTL,
) -> tuple[bool, str]:
    """SHACL-validate ``data`` against ``ontology/shapes.ttl``: ``(conforms, report text)``."""
    import rdflib
    from pyshacl import validate as shacl

    graph = data if isinstance(data, rdflib.Graph) else to_rdflib(data)
    shapes_graph = rdflib.Graph().parse(str(shapes), format="turtle")
    ont = rdflib.Graph().parse(str(ontology), format="turtle") if ontology else None
    conforms, _report_graph, text = shacl(
        graph, shacl_graph=shapes_graph, ont_graph=ont, inference="none", advanced=False
    )
    return bool(conforms), str(text)
