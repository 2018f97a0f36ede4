"""Library functions behind ``kg programs``: candidates, promote, alias; the thesaurus graph.

- :func:`candidates` lists the candidate programs (facts with ``candidate=True``, ids under
  ``…/id/program/candidate/``) of processed items (``kg.extract.process``) or ``kg extract``
  objects, with frequency (mentions), the reports naming them and evidence sentences;
  :func:`candidates_from_store` does the same over the store with one SPARQL query.
- :func:`promote` and :func:`add_alias` append ``promote`` / ``alias`` decisions to the curation
  overlay (``kg.curation``). ``extractors.thesaurus.load`` applies them, so the next build or
  extract finds the promoted program as curated (id ``…/id/program/<slug>``) and the alias as
  one of its names; the thesaurus version, part of the build fingerprint, changes with them.
- :func:`thesaurus_quads`: ``ontology/programs.ttl`` plus the overlay's program decisions as
  quads of the thesaurus graph (``…/graph/thesaurus``), for the build.
- :func:`program_list`: the curated programs as plain dicts (``/programs``, ``kg programs list``).

>>> import tempfile, pathlib
>>> from kg.curation import Curation
>>> cur = Curation(pathlib.Path(tempfile.mkdtemp()) / "decisions.jsonl")
>>> d = promote("三书同达", category="行政执法", curation=cur)
>>> d["op"], d["slug"]
('promote', 'san-shu-tong-da')
>>> from extractors import thesaurus
>>> thesaurus.load(cur.path).get("三书同达").id
'https://w3id.org/fazhi-kg/id/program/san-shu-tong-da'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kg.curation import Curation, CurationError

__all__ = [
    "add_alias",
    "candidates",
    "candidates_from_store",
    "program_list",
    "promote",
    "thesaurus_quads",
]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def _thesaurus(curation: Curation):
    from extractors import thesaurus

    return thesaurus.load(curation.path)


def _facts_of(item: Any) -> tuple[str | None, list[dict[str, Any]]]:
    """(report id, program facts as dicts) of a Processed item or a ``kg extract`` object."""
    if isinstance(item, dict):
        report = item.get("report") or {}
        rid = report.get("id") or item.get("source")
        facts = item.get("facts") or []
        return rid, [f for f in facts if f.get("kind") == "program"]
    report = getattr(item, "report", None)
    rid = getattr(report, "id", None) or getattr(item, "source", None)
    out = []
    for f in getattr(item, "facts", None) or []:
        if f.kind == "program":
            out.append({"id": f.id, "label": f.label, "sentence": f.sentence, "section": f.section,
                        "negated": f.negated, **f.attrs})  # fmt: skip
    return rid, out


def candidates(
    items: Iterable[Any], *, min_reports: int = 1, evidence: int = 3
) -> list[dict[str, Any]]:
    """Candidate programs of ``items``, most widespread first.

    Each: ``label``, ``slug``, ``id``, ``frequency`` (mentions), ``reports`` (number of reports),
    ``report_ids``, ``evidence`` (up to ``evidence`` distinct sentences), ``runs`` (reports
    where a mention is outside plans/problems and not negated).
    """
    from extractors.thesaurus import CANDIDATE_NS

    acc: dict[str, dict[str, Any]] = {}
    for item in items:
        rid, facts = _facts_of(item)
        for f in facts:
            if not f.get("candidate") and not str(f.get("id") or "").startswith(CANDIDATE_NS):
                continue
            cid = f.get("id") or ""
            c = acc.setdefault(cid, {"label": f.get("label"), "slug": cid.rsplit("/", 1)[-1], "id": cid,
                                     "frequency": 0, "report_ids": [], "evidence": [], "runs": set()})  # fmt: skip
            c["frequency"] += 1
            if rid not in c["report_ids"]:
                c["report_ids"].append(rid)
            sent = f.get("sentence")
            if sent and sent not in c["evidence"] and len(c["evidence"]) < evidence:
                c["evidence"].append(sent)
            if not f.get("negated") and f.get("section") not in ("plans", "problems"):
                c["runs"].add(rid)
    out = []
    for c in acc.values():
        c["reports"] = len(c["report_ids"])
        c["runs"] = len(c["runs"])
        if c["reports"] >= min_reports:
            out.append(c)
    out.sort(key=lambda c: (-c["reports"], -c["frequency"], c["label"] or ""))
    return out


_STORE_QUERY = """
SELECT ?p (SAMPLE(?label) AS ?lab) (COUNT(DISTINCT ?m) AS ?frequency)
       (COUNT(DISTINCT ?r) AS ?reports) (SAMPLE(?text) AS ?evidence)
WHERE {
  ?p fz:candidate true ; skos:prefLabel ?label .
  ?m fz:mentionOf ?p ; fz:sentence ?s .
  ?s fz:report ?r ; fz:text ?text .
}
GROUP BY ?p
ORDER BY DESC(?reports) DESC(?frequency) ?p
"""


def candidates_from_store(
    store: Any, *, limit: int | None = None, min_reports: int = 1
) -> list[dict[str, Any]]:
    """Candidate programs in the store (entities with ``fz:candidate true``), as :func:`candidates`
    (one evidence sentence each)."""
    from kg.vocab import SPARQL_PREFIXES

    out = []
    for row in store.select(SPARQL_PREFIXES + _STORE_QUERY):
        p = row["p"].value
        reports = int(row["reports"].value) if row.get("reports") is not None else 0
        if reports < min_reports:
            continue
        out.append({
            "label": row["lab"].value if row.get("lab") is not None else None,
            "slug": p.rsplit("/", 1)[-1],
            "id": p,
            "frequency": int(row["frequency"].value) if row.get("frequency") is not None else 0,
            "reports": reports,
            "evidence": [row["evidence"].value] if row.get("evidence") is not None else [],
        })  # fmt: skip
        if limit is not None and len(out) >= limit:
            break
    return out


def promote(
    label_or_slug: str,
    pref: str | None = None,
    category: str | None = None,
    curation: Curation | None = None,
    *,
    en: str | None = None,
    known: Iterable[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Make a candidate a curated program (appends a ``promote`` decision; returns it).

    ``label_or_slug``: the candidate's label, its slug, or its candidate IRI; a slug or IRI needs
    ``known`` (candidates as :func:`candidates` returns them) or ``pref`` to name the program.
    ``pref``: the curated prefLabel (default: the candidate label, which stays a name of it).
    ``category``: one of the thesaurus categories (``skos:notation``, e.g. 行政执法).
    """
    from extractors.thesaurus import CANDIDATE_NS, match_key, slugify

    curation = curation or Curation()
    ref = (label_or_slug or "").strip()
    if not ref:
        raise CurationError("promote: no candidate given")
    label: str | None = None
    slug: str | None = None
    if ref.startswith(CANDIDATE_NS) or _SLUG.match(ref):
        slug = ref.rsplit("/", 1)[-1]
        for c in known or ():
            if c.get("slug") == slug or c.get("id") == ref:
                label = c.get("label")
                break
        label = label or pref
        if not label:
            raise CurationError(f"promote: {ref!r} is a slug; give the label or pref")
    else:
        label = ref
        slug = slugify(ref)
    th = _thesaurus(curation)
    if category and category not in th.categories:
        raise CurationError(
            f"promote: unknown category {category!r}; known: {', '.join(th.categories)}"
        )
    for name in {label, pref} - {None}:
        hit = th.keys.get(match_key(name))
        if hit and not th.programs[hit].promoted:
            raise CurationError(
                f"promote: {name!r} is already a name of {hit}; use add_alias instead"
            )
    decision: dict[str, Any] = {"op": "promote", "label": label, "slug": slug}
    if pref and pref != label:
        decision["pref"] = pref
    if category:
        decision["category"] = category
    if en:
        decision["en"] = en
    return curation.add(decision)


def add_alias(
    program: str, alias: str, curation: Curation | None = None, *, force: bool = False
) -> dict[str, Any]:
    """Add ``alias`` as a name of ``program`` (IRI, slug or any of its names); returns the decision.

    Refuses an alias that already names another program unless ``force``.
    """
    from extractors.thesaurus import match_key

    curation = curation or Curation()
    alias = (alias or "").strip()
    if len(match_key(alias)) < 2:
        raise CurationError(f"alias: {alias!r} is too short to match")
    th = _thesaurus(curation)
    p = th.get(program)
    if p is None:
        raise CurationError(f"alias: unknown program {program!r}")
    other = th.keys.get(match_key(alias))
    if other and other != p.id and not force:
        raise CurationError(f"alias: {alias!r} already names {other}")
    return curation.add({"op": "alias", "program": p.id, "alias": alias})


def program_list(curation: Curation | None = None) -> list[dict[str, Any]]:
    """The curated programs (TTL and promoted) as dicts, by category then label."""
    from extractors import thesaurus

    th = thesaurus.load(curation.path) if curation else thesaurus.load()
    return sorted((p.to_dict() for p in th), key=lambda d: (d["category"] or "~", d["pref"]))


def thesaurus_quads(curation: Curation | None = None, graph: str | None = None) -> list[Any]:
    """``ontology/programs.ttl`` and the overlay's program decisions as quads of ``graph``
    (default the thesaurus graph)."""
    import pyoxigraph
    from pyoxigraph import Literal, Quad

    from extractors import thesaurus
    from kg.vocab import FZ, GRAPH_THESAURUS, RDF, SKOS, nn

    g = nn(graph or GRAPH_THESAURUS)
    th = thesaurus.load(curation.path) if curation else thesaurus.load()
    data = thesaurus.TTL_PATH.read_bytes()
    out = [Quad(q.subject, q.predicate, q.object, g)
           for q in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)]  # fmt: skip
    base_labels: dict[str, set[str]] = {}
    for q in out:
        if q.predicate.value in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            base_labels.setdefault(q.subject.value, set()).add(q.object.value)
    for p in th:
        node = nn(p.id)
        known = base_labels.get(p.id)
        if known is None:  # promoted
            out += [
                Quad(node, nn(RDF.type), nn(SKOS.Concept), g),
                Quad(node, nn(SKOS.inScheme), nn(FZ.programScheme), g),
                Quad(node, nn(SKOS.NS + "topConceptOf"), nn(FZ.programScheme), g),
                Quad(node, nn(SKOS.prefLabel), Literal(p.pref, language="zh"), g),
            ]
            if p.en:
                out.append(Quad(node, nn(SKOS.prefLabel), Literal(p.en, language="en"), g))
            if p.category:
                out.append(Quad(node, nn(FZ.category), Literal(p.category), g))
            known = {p.pref}
        for a in p.aliases:
            if a not in known:
                out.append(Quad(node, nn(SKOS.altLabel), Literal(a, language="zh"), g))
    return out
