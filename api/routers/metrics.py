"""``/metrics``: metric concepts, and a concept's observations across jurisdictions and years
(kg.resources)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.errors import ErrorBody
from api.models import MetricConceptList, MetricObservationList
from kg.resources import BadParameter, list_metric_concepts, metric_observations
from kg.store import Store

router = APIRouter(tags=["metrics"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a parameter that cannot be right"},
    404: {"model": ErrorBody, "description": "no such metric concept"},
    422: {"model": ErrorBody, "description": "a parameter of the wrong type or out of range"},
}
Scope = Literal["annual", "cumulative", "as_of", "multi_year", "other_year"]


def _observations(
    store: Store,
    concept: str,
    year: int | None,
    scope: str | None,
    jurisdiction: str | None,
    order: str,
    limit: int,
    offset: int,
) -> Any:
    try:
        out = metric_observations(store, concept, year=year, scope=scope,
                                  jurisdiction=jurisdiction, order=order, limit=limit,
                                  offset=offset)  # fmt: skip
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc
    if out is None:
        raise HTTPException(404, f"no metric concept {concept!r} (see /metrics)")
    return out


@router.get("/metrics", response_model=MetricConceptList | MetricObservationList, responses=_ERRORS)
def metrics(
    store: StoreDep,
    concept: Annotated[
        str | None,
        Query(
            max_length=80,
            description="a concept id (court_appearance_rate); without it, "
            "the list of concepts with counts",
        ),  # fmt: skip
    ] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    scope: Annotated[Scope | None, Query()] = None,
    jurisdiction: Annotated[str | None, Query(max_length=80, description="a code")] = None,
    order: Annotated[Literal["desc", "asc"], Query(description="by base value")] = "desc",
    q: Annotated[str | None, Query(max_length=60, description="filter concepts by name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Without ``concept``: the metric concepts with their numbers of observations,
    jurisdictions and years. With ``concept``: its observations across jurisdictions and
    years, sorted by the normalised base value (7320.9万元 → 73,209,000 元)."""
    if concept is None:
        try:
            return list_metric_concepts(store, q=q, limit=limit, offset=offset)
        except BadParameter as exc:
            raise HTTPException(400, str(exc)) from exc
    return _observations(store, concept, year, scope, jurisdiction, order, limit, offset)


@router.get("/metrics/{concept}", response_model=MetricObservationList, responses=_ERRORS)
def metric(
    concept: str,
    store: StoreDep,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    scope: Annotated[Scope | None, Query()] = None,
    jurisdiction: Annotated[str | None, Query(max_length=80, description="a code")] = None,
    order: Annotated[Literal["desc", "asc"], Query(description="by base value")] = "desc",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """A concept's observations (same as ``/metrics?concept=…``)."""
    return _observations(store, concept, year, scope, jurisdiction, order, limit, offset)
