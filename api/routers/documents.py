"""``/documents`` and ``/documents/{id}``: documents issued and cited (kg.resources)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.errors import ErrorBody
from api.models import DocumentDetail, DocumentList
from kg.resources import BadParameter, get_document, list_documents

router = APIRouter(tags=["documents"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a parameter that cannot be right"},
    422: {"model": ErrorBody, "description": "a parameter of the wrong type or out of range"},
}


@router.get("/documents", response_model=DocumentList, responses=_ERRORS)
def documents(
    store: StoreDep,
    role: Annotated[
        Literal["issued", "cited"] | None,
        Query(description="documents with a mention in that role"),
    ] = None,
    issuer: Annotated[
        str | None, Query(max_length=80, description="issuer name (substring) or jurisdiction code")
    ] = None,
    kind: Annotated[
        str | None, Query(max_length=30, description="law, regulation, rule, plan, scheme …")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="substring of the title")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Documents with issuer, role counts and the number of reporters mentioning them (most
    widely mentioned first)."""
    try:
        return list_documents(store, role=role, issuer=issuer, kind=kind, q=q, limit=limit,
                              offset=offset)  # fmt: skip
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get(
    "/documents/{document_id:path}",
    response_model=DocumentDetail,
    responses={404: {"model": ErrorBody, "description": "no such document"}, **_ERRORS},
)
def document(
    document_id: str,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=5000, description="reports listed at most")] = 200,
) -> Any:
    """A document and the reports (with their reporters) that mention it."""
    doc = get_document(store, document_id, limit=limit)
    if doc is None:
        raise HTTPException(404, f"no document {document_id!r}")
    return doc
