"""``/jurisdictions`` and ``/jurisdictions/{code}``: places and their profiles (kg.resources)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import StoreDep
from api.errors import ErrorBody
from api.models import JurisdictionList, JurisdictionProfile
from kg.resources import BadParameter, get_jurisdiction, list_jurisdictions

router = APIRouter(tags=["jurisdictions"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a malformed code"},
    422: {"model": ErrorBody, "description": "a parameter of the wrong type or out of range"},
}
Level = Literal["national", "province", "prefecture", "county", "township", "zone"]


@router.get("/jurisdictions", response_model=JurisdictionList, responses=_ERRORS)
def jurisdictions(
    store: StoreDep,
    level: Annotated[Level | None, Query()] = None,
    parent: Annotated[
        str | None, Query(max_length=60, description="the parent's code (6, 9 or 12 digits)")
    ] = None,
    province: Annotated[
        str | None, Query(max_length=60, description="the province's code or name (辽宁, 辽宁省)")
    ] = None,
    q: Annotated[str | None, Query(max_length=60, description="substring of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Jurisdictions the stored reports name, with their ancestors, by code."""
    try:
        return list_jurisdictions(store, level=level, parent=parent, province=province, q=q,
                                  limit=limit, offset=offset)  # fmt: skip
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get(
    "/jurisdictions/{code}",
    response_model=JurisdictionProfile,
    responses={404: {"model": ErrorBody, "description": "no such jurisdiction"}, **_ERRORS},
)
def jurisdiction(
    code: Annotated[
        str,
        Path(
            max_length=80,
            description="6-, 9- or 12-digit code; 'zone:名称' (URL-encoded) "
            "for a zone without a code; 'CN' for the nation",
        ),  # fmt: skip
    ],
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=5000, description="rows per list at most")] = 200,
) -> Any:
    """A jurisdiction's profile: programs run and plan-only, agencies, documents issued,
    metrics by year, reports."""
    try:
        doc = get_jurisdiction(store, code, limit=limit)
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc
    if doc is None:
        raise HTTPException(404, f"no jurisdiction {code!r} in the graph")
    return doc
