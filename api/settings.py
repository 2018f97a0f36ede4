"""API settings: one object, read from the environment (``KG_API_*``) or given to the factory.

>>> Settings(store="memory:").sparql_timeout
10.0
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Settings"]


def _env_float(name: str, default: float) -> float:
    v = os.environ.get(name)
    return float(v) if v else default


def _env_int(name: str, default: int) -> int:
    v = os.environ.get(name)
    return int(v) if v else default


@dataclass
class Settings:
    """Everything the app needs to know; ``store`` is a path, ``memory:`` or an endpoint URL."""

    store: str | None = field(default_factory=lambda: os.environ.get("KG_STORE"))
    sparql_timeout: float = field(default_factory=lambda: _env_float("KG_API_SPARQL_TIMEOUT", 10.0))
    sparql_max_results: int = field(
        default_factory=lambda: _env_int("KG_API_SPARQL_MAX_RESULTS", 10_000)
    )
    # worker processes (on-disk store) or query threads (in-memory store) for /sparql
    sparql_workers: int = field(default_factory=lambda: _env_int("KG_API_SPARQL_WORKERS", 2))
    page_size: int = 50
    max_page_size: int = 500
    hub_cap: int = field(default_factory=lambda: _env_int("KG_API_HUB_CAP", 50))
    cors_origins: list[str] = field(
        default_factory=lambda: [o for o in os.environ.get("KG_API_CORS", "").split(",") if o]
    )
