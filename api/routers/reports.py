"""``/reports`` and ``/reports/{id}``: the stored reports, one with its facts (kg.resources)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.errors import ErrorBody
from api.models import ReportDetail, ReportList
from kg.resources import BadParameter, get_report, list_reports

router = APIRouter(tags=["reports"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a parameter that cannot be right"},
    422: {"model": ErrorBody, "description": "a parameter of the wrong type or out of range"},
}


@router.get("/reports", response_model=ReportList, responses=_ERRORS)
def reports(
    store: StoreDep,
    jurisdiction: Annotated[str | None, Query(max_length=80, description="reporter's code")] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    duplicates: Annotated[bool, Query(description="false: canonical reports only")] = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """The stored reports: reporter, year, dates, source URL, duplicate link, facts by kind."""
    try:
        return list_reports(store, jurisdiction=jurisdiction, year=year, duplicates=duplicates,
                            limit=limit, offset=offset)  # fmt: skip
    except BadParameter as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get(
    "/reports/{report_id:path}",
    response_model=ReportDetail,
    responses={404: {"model": ErrorBody, "description": "no such report"}, **_ERRORS},
)
def report(report_id: str, store: StoreDep) -> Any:
    """One report with its facts and their offsets, and the sentences carrying them.

    ``report_id`` is the report's id as listed by ``/reports``: a path
    (``/reports/seeds/000_4ee9ce8ba8ed3195.txt``) or a URL, as is or percent-encoded
    (``/reports/https%3A%2F%2Fwww.example.gov.cn%2Fa.html``)."""
    doc = get_report(store, report_id)
    if doc is None:
        raise HTTPException(404, f"no report {report_id!r}")
    return doc
