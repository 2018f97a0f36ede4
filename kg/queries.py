"""Library queries over the store, shared by the CLI and the API.

>>> from kg.store import OxigraphStore
>>> stats(OxigraphStore(None))["reports"]
0
"""

from __future__ import annotations

from typing import Any

from kg.store import SelectResult, Store, python_value
from kg.vocab import DCTERMS, ENUM_VALUE, FZ, GRAPH_DUPLICATES, SPARQL_PREFIXES

__all__ = [
    "FACTS_QUERY",
    "REPORTS_QUERY",
    "facts_rows",
    "reports",
    "run_select",
    "stats",
    "write_facts_csv",
]

_KINDS = {
    FZ.Program: "program",
    FZ.Agency: "agency",
    FZ.Document: "document",
    FZ.MetricObservation: "metric",
}

REPORTS_QUERY = f"""
SELECT ?id ?reporter ?code ?lv ?department ?year ?published ?signed ?url ?canonical WHERE {{
  GRAPH ?g {{
    ?r a <{FZ.Report}> ; <{FZ.reportId}> ?id .
    OPTIONAL {{ ?r <{FZ.reporterName}> ?reporter }}
    OPTIONAL {{ ?r <{FZ.department}> ?department }}
    OPTIONAL {{ ?r <{FZ.year}> ?year }}
    OPTIONAL {{ ?r <{DCTERMS.issued}> ?published }}
    OPTIONAL {{ ?r <{FZ.signed}> ?signed }}
    OPTIONAL {{ ?r <{FZ.url}> ?url }}
    OPTIONAL {{ ?r <{FZ.reporter}> ?j }}
  }}
  OPTIONAL {{ GRAPH ?gz {{ ?j <{FZ.code}> ?code }} }}
  OPTIONAL {{ GRAPH ?gl {{ ?j <{FZ.level}> ?lv }} }}
  OPTIONAL {{ GRAPH <{GRAPH_DUPLICATES}> {{ ?r <{FZ.duplicateOf}> ?c }} GRAPH ?gc {{ ?c <{FZ.reportId}> ?canonical }} }}
}} ORDER BY ?id
"""


def reports(store: Store) -> list[dict[str, Any]]:
    """One row per stored report: reporter, code, level, department, year, dates, duplicate."""
    out: dict[str, dict[str, Any]] = {}
    for row in store.query(REPORTS_QUERY).values():
        rid = row["id"]
        if rid in out:  # OPTIONAL joins can repeat a report (e.g. two level notations)
            continue
        out[rid] = {
            "id": rid,
            "reporter": row.get("reporter"),
            "code": row.get("code"),
            "level": ENUM_VALUE.get(row.get("lv") or "", None),
            "department": row.get("department"),
            "year": row.get("year"),
            "published": str(row["published"]) if row.get("published") else None,
            "signed": str(row["signed"]) if row.get("signed") else None,
            "url": row.get("url"),
            "duplicate_of": row.get("canonical"),
        }
    return list(out.values())


def stats(store: Store) -> dict[str, Any]:
    """Counts for ``kg stats`` and ``/stats``."""
    rows = reports(store)
    facts: dict[str, int] = {}
    q = f"""SELECT ?type (COUNT(DISTINCT ?m) AS ?n) WHERE {{ GRAPH ?g {{
              ?m a <{FZ.Mention}> ; <{FZ.mentionOf}> ?e . ?e a ?type }}
              FILTER(?type IN (<{FZ.Program}>, <{FZ.Agency}>, <{FZ.Document}>, <{FZ.MetricObservation}>))
            }} GROUP BY ?type"""
    for row in store.query(q).values():
        facts[_KINDS[row["type"]]] = int(row["n"])
    return {
        "store": repr(store),
        "reports": len(rows),
        "canonical_reports": sum(1 for r in rows if not r["duplicate_of"]),
        "quads": store.count(),
        "graphs": len(store.named_graphs()),
        "facts": facts,
        "report_rows": rows,
    }


def run_select(store: Store, sparql: str) -> tuple[list[str], list[list[Any]]]:
    """Run a user's SELECT/ASK over the union default graph; plain Python values.

    The vocabulary's prefixes (fz:, rdfs:, skos:, prov: …) are predeclared.
    """
    text = sparql if "PREFIX fz:" in sparql else SPARQL_PREFIXES + "\n" + sparql
    result = store.query(text)
    if isinstance(result, bool):
        return ["ask"], [[result]]
    if not isinstance(result, SelectResult):
        return ["subject", "predicate", "object"], [
            [python_value(t.subject), python_value(t.predicate), python_value(t.object)]
            for t in result
        ]
    return list(result.variables), [list(r.values()) for r in result.values()]


FACTS_QUERY = f"""
SELECT ?report ?url ?reporter ?year ?type ?label ?title ?subject ?value ?unit ?surface ?start ?end
       ?section ?negated ?component ?confidence ?sentence WHERE {{
  GRAPH ?g {{
    ?m a <{FZ.Mention}> ; <{FZ.mentionOf}> ?e ; <{FZ.surface}> ?surface ; <{FZ.start}> ?start ;
       <{FZ.end}> ?end ; <{FZ.sentence}> ?s .
    ?s <{FZ.text}> ?sentence ; <{FZ.report}> ?r .
    ?r <{FZ.reportId}> ?report .
    OPTIONAL {{ ?r <{FZ.url}> ?url }}
    OPTIONAL {{ ?r <{FZ.reporterName}> ?reporter }}
    OPTIONAL {{ ?r <{FZ.year}> ?year }}
    OPTIONAL {{ ?m <{FZ.section}> ?section }}
    OPTIONAL {{ ?m <{FZ.negated}> ?negated }}
    OPTIONAL {{ ?m <{FZ.component}> ?component }}
    OPTIONAL {{ ?m <{FZ.confidence}> ?confidence }}
    OPTIONAL {{ ?e a ?type }}
    OPTIONAL {{ ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}
    OPTIONAL {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
    OPTIONAL {{ ?e <{DCTERMS.title}> ?title }}
    OPTIONAL {{ ?e <{FZ.subject}> ?subject }}
    OPTIONAL {{ ?e <{FZ.value}> ?value }}
    OPTIONAL {{ ?e <{FZ.unit}> ?unit }}
  }}
}} ORDER BY ?report ?start
"""

_KINDS = {
    FZ.Program: "program",
    FZ.Agency: "agency",
    FZ.Document: "document",
    FZ.MetricObservation: "metric",
}
FACT_COLUMNS = ["report", "url", "reporter", "year", "kind", "label", "value", "unit", "mention",
                "start", "end", "section", "negated", "component", "confidence", "sentence"]  # fmt: skip


def facts_rows(store: Store):
    """Every stored fact with its sentence and source URL, one dict per mention (CSV order)."""
    seen: set[tuple[str, int]] = set()
    for row in store.query(FACTS_QUERY).values():
        key = (row["report"], row["start"], row["end"], row["surface"])
        if key in seen:  # OPTIONAL label variants repeat a mention
            continue
        seen.add(key)
        yield {
            "report": row["report"],
            "url": row.get("url"),
            "reporter": row.get("reporter"),
            "year": row.get("year"),
            "kind": _KINDS.get(row.get("type") or "", "other"),
            "label": row.get("label") or row.get("title") or row.get("subject"),
            "value": row.get("value"),
            "unit": row.get("unit"),
            "mention": row["surface"],
            "start": row["start"],
            "end": row["end"],
            "section": ENUM_VALUE.get(row.get("section") or "", None),
            "negated": bool(row.get("negated")),
            "component": row.get("component"),
            "confidence": row.get("confidence"),
            "sentence": row["sentence"],
        }


def write_facts_csv(store: Store, fh) -> int:
    """Write the facts CSV (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    import csv

    fh.write("\ufeff")
    w = csv.DictWriter(fh, fieldnames=FACT_COLUMNS)
    w.writeheader()
    n = 0
    for row in facts_rows(store):
        w.writerow(row)
        n += 1
    return n
