"""``/health`` and ``/stats``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import StoreDep
from kg.queries import stats

router = APIRouter(tags=["status"])


class Health(BaseModel):
    status: str
    store: str
    reports: int


class Stats(BaseModel):
    reports: int
    canonical_reports: int
    quads: int
    graphs: int
    facts: dict[str, int]

    model_config = {"json_schema_extra": {"examples": [
        {"reports": 5, "canonical_reports": 5, "quads": 13590, "graphs": 12,
         "facts": {"program": 225, "agency": 53, "document": 60, "metric": 291}}]}}  # fmt: skip


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Any:
    """Liveness and the store the API reads."""
    st = stats(store)
    return {"status": "ok", "store": st["store"], "reports": st["reports"]}


@router.get("/stats", response_model=Stats)
def get_stats(store: StoreDep) -> Any:
    """Counts of reports, quads, graphs and facts by kind."""
    return stats(store)
