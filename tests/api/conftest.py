"""Shared API fixtures: the seed graph, built once per session.

``seed_store``: the five seed reports built into an in-memory store (≈3 s, session-scoped; tests
must not write to it). ``seed_store_dir``: the same quads in an on-disk store location (a
``kg.storage`` directory of generations), for tests that need a real store on disk (worker
processes, ``kg serve``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    from kg.build import build_into
    from kg.curation import Curation

    store = OxigraphStore(None)
    cur = Curation(tmp_path_factory.mktemp("curation") / "c.jsonl")
    build_into(store, [str(SEEDS)], curation=cur, progress=False)
    return store


@pytest.fixture(scope="session")
def seed_store_dir(seed_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store location on disk holding the seed graph (``kg serve --store`` takes it)."""
    from kg.storage import StoreLocation

    path = tmp_path_factory.mktemp("seed-store") / "kg"
    with StoreLocation(path).open_for_build() as store:
        store.bulk_load(seed_store.dump(None, "nq"), format="nq")
    return path


@pytest.fixture(scope="session")
def resources_client(seed_store: OxigraphStore):
    """A TestClient of the whole app over the seed graph (its summaries built by build_into)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(store="memory:"), store=seed_store)) as client:
        yield client
