"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint, and its page.

Thin handlers over :mod:`kg.sparql_service` (which documents the behaviour):

- ``GET /sparql?query=…``, ``POST`` form-encoded (``query=…``), ``POST`` with
  ``Content-Type: application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri``
  (repeatable; in the URL, or in the form body). Without them the default graph is the union
  of all graphs, so plain queries see every report.
- SELECT/ASK → ``application/sparql-results+json`` (default), ``…+xml``, ``text/csv``,
  ``text/tab-separated-values``; CONSTRUCT/DESCRIBE → ``text/turtle`` (default),
  ``application/n-triples``, ``application/ld+json`` (also ``application/rdf+xml``); chosen by
  ``Accept`` with q-values; nothing acceptable → 406.
- Read-only: an update (``update=`` field, ``application/sparql-update`` body, or INSERT /
  DELETE / LOAD / CLEAR / DROP / CREATE … in ``query``) → 403; ``SERVICE`` → 403; a syntax
  error → 400 with the parser's message; an unsupported body type → 415.
- Time limit ``KG_API_SPARQL_TIMEOUT`` (settings.sparql_timeout) → 504; every slot busy → 503.
- Result cap ``KG_API_SPARQL_MAX_RESULTS`` (settings.sparql_max_results): the answer is
  **truncated** to that many rows (or triples) and carries ``X-Result-Truncated: true`` and
  ``X-Result-Limit: N``. Every answer has ``X-Result-Count``.
- ``GET /sparql`` without a query → the query page (``api/static/sparql.html``) with the
  example queries of ``api/queries/*.rq`` (the same text as the README's "SPARQL examples");
  ``GET /sparql/examples`` → those examples as JSON.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.errors import ErrorBody
from kg.sparql_service import (
    GRAPH_TYPES,
    RESULT_TYPES,
    SparqlError,
    SparqlService,
    load_examples,
)

API_DIR = Path(__file__).resolve().parent.parent
QUERIES_DIR = API_DIR / "queries"
PAGE = API_DIR / "static" / "sparql.html"

_LOCK = threading.Lock()
_READ_ONLY = (
    "this SPARQL endpoint is read-only: SPARQL Update is refused; the graph is written by "
    "`kg build`"
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    service = getattr(app.state, "sparql_service", None)
    if service is not None:
        service.close()


router = APIRouter(tags=["sparql"], lifespan=_lifespan)


def get_service(request: Request) -> SparqlService:
    """The app's query service (created on first use from the app's store and settings)."""
    app = request.app
    service = getattr(app.state, "sparql_service", None)
    if service is None:
        with _LOCK:
            service = getattr(app.state, "sparql_service", None)
            if service is None:
                s = app.state.settings
                service = SparqlService(
                    app.state.store,
                    timeout=s.sparql_timeout,
                    max_results=s.sparql_max_results,
                    workers=getattr(s, "sparql_workers", 2),
                )
                app.state.sparql_service = service
    return service


# --------------------------------------------------------------------------- responses


def _error(status: int, message: str) -> JSONResponse:
    headers = {"Retry-After": "1"} if status == 503 else None
    body = {"error": {"status": status, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


async def _answer(
    request: Request,
    query: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
) -> Response:
    if not query:
        return _error(
            400, "missing query: send query=… (or a body of type application/sparql-query)"
        )
    service = get_service(request)
    try:
        answer = await run_in_threadpool(
            service.run,
            query,
            accept=request.headers.get("accept"),
            default_graphs=default_graphs or None,
            named_graphs=named_graphs or None,
        )
    except SparqlError as err:
        return _error(err.status, err.message)
    headers = {
        "Vary": "Accept",
        "X-Result-Count": str(answer.count),
        "Server-Timing": f"query;dur={answer.seconds * 1000:.1f}",
    }
    if answer.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(answer.limit)
    return Response(content=answer.body, media_type=answer.media_type, headers=headers)


_MEDIA_DOC = {m: {} for m, _ in RESULT_TYPES + GRAPH_TYPES}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT/ASK results or the CONSTRUCT/DESCRIBE graph, as negotiated by "
        "Accept. `X-Result-Truncated: true` and `X-Result-Limit` when the result cap cut it.",
        "content": _MEDIA_DOC,
    },
    400: {"model": ErrorBody, "description": "Syntax error (the parser's message), bad IRI"},
    403: {"model": ErrorBody, "description": "SPARQL Update or SERVICE: the endpoint is read-only"},
    406: {"model": ErrorBody, "description": "No acceptable format for this query form"},
    503: {"model": ErrorBody, "description": "Every query slot busy"},
    504: {"model": ErrorBody, "description": "The query overran the time limit"},
}

QueryParam = Annotated[
    str | None,
    Query(
        description="A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE). The project "
        "prefixes (fz, fzid, skos, prov, dcterms, xsd, rdf, rdfs, owl) are predeclared. "
        "Without it, GET returns the query page.",
        examples=[
            "SELECT ?name ?year WHERE { ?r a fz:Report ; fz:reporterName ?name ; fz:year ?year }"
        ],
    ),
]
DefaultGraphs = Annotated[
    list[str],
    Query(
        alias="default-graph-uri",
        description="Graphs whose merge is the default graph (repeatable). Default: the "
        "union of all graphs.",
    ),
]
NamedGraphs = Annotated[
    list[str],
    Query(alias="named-graph-uri", description="Graphs GRAPH ?g ranges over (repeatable)."),
]


# --------------------------------------------------------------------------- routes


@router.get(
    "/sparql",
    response_class=Response,
    responses=_RESPONSES,
    summary="SPARQL 1.1 query (GET), or the query page without a query",
)
async def sparql_get(
    request: Request,
    query: QueryParam = None,
    default_graph_uri: DefaultGraphs = [],  # noqa: B006 - FastAPI copies defaults
    named_graph_uri: NamedGraphs = [],  # noqa: B006
) -> Response:
    """Run a read-only query; without ``query`` (and without ``update``), the HTML page."""
    params = request.query_params
    if "update" in params:
        return _error(403, _READ_ONLY)
    if len(params.getlist("query")) > 1:
        return _error(400, "give the query parameter once")
    if query is None:
        return HTMLResponse(_page())
    return await _answer(request, query, default_graph_uri, named_graph_uri)


_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["query"],
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "encoding": {
                    "default-graph-uri": {"explode": True},
                    "named-graph-uri": {"explode": True},
                },
            },
            "application/sparql-query": {
                "schema": {"type": "string"},
                "example": "ASK { ?r a fz:Report }",
            },
        },
    }
}


@router.post(
    "/sparql",
    response_class=Response,
    responses={**_RESPONSES, 415: {"model": ErrorBody, "description": "Unsupported body type"}},
    summary="SPARQL 1.1 query (POST: form-encoded or application/sparql-query)",
    openapi_extra=_POST_BODY,
)
async def sparql_post(
    request: Request,
    default_graph_uri: DefaultGraphs = [],  # noqa: B006
    named_graph_uri: NamedGraphs = [],  # noqa: B006
) -> Response:
    """Run a read-only query sent in the body; updates are refused (403)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if ctype == "application/sparql-update":
        return _error(403, _READ_ONLY)
    if ctype == "application/sparql-query":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "the query is not valid UTF-8")
        if "update" in request.query_params:
            return _error(403, _READ_ONLY)
        return await _answer(request, text, default_graph_uri, named_graph_uri)
    if ctype == "application/x-www-form-urlencoded":
        try:
            fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except (UnicodeDecodeError, ValueError):
            return _error(400, "the form body is not valid UTF-8 url-encoded text")
        names = [k for k, _ in fields]
        if "update" in names or "update" in request.query_params:
            return _error(403, _READ_ONLY)
        queries = [v for k, v in fields if k == "query"]
        if len(queries) > 1:
            return _error(400, "give the query field once")
        dg = [v for k, v in fields if k == "default-graph-uri"] or default_graph_uri
        ng = [v for k, v in fields if k == "named-graph-uri"] or named_graph_uri
        return await _answer(request, queries[0] if queries else None, dg, ng)
    return _error(
        415,
        f"unsupported Content-Type {ctype or '(none)'!r}: send application/sparql-query "
        "or application/x-www-form-urlencoded (query=…)",
    )


# --------------------------------------------------------------------------- examples, page


class Example(BaseModel):
    id: str = Field(description="Short name (the .rq file without its number)")
    title: str = Field(description="The first comment line of the query")
    query: str
    file: str = Field(description="The file under api/queries/")

    model_config = {"json_schema_extra": {"examples": [{
        "id": "lookup", "file": "01-lookup.rq",
        "title": "Lookup: a jurisdiction by its division code, with its level and the places above it",
        "query": "# Lookup: …\nPREFIX fz: <https://w3id.org/fazhi-kg/ontology#>\nSELECT …"}]}}  # fmt: skip


@lru_cache(maxsize=1)
def _examples() -> list[dict[str, str]]:
    return [
        {"id": e.id, "title": e.title, "query": e.query, "file": e.file}
        for e in load_examples(QUERIES_DIR)
    ]


@router.get("/sparql/examples", response_model=list[Example], summary="The example queries")
def sparql_examples() -> Any:
    """The example queries the page offers (``api/queries/*.rq``; also in the README)."""
    return _examples()


@lru_cache(maxsize=1)
def _page() -> str:
    data = json.dumps(_examples(), ensure_ascii=False).replace("</", "<\\/")
    return PAGE.read_text(encoding="utf-8").replace("/*__SPARQL_EXAMPLES__*/[]", data)
