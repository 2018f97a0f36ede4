"""``/search``: names of programs, jurisdictions, agencies and documents (kg.resources)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.errors import ErrorBody
from api.models import SearchResults
from kg.resources import BadParameter, search

router = APIRouter(tags=["search"])


@router.get(
    "/search",
    response_model=SearchResults,
    responses={
        400: {"model": ErrorBody, "description": "an empty query"},
        422: {"model": ErrorBody, "description": "a missing or out-of-range parameter"},
    },
)
def search_names(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="a name in simplified or traditional "
            "characters, or in pinyin (falvmingbairen, flmbr)",
        ),  # fmt: skip
    ],
    kind: Annotated[
        Literal["program", "jurisdiction", "agency", "document"] | None, Query()
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Labels and aliases of programs, jurisdictions (with former names), agencies and
    documents. Traditional input is folded to simplified (一網通辦 → 一网通办); a query in Latin
    letters matches the pinyin of names and their initials. Exact matches first."""
    try:
        return search(store, q, kind=kind, limit=limit, offset=offset)
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc
