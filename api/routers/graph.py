"""``/graph/…``: the explorer's JSON — neighbours of a node, and label suggestions.

Thin handlers over :mod:`kg.explore` (the edge kinds, filters and the hub cap are documented
there).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.errors import ErrorBody
from kg.explore import (
    AmbiguousNode,
    UnknownNode,
    neighbours,
    parse_kinds,
    resolve_node,
    suggest,
)

router = APIRouter(prefix="/graph", tags=["graph explorer"])

NodeKind = Literal["jurisdiction", "agency", "program", "document", "metric", "report", "sentence"]
EdgeKind = Literal[
    "runs", "plans", "mentions", "issued", "cites", "observed", "reporter", "reporter_candidate",
    "reporting_agency", "within", "of_jurisdiction", "issuer", "broader", "duplicate_of", "agency",
    "in_report",
]  # fmt: skip

_IRI_PROGRAM = "https://w3id.org/fazhi-kg/id/program/fa-lv-ming-bai-ren"
_IRI_GAIZHOU = "https://w3id.org/fazhi-kg/id/jurisdiction/210881000000"


class Node(BaseModel):
    id: str = Field(description="The node's IRI (usable, url-encoded, in /graph/nodes/{id})")
    kind: NodeKind
    label: str
    year: int | None = None
    attrs: dict[str, Any] = Field(
        default_factory=dict,
        description="Kind-specific facts: code and level (jurisdiction), category (program), "
        "issuer and doc_kind (document), value/unit/scope (metric), report_id/title/url "
        "(report), text/section (sentence)",
    )

    model_config = {"json_schema_extra": {"examples": [
        {"id": _IRI_GAIZHOU, "kind": "jurisdiction", "label": "盖州市", "year": None,
         "attrs": {"code": "210881000000", "level": "county"}}]}}  # fmt: skip


class Evidence(BaseModel):
    sentence: str = Field(description="The text of the sentence behind the edge")
    sentence_id: str | None = None
    section: str | None = Field(None, description="achievements, problems, plans or other")
    surface: str | None = Field(None, description="The mention as written in the sentence")
    negated: bool = False
    report: str = Field(description="The report id (GET /reports/{id})")
    url: str | None = Field(None, description="The report's source URL, when known")


class Edge(BaseModel):
    id: str
    source: str
    target: str
    kind: EdgeKind
    year: int | None = None
    evidence: Evidence | None = None
    count: int | None = Field(None, description="Mentions behind a fact edge")


class Neighbours(BaseModel):
    node: Node
    nodes: list[Node] = Field(description="The centre node first, then its neighbours")
    edges: list[Edge]
    truncated: dict[str, int] = Field(
        description="Neighbours left out by the hub cap, per kind (only kinds that lost some)"
    )
    counts: dict[str, int] = Field(description="Neighbours per kind before the cap")

    model_config = {"json_schema_extra": {"examples": [{
        "node": {"id": _IRI_PROGRAM, "kind": "program", "label": "法律明白人", "year": None,
                 "attrs": {"category": "普法"}},
        "nodes": [
            {"id": _IRI_PROGRAM, "kind": "program", "label": "法律明白人", "year": None,
             "attrs": {"category": "普法"}},
            {"id": _IRI_GAIZHOU, "kind": "jurisdiction", "label": "盖州市", "year": None,
             "attrs": {"code": "210881000000", "level": "county"}}],
        "edges": [{
            "id": "e-3c1f…", "source": _IRI_GAIZHOU, "target": _IRI_PROGRAM, "kind": "runs",
            "year": 2024, "count": 4,
            "evidence": {"sentence": "持续深化“法律明白人”培养工程,全市“法律明白人”1490名…",
                         "section": "achievements", "surface": "法律明白人",
                         "negated": False, "report": "000_4ee9ce8ba8ed3195.txt", "url": None}}],
        "truncated": {}, "counts": {"jurisdiction": 3, "program": 1}}]}}  # fmt: skip


class Suggestion(Node):
    matched: str | None = Field(None, description="The alias that matched, when not the label")


class Suggestions(BaseModel):
    items: list[Suggestion]
    total: int
    limit: int
    offset: int


_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such node"},
    409: {"model": ErrorBody, "description": "The label names several nodes"},
    422: {"model": ErrorBody, "description": "Bad parameter"},
}


_NODE_ID_DOC = (
    "A node IRI (url-encoded), fzid:…, kind/local (program/fa-lv-ming-bai-ren), a 6/9/12-digit "
    "division code, CN, a zone key (zone:济宁太白湖新区), a program id (fa-lv-ming-bai-ren), the id "
    "/search gives an agency or document, a report id (000_4ee9ce8ba8ed3195.txt) or an exact "
    "label naming one node (盖州市, 法律明白人)"
)


def _kinds(kinds: str | None) -> frozenset[str] | None:
    try:
        return parse_kinds(kinds)
    except ValueError as err:
        raise HTTPException(422, f"kinds: {err}") from err


@router.get(
    "/nodes/{node_id:path}/neighbours",
    response_model=Neighbours,
    responses=_ERRORS,
    summary="Neighbours of a node, with the evidence behind each edge",
)
def get_neighbours(
    store: StoreDep,
    settings: SettingsDep,
    node_id: Annotated[
        str,
        Path(max_length=2000, description=_NODE_ID_DOC),
    ],
    kinds: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Comma list of neighbour kinds to keep (jurisdiction, agency, program, "
            "document, metric, report, sentence); default: all but sentence",
            examples=["jurisdiction,program"],
        ),
    ] = None,
    year: Annotated[
        int | None,
        Query(ge=1949, le=2100, description="Keep edges of this year (undated edges stay)"),
    ] = None,
) -> Any:
    """Typed neighbours of a node: program → the jurisdictions that run or mention it (via
    their reports), jurisdiction → programs, agencies, documents, figures, reports, parent …
    Hubs are capped at ``hub_cap`` neighbours per kind; ``truncated`` says how many were left
    out."""
    wanted = _kinds(kinds)
    try:
        return neighbours(store, node_id, kinds=wanted, year=year, cap=settings.hub_cap)
    except UnknownNode as err:
        raise HTTPException(404, str(err)) from err
    except AmbiguousNode as err:
        raise HTTPException(409, str(err)) from err


@router.get(
    "/nodes/{node_id:path}",
    response_model=Node,
    responses={404: _ERRORS[404], 409: _ERRORS[409], 422: _ERRORS[422]},
    summary="One node: its IRI, kind and label (the page resolves a search hit with it)",
)
def get_node(
    store: StoreDep,
    node_id: Annotated[str, Path(max_length=2000, description=_NODE_ID_DOC)],
) -> Any:
    """The node a reference names (the same references as ``…/neighbours``)."""
    try:
        return resolve_node(store, node_id)
    except UnknownNode as err:
        raise HTTPException(404, str(err)) from err
    except AmbiguousNode as err:
        raise HTTPException(409, str(err)) from err


@router.get(
    "/suggest",
    response_model=Suggestions,
    responses={422: _ERRORS[422]},
    summary="Nodes whose label contains the text (the explorer's search box)",
)
def get_suggest(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="Text to look for")],
    kinds: Annotated[str | None, Query(max_length=200, description="Comma list of kinds")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Exact matches first, then prefixes, then substrings; aliases and former names count."""
    wanted = _kinds(kinds)
    if not q.strip():
        raise HTTPException(422, "q: must not be blank")
    return suggest(store, q, kinds=wanted, limit=min(limit, settings.max_page_size), offset=offset)
