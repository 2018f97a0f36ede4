"""The app factory: ``create_app(settings, store)``; ``kg serve`` runs it with uvicorn.

>>> from kg.store import OxigraphStore
>>> app = create_app(store=OxigraphStore(None))
>>> sorted(r.path for r in app.routes if r.path in ("/health", "/stats"))
['/health', '/stats']
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.settings import Settings
from kg.store import Store

__all__ = ["create_app"]

ROUTERS = (
    "health",
    "sparql",
    "graph",
    "explorer",
    "programs",
    "jurisdictions",
    "metrics",
    "documents",
    "reports",
    "search",
)


def open_serving_store(settings: Settings) -> Store:
    """The store for a long-running server: follows builds (kg.storage.ServingStore)."""
    from kg.storage import StoreLocation, open_store

    loc = settings.store
    if loc in ("memory:", ":memory:") or (loc and loc.startswith(("http://", "https://"))):
        return open_store(loc, read_only=True)
    return StoreLocation(loc).open_for_serving()


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """A FastAPI app over ``store`` (default: the serving store named by ``settings``)."""
    import importlib

    settings = settings or Settings()
    app = FastAPI(
        title="fazhi-kg",
        summary="Knowledge graph of China's rule-of-law government work (法治政府建设)",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.store = store if store is not None else open_serving_store(settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    install_error_handlers(app)
    for name in ROUTERS:
        module = importlib.import_module(f"api.routers.{name}")
        app.include_router(module.router)
    return app
