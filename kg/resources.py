"""The library behind the REST resources: programs, jurisdictions, metrics, documents, reports
and search, read from the summaries materialised at build time (:mod:`kg.summaries`).

Every function takes the store first and returns plain JSON-able values; ``None`` means "no
such resource" (the API answers 404) and :class:`BadParameter` a parameter that cannot be right
(400). Lists are pages: ``{"items": [...], "total": N, "limit": L, "offset": O}``. A user's
input never reaches a query string: ids are looked up in the summary indexes, and a report's
graph IRI is minted from its id by :func:`kg.iri.report_graph`.

Ids: a program is the tail of its IRI after ``…/id/program/`` (``fa-lv-ming-bai-ren``,
``candidate/san-shu-tong-da``); a jurisdiction its 12-digit code (6 and 9 digits accepted),
``zone:{name}`` for a zone without a code, ``CN`` for the nation; a metric concept its concept id
(``court_appearance_rate``); a document and an agency the tail of their IRI; a report its
report id (a path or a URL).

>>> from kg.store import OxigraphStore
>>> list_programs(OxigraphStore(None))["total"] >= 0
True
>>> parse_jurisdiction_id("210881")
'210881000000'
>>> parse_jurisdiction_id("zone:濟寧太白湖新區")
'zone:济宁太白湖新区'
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any
from urllib.parse import quote

from kg.iri import NATIONAL_NAMES, code12, report_graph, report_iri
from kg.store import Store, python_value
from kg.summaries import SummaryView, concept_id, name_key, pinyin_keys, view
from kg.textnorm import normalize
from kg.vocab import DCTERMS, ENUM_VALUE, FZ, ID_NS, RDF, RDFS, SKOS

__all__ = [
    "BadParameter",
    "get_document",
    "get_jurisdiction",
    "get_program",
    "get_report",
    "list_documents",
    "list_jurisdictions",
    "list_metric_concepts",
    "list_programs",
    "list_reports",
    "metric_observations",
    "page",
    "parse_jurisdiction_id",
    "resource_url",
    "search",
]

LEVELS = ("national", "province", "prefecture", "county", "township", "zone")
ROLES = ("issued", "cited")
SEARCH_KINDS = ("program", "jurisdiction", "agency", "document")
PROGRAM_SORTS = ("adopters", "reports", "mentions", "label")
DEFAULT_DETAIL_LIMIT = 200


class BadParameter(ValueError):
    """A request parameter that cannot be right (the API answers 400 with the message)."""


def page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page of ``items``."""
    if limit < 0 or offset < 0:
        raise BadParameter("limit and offset must not be negative")
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit,
            "offset": offset}  # fmt: skip


def resource_url(kind: str, id_: str | None) -> str | None:
    """The API path of a resource (``/programs/fa-lv-ming-bai-ren``)."""
    if not id_:
        return None
    base = {"program": "/programs/", "jurisdiction": "/jurisdictions/", "document": "/documents/",
            "report": "/reports/", "metric": "/metrics/"}.get(kind)  # fmt: skip
    return base + quote(id_, safe="/:") if base else None


def _cap(lst: list[Any], limit: int | None) -> list[Any]:
    return lst if limit is None else lst[:limit]


def _by_id(v: SummaryView, name: str) -> dict[str, dict[str, Any]]:
    items = v.index(name) or []
    if isinstance(items, dict):
        items = items.get("items") or items.get("concepts") or []
    return {it["id"]: it for it in items}


# ---------------------------------------------------------------------------------------------
# programs


def _program_lookup(v: SummaryView) -> dict[str, Any]:
    items = v.index("programs") or []
    by_id = {it["id"]: it for it in items}
    by_name: dict[str, set[str]] = defaultdict(set)
    for it in items:
        by_name[name_key(it["label"])].add(it["id"])
        if it["id"].startswith("candidate/"):
            by_name["slug:" + it["id"].removeprefix("candidate/")].add(it["id"])
        by_name["iri:" + it["iri"]].add(it["id"])
    return {"by_id": by_id, "by_name": by_name, "items": items}


def _resolve_program(v: SummaryView, ref: str) -> dict[str, Any] | None:
    lk = v.prepared("programs.lookup", _program_lookup)
    ref = ref.strip().strip("/")
    if ref in lk["by_id"]:
        return lk["by_id"][ref]
    for key in ("iri:" + ref, "slug:" + ref, name_key(ref)):
        ids = lk["by_name"].get(key)
        if ids and len(ids) == 1:
            return lk["by_id"][next(iter(ids))]
    return None


def list_programs(
    store: Store,
    *,
    category: str | None = None,
    candidate: bool | None = None,
    q: str | None = None,
    sort: str = "adopters",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Programs (curated and candidate) with adopter counts, most adopted first."""
    if sort not in PROGRAM_SORTS:
        raise BadParameter(f"sort must be one of {', '.join(PROGRAM_SORTS)}")
    v = view(store)
    items = v.prepared("programs.lookup", _program_lookup)["items"]
    if category:
        cat = name_key(category)
        items = [it for it in items if it["category"] and name_key(it["category"]) == cat]
    if candidate is not None:
        items = [it for it in items if it["candidate"] == candidate]
    if q:
        k = name_key(q)
        items = [it for it in items if k in name_key(it["label"]) or k in it["id"].replace("-", "")]
    if sort == "label":
        items = sorted(items, key=lambda it: it["label"])
    elif sort in ("reports", "mentions"):
        items = sorted(items, key=lambda it: (-it["counts"][sort], it["label"]))
    return page(items, limit, offset)


def get_program(store: Store, ref: str, *, limit: int | None = DEFAULT_DETAIL_LIMIT) -> dict | None:
    """A program with its adopters (jurisdiction, year, section, sentence, URL); plan-only,
    negated and problems-only mentions in their own lists (each capped at ``limit``; the
    totals are in ``counts``)."""
    v = view(store)
    it = _resolve_program(v, ref)
    if it is None:
        return None
    doc = v.doc(it["iri"])
    if doc is None:
        return None
    out = dict(doc)
    for key in ("adopted_by", "plan_only", "negated", "problems_only"):
        out[key] = _cap(doc.get(key) or [], limit)
    return out


# ---------------------------------------------------------------------------------------------
# jurisdictions

_DIGITS = re.compile(r"[0-9]+\Z")


def parse_jurisdiction_id(raw: str) -> str:
    """The canonical id of a jurisdiction reference: a 6-, 9- or 12-digit code (→ 12 digits),
    ``zone:{name}`` (name normalised), or ``CN``; :class:`BadParameter` otherwise."""
    s = (raw or "").strip()
    if not s:
        raise BadParameter("empty jurisdiction code")
    if _DIGITS.match(s):
        c = code12(s)
        if c is None:
            raise BadParameter(f"{s!r}: a division code has 6, 9 or 12 digits")
        return c
    if s[:5].lower() == "zone:":
        name = re.sub(r"\s+", "", normalize(s[5:]))
        if not name:
            raise BadParameter("zone: needs a name (zone:济宁太白湖新区)")
        return "zone:" + name
    if s.upper() == "CN" or s in NATIONAL_NAMES:
        return "CN"
    raise BadParameter(
        f"{s!r} is not a jurisdiction code: use a 6-, 9- or 12-digit division code, "
        "'zone:名称' for a zone without one, or 'CN'"
    )


def _jurisdiction_lookup(v: SummaryView) -> dict[str, Any]:
    doc = v.index("jurisdictions") or {}
    items = doc.get("items") or []
    by_id = {it["id"]: it for it in items}
    for it in items:  # zone names as written in traditional characters, NFKC …
        if it["id"].startswith("zone:"):
            by_id.setdefault("zone:" + re.sub(r"\s+", "", normalize(it["id"][5:])), it)
    for old, new in (doc.get("former_codes") or {}).items():
        if new in by_id:
            by_id.setdefault(old, by_id[new])
    provinces: dict[str, str] = {}
    for it in items:
        if it["level"] == "province":
            for n in (it["name"], *(it.get("aliases") or ())):
                if n:
                    provinces[name_key(n)] = it["id"]
            provinces[it["id"]] = it["id"]
    return {"items": items, "by_id": by_id, "provinces": provinces}


def list_jurisdictions(
    store: Store,
    *,
    level: str | None = None,
    parent: str | None = None,
    province: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Jurisdictions the stored reports name (with their ancestors), by code."""
    if level is not None and level not in LEVELS:
        raise BadParameter(f"level must be one of {', '.join(LEVELS)}")
    lk = view(store).prepared("jurisdictions.lookup", _jurisdiction_lookup)
    items = lk["items"]
    if level:
        items = [it for it in items if it["level"] == level]
    if parent:
        pid = parse_jurisdiction_id(parent)
        pit = lk["by_id"].get(pid)
        pid = pit["id"] if pit else pid
        items = [it for it in items if (it["parent"] or {}).get("id") == pid]
    if province:
        p = province.strip()
        if _DIGITS.match(p):
            prov = parse_jurisdiction_id(p)
        else:
            prov = lk["provinces"].get(name_key(p), "")
        items = [it for it in items if (it["province"] or {}).get("id") == prov]
    if q:
        k = name_key(q)
        items = [
            it for it in items
            if k in name_key(it["name"] or "") or any(k in name_key(a) for a in it.get("aliases") or ())
        ]  # fmt: skip
    return page(items, limit, offset)


def get_jurisdiction(
    store: Store, code: str, *, limit: int | None = DEFAULT_DETAIL_LIMIT
) -> dict[str, Any] | None:
    """A jurisdiction's profile: programs it runs, plan-only programs, agencies, documents
    issued, metrics by year, reports (lists capped at ``limit``; totals in ``counts``)."""
    jid = parse_jurisdiction_id(code)
    v = view(store)
    it = v.prepared("jurisdictions.lookup", _jurisdiction_lookup)["by_id"].get(jid)
    if it is None:
        return None
    doc = v.doc(it["iri"])
    if doc is None:
        return None
    out = dict(doc)
    out["requested"] = code
    n_obs = sum(len(y["observations"]) for y in doc.get("metrics_by_year") or ())
    out["counts"] = {
        "reports": len(doc.get("reports") or ()),
        "programs": len(doc.get("programs") or ()),
        "plan_only_programs": len(doc.get("plan_only_programs") or ()),
        "agencies": len(doc.get("agencies") or ()),
        "documents_issued": len(doc.get("documents_issued") or ()),
        "observations": n_obs,
        "children": len(doc.get("children") or ()),
    }
    for key in ("reports", "programs", "plan_only_programs", "agencies", "documents_issued",
                "children"):  # fmt: skip
        out[key] = _cap(doc.get(key) or [], limit)
    years = []
    budget = limit
    for y in doc.get("metrics_by_year") or ():
        obs = _cap(y["observations"], budget)
        if budget is not None:
            budget -= len(obs)
        if obs:
            years.append({"year": y["year"], "observations": obs})
    out["metrics_by_year"] = years
    return out


# ---------------------------------------------------------------------------------------------
# metrics


def list_metric_concepts(
    store: Store, *, q: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Metric concepts with their numbers of observations, jurisdictions and years."""
    doc = view(store).index("metrics") or {}
    items = doc.get("concepts") or []
    if q:
        k = name_key(q)
        items = [
            it for it in items
            if k in name_key(it["label"]) or k in it["id"] or k in name_key(it["label_en"] or "")
        ]  # fmt: skip
    out = page(items, limit, offset)
    out["unclassified"] = doc.get("unclassified", 0)
    return out


def _concept_lookup(v: SummaryView) -> dict[str, dict[str, Any]]:
    by_id = _by_id(v, "metrics")
    out = dict(by_id)
    for it in by_id.values():  # a concept's label works too (调解纠纷件数)
        out.setdefault("label:" + name_key(it["label"]), it)
    return out


def _resolve_concept(v: SummaryView, ref: str) -> dict[str, Any] | None:
    lk = v.prepared("metrics.lookup", _concept_lookup)
    ref = ref.strip()
    return lk.get(ref) or lk.get("label:" + name_key(ref))


def metric_observations(
    store: Store,
    concept: str,
    *,
    year: int | None = None,
    scope: str | None = None,
    jurisdiction: str | None = None,
    order: str = "desc",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any] | None:
    """A concept's observations across jurisdictions and years, sorted by the normalised base
    value (``order`` desc or asc; observations without one last)."""
    if order not in ("desc", "asc"):
        raise BadParameter("order must be desc or asc")
    v = view(store)
    it = _resolve_concept(v, concept)
    if it is None:
        return None
    doc = v.doc(it["iri"]) or {}
    obs = doc.get("items") or []
    if year is not None:
        obs = [o for o in obs if o["year"] == year]
    if scope:
        obs = [o for o in obs if o["scope"] == scope]
    if jurisdiction:
        jid = parse_jurisdiction_id(jurisdiction)
        obs = [o for o in obs if o["jurisdiction"]["id"] == jid]
    if order == "asc":
        with_base = [o for o in obs if o["base_value"] is not None]
        obs = with_base[::-1] + [o for o in obs if o["base_value"] is None]
    out = page(obs, limit, offset)
    out["concept"] = {k: val for k, val in doc.items() if k != "items"}
    return out


# ---------------------------------------------------------------------------------------------
# documents


def list_documents(
    store: Store,
    *,
    role: str | None = None,
    issuer: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Documents with issuer, role counts and the number of reporters mentioning them.

    ``role``: issued or cited (documents with at least one mention in that role); ``issuer``: a
    name (substring, traditional characters accepted) or a jurisdiction code; ``kind``: the
    document kind (law, regulation, plan, scheme …); ``q``: a substring of the title.
    """
    if role is not None and role not in ROLES:
        raise BadParameter("role must be issued or cited")
    items = view(store).index("documents") or []
    if role:
        items = [it for it in items if it["roles"].get(role)]
    if issuer:
        s = issuer.strip()
        if _DIGITS.match(s) or s[:5].lower() == "zone:":
            jid = parse_jurisdiction_id(s)
            items = [it for it in items if it["issuer_id"] == jid]
        else:
            k = name_key(s)
            items = [it for it in items if it["issuer"] and k in name_key(it["issuer"])]
    if kind:
        items = [it for it in items if it["kind"] == kind.strip()]
    if q:
        k = name_key(q)
        items = [it for it in items if k in name_key(it["title"])]
    return page(items, limit, offset)


def get_document(
    store: Store, ref: str, *, limit: int | None = DEFAULT_DETAIL_LIMIT
) -> dict[str, Any] | None:
    """A document with the reports (and their reporters) that mention it."""
    v = view(store)
    it = v.prepared("documents.by_id", lambda v: _by_id(v, "documents")).get(ref.strip())
    if it is None:
        return None
    doc = v.doc(it["iri"])
    if doc is None:
        return None
    out = dict(doc)
    out["mentioned_by"] = _cap(doc.get("mentioned_by") or [], limit)
    return out


# ---------------------------------------------------------------------------------------------
# reports


def _report_lookup(v: SummaryView) -> dict[str, Any]:
    items = v.index("reports") or []
    by_id: dict[str, dict[str, Any]] = {}
    for it in items:
        by_id[it["id"]] = it
        by_id.setdefault(it["iri"], it)
        by_id.setdefault(it["iri"].rsplit("/", 1)[-1], it)
    return {"items": items, "by_id": by_id}


def list_reports(
    store: Store,
    *,
    jurisdiction: str | None = None,
    year: int | None = None,
    duplicates: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The stored reports: reporter, year, dates, URL, duplicate link, fact counts."""
    items = view(store).prepared("reports.lookup", _report_lookup)["items"]
    if jurisdiction:
        jid = parse_jurisdiction_id(jurisdiction)
        items = [it for it in items if it["jurisdiction"]["id"] == jid]
    if year is not None:
        items = [it for it in items if it["year"] == year]
    if not duplicates:
        items = [it for it in items if not it["duplicate_of"]]
    return page(items, limit, offset)


_KIND_OF_TYPE = {
    FZ.Program: "program",
    FZ.Agency: "agency",
    FZ.Document: "document",
    FZ.MetricObservation: "metric",
}
_ENTITY_NS = {
    "program": ID_NS + "program/",
    "agency": ID_NS + "agency/",
    "document": ID_NS + "document/",
}


def _resolve_report(v: SummaryView, ref: str) -> dict[str, Any] | None:
    by_id = v.prepared("reports.lookup", _report_lookup)["by_id"]
    ref = ref.strip()
    for cand in (ref, ref.lstrip("/"), ref.rstrip("/")):
        if cand in by_id:
            return by_id[cand]
    if re.match(r"https?:/[^/]", ref):  # a proxy folded the double slash of a URL id
        fixed = re.sub(r"^(https?):/", r"\1://", ref)
        return by_id.get(fixed)
    return None


def get_report(store: Store, ref: str) -> dict[str, Any] | None:
    """One report: its metadata, the sentences that carry facts (text and offsets into the
    report text) and every fact (kind, entity, surface, offsets, section, polarity …). ``text``
    is the report's full text when the graph stores it (``fz:text`` on the report node)."""
    v = view(store)
    it = _resolve_report(v, ref)
    if it is None:
        return None
    return v.memo("report:" + it["id"], lambda: _report_detail(store, it), _report_size)


def _report_size(doc: dict[str, Any]) -> int:
    """About the JSON size of a report's detail (a fact ~300 characters, a sentence its text)."""
    return 1000 + 300 * len(doc["facts"]) + sum(40 + len(s["text"] or "") for s in doc["sentences"])


def _report_detail(store: Store, it: dict[str, Any]) -> dict[str, Any]:
    rid = it["id"]
    graph = it.get("graph") or report_graph(rid)
    node = it.get("iri") or report_iri(rid)
    props: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for q in store.quads(None, None, None, graph):
        props[q.subject.value][q.predicate.value].append(q.object)

    def one(s: str, p: str) -> Any:
        vals = props.get(s, {}).get(p)
        return python_value(vals[0]) if vals else None

    def typ(s: str) -> str | None:
        vals = props.get(s, {}).get(RDF.type)
        return vals[0].value if vals else None

    sentences = []
    sentence_no: dict[str, str] = {}
    facts = []
    for s in list(props):
        t = typ(s)
        if t == FZ.Sentence:
            sid = s.rsplit("/", 1)[-1]
            sentence_no[s] = sid
            sentences.append({
                "id": sid, "start": one(s, FZ.start), "end": one(s, FZ.end),
                "section": ENUM_VALUE.get(one(s, FZ.section) or "", None), "text": one(s, FZ.text),
            })  # fmt: skip
        elif t == FZ.Mention:
            e = one(s, FZ.mentionOf)
            kind = _KIND_OF_TYPE.get(typ(e) or "", "other")
            fact: dict[str, Any] = {
                "kind": kind, "entity": _entity_id(kind, e), "label": _label(props, e, kind),
                "surface": one(s, FZ.surface), "start": one(s, FZ.start), "end": one(s, FZ.end),
                "sentence": one(s, FZ.sentence), "section": ENUM_VALUE.get(one(s, FZ.section) or "", None),
                "negated": bool(one(s, FZ.negated)), "confidence": one(s, FZ.confidence),
                "component": one(s, FZ.component),
            }  # fmt: skip
            if kind == "document":
                fact["role"] = ENUM_VALUE.get(one(s, FZ.role) or "", None)
                fact["issuer_inferred"] = bool(one(s, FZ.issuerInferred))
            if kind == "program":
                fact["candidate"] = bool(one(e, FZ.candidate))
            if kind == "metric":
                metric = one(e, FZ.metric)
                fact["metric"] = {
                    "concept": concept_id(metric) if metric else None,
                    "subject": one(e, FZ.subject), "value": one(e, FZ.value), "unit": one(e, FZ.unit),
                    "base_value": one(e, FZ.baseValue), "base_unit": one(e, FZ.baseUnit),
                    "approximate": bool(one(e, FZ.approximate)), "qualifier": one(e, FZ.qualifier),
                    "scope": ENUM_VALUE.get(one(e, FZ.scope) or "", None), "year": one(e, FZ.year),
                }  # fmt: skip
            facts.append(fact)
    for f in facts:
        f["sentence"] = sentence_no.get(f["sentence"] or "", None)
    sentences.sort(key=lambda s: (s["start"] is None, s["start"] or 0, s["id"]))
    facts.sort(key=lambda f: (f["start"] or 0, f["end"] or 0, f["kind"]))
    text = one(node, FZ.text)
    return {
        **it,
        "source_path": one(node, FZ.sourcePath),
        "version": one(node, FZ.version),
        "title": it.get("title") or one(node, DCTERMS.title),
        "text": text,
        "text_stored": text is not None,
        "sentences": sentences,
        "facts": facts,
    }


def _entity_id(kind: str, iri: str | None) -> str | None:
    if not iri:
        return None
    ns = _ENTITY_NS.get(kind)
    if ns and iri.startswith(ns):
        return iri[len(ns) :]
    return iri


def _label(props: dict[str, Any], e: str | None, kind: str) -> str | None:
    if not e:
        return None
    pv = props.get(e, {})
    for p in (SKOS.prefLabel, RDFS.label, DCTERMS.title, FZ.subject):
        vals = pv.get(p)
        if vals:
            return vals[0].value
    return None


# ---------------------------------------------------------------------------------------------
# search

_KIND_ORDER = {k: i for i, k in enumerate(SEARCH_KINDS)}
_ASCII_QUERY = re.compile(r"[A-Za-z0-9\s'’\-]+\Z")


def _search_prepared(v: SummaryView) -> list[tuple]:
    return [tuple(e) for e in v.index("search") or ()]


def _score_names(key: str, names: list[str]) -> tuple[int, str | None]:
    best, how = 0, None
    for n in names:
        if n == key:
            return 100, "exact"
        if n.startswith(key):
            if best < 80:
                best, how = 80, "prefix"
        elif best < 60 and key in n:
            best, how = 60, "substring"
    return best, how


def _score_pinyin(py: str, full: list[str], init: list[str]) -> tuple[int, str | None]:
    best, how = 0, None
    for f in full:
        if f == py:
            return 90, "pinyin"
        if f.startswith(py):
            if best < 75:
                best, how = 75, "pinyin-prefix"
        elif len(py) >= 4 and best < 55 and py in f:
            best, how = 55, "pinyin-substring"
    if len(py) >= 2:
        for i in init:
            if i == py and best < 70:
                best, how = 70, "initials"
            elif i.startswith(py) and best < 50:
                best, how = 50, "initials-prefix"
    return best, how


def search(
    store: Store, q: str, *, kind: str | None = None, limit: int = 20, offset: int = 0
) -> dict[str, Any]:
    """Programs, jurisdictions, agencies and documents whose names (labels, aliases, former
    names, titles) match ``q``: traditional characters are folded to simplified; a query in
    Latin letters also matches the pinyin of names (``falvmingbairen``, initials ``flmbr``).
    Exact matches first, then prefixes, then substrings; programs before places, agencies and
    documents at equal rank."""
    raw = (q or "").strip()
    if not raw:
        raise BadParameter("q must not be empty")
    if len(raw) > 200:
        raise BadParameter("q is too long (200 characters at most)")
    if kind is not None and kind not in SEARCH_KINDS:
        raise BadParameter(f"kind must be one of {', '.join(SEARCH_KINDS)}")
    key = name_key(raw)
    py = None
    if _ASCII_QUERY.match(raw) and re.search(r"[A-Za-z]", raw):
        py = re.sub(r"[^a-z0-9]", "", raw.lower()) or None
    entries = view(store).prepared("search", _search_prepared)

    def run(key: str, py: str | None, penalty: int = 0, how: str | None = None) -> list[tuple]:
        hits = []
        for e in entries:
            ekind, eid, label, keys, full, init, _note = e
            if kind and ekind != kind:
                continue
            score, why = _score_names(key, keys) if key else (0, None)
            if py:
                ps, pwhy = _score_pinyin(py, full, init)
                if ps > score:
                    score, why = ps, pwhy
            if score:
                hits.append((penalty - score, _KIND_ORDER.get(ekind, 9), len(label), label, eid,
                             e, how or why))  # fmt: skip
        return hits

    hits = run(key, py)
    if not hits and key and py is None:  # homophones: 法律名白人 finds 法律明白人
        pk = pinyin_keys(raw)
        if pk:
            hits = run("", pk[0], penalty=50, how="homophone")
    hits.sort(key=lambda h: h[:5])
    items = []
    for score, _k, _n, label, eid, e, how in hits:
        ekind, note = e[0], e[6]
        url_kind, url_id = ekind, eid
        if ekind == "agency":
            url_kind, url_id = "jurisdiction", note
        items.append({
            "kind": ekind, "id": eid, "label": label, "match": how, "score": -score,
            "url": resource_url(url_kind, url_id),
            "note": note if ekind != "agency" else None,
            "jurisdiction": note if ekind == "agency" else None,
        })  # fmt: skip
    return page(items, limit, offset)
