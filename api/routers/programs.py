"""``/programs`` and ``/programs/{id}``: programs with their adopters (kg.resources)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.errors import ErrorBody
from api.models import ProgramDetail, ProgramList
from kg.resources import BadParameter, get_program, list_programs

router = APIRouter(tags=["programs"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a parameter that cannot be right"},
    422: {"model": ErrorBody, "description": "a parameter of the wrong type or out of range"},
}


@router.get("/programs", response_model=ProgramList, responses=_ERRORS)
def programs(
    store: StoreDep,
    category: Annotated[str | None, Query(max_length=50, description="e.g. 普法, 行政执法")] = None,
    candidate: Annotated[
        bool | None, Query(description="true: candidates only; false: curated only")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="substring of the label")] = None,
    sort: Annotated[
        Literal["adopters", "reports", "mentions", "label"],
        Query(description="adopters (default, most first), reports, mentions or label"),
    ] = "adopters",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Programs (curated and candidate) with adopter counts from canonical reports."""
    try:
        return list_programs(store, category=category, candidate=candidate, q=q, sort=sort,
                             limit=limit, offset=offset)  # fmt: skip
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get(
    "/programs/{program_id:path}",
    response_model=ProgramDetail,
    responses={404: {"model": ErrorBody, "description": "no such program"}, **_ERRORS},
)
def program(
    program_id: str,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=5000, description="rows per list at most")] = 200,
) -> Any:
    """A program with the jurisdictions running it (code, level, parent, year, section,
    evidence sentence, source URL); plan-only, negated and problems-only mentions apart.

    ``program_id``: the slug of the program IRI (``fa-lv-ming-bai-ren``,
    ``candidate/san-shu-tong-da``); a label or alias naming one program also works."""
    try:
        doc = get_program(store, program_id, limit=limit)
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc
    if doc is None:
        raise HTTPException(404, f"no program {program_id!r}")
    return doc
