"""kg.storage: store generations, the build/serve handshake, open_store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg import storage
from kg.storage import ServingStore, StoreLocation, open_store
from kg.store import (
    OxigraphStore,
    ReadOnlyStoreError,
    SparqlEndpointStore,
    StoreBusyError,
    StoreError,
)

ROOT = Path(__file__).resolve().parent.parent


def insert(store: OxigraphStore, graph: str, value: int) -> None:
    store.replace_graph(graph, [])
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:s> <urn:v> {value} }} }}")


def values(store: object) -> dict[str, int]:
    res = store.select("SELECT ?g ?v WHERE { GRAPH ?g { <urn:s> <urn:v> ?v } }")  # type: ignore[attr-defined]
    return {r["g"].value: int(r["v"].value) for r in res}


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def loc(tmp_path: Path) -> StoreLocation:
    return StoreLocation(tmp_path / "kg")


def test_build_in_place_when_no_reader(loc: StoreLocation) -> None:
    assert loc.current_generation() is None
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    assert loc.current_generation() == "gen-000001"
    with loc.open_for_build() as store:  # no reader: same generation, written in place
        assert values(store) == {"urn:g:1": 1}
        insert(store, "urn:g:2", 2)
    assert loc.generations() == ["gen-000001"]
    assert not loc.building_file.exists()
    with loc.open_read_only() as ro:
        assert values(ro) == {"urn:g:1": 1, "urn:g:2": 2}


def test_failed_in_place_build_keeps_committed_reports(loc: StoreLocation) -> None:
    with pytest.raises(RuntimeError):
        with loc.open_for_build() as store:
            insert(store, "urn:g:1", 1)  # one report committed
            raise RuntimeError("killed")
    assert loc.current_generation() == "gen-000001"
    with loc.open_for_build() as store:  # resumed: nothing duplicated
        insert(store, "urn:g:1", 1)
        assert store.count() == 1


def test_build_into_a_new_generation_while_serving(loc: StoreLocation) -> None:
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    server = loc.open_for_serving(check_interval=3600)
    assert isinstance(server, ServingStore) and server.generation == "gen-000001"
    assert [r.pid for r in loc.readers()] == [os.getpid()]

    with loc.open_for_build() as store:  # a live reader uses gen 1: build into gen 2
        assert store.path == loc.gen_path("gen-000002")
        assert values(store) == {"urn:g:1": 1}  # the backup carried the data over
        insert(store, "urn:g:1", 10)
        assert loc.current_generation() == "gen-000001"  # not switched before success
        assert values(server) == {"urn:g:1": 1}  # the server is neither blocked nor disturbed
    assert loc.current_generation() == "gen-000002"
    assert values(server) == {"urn:g:1": 1}  # until it refreshes
    assert server.refresh(force=True)
    assert server.generation == "gen-000002"
    assert values(server) == {"urn:g:1": 10}
    assert set(loc.generations()) == {"gen-000001", "gen-000002"}

    with pytest.raises(ReadOnlyStoreError):
        server.update("INSERT DATA { <urn:a> <urn:b> 1 }")
    server.close()
    assert loc.readers() == []
    with loc.open_for_build() as store:  # nobody reads: in place, and gen 1 is collected
        assert store.path == loc.gen_path("gen-000002")
    assert loc.generations() == ["gen-000002"]


def test_failed_new_generation_build_is_discarded(loc: StoreLocation) -> None:
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    with loc.open_read_only() as ro:  # a one-shot reader also counts
        with pytest.raises(RuntimeError):
            with loc.open_for_build() as store:
                insert(store, "urn:g:1", 99)
                raise RuntimeError("boom")
        assert loc.generations() == ["gen-000001"]
        assert values(ro) == {"urn:g:1": 1}
    assert loc.current_generation() == "gen-000001"


def test_current_switch_is_atomic(loc: StoreLocation, monkeypatch: pytest.MonkeyPatch) -> None:
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    server = loc.open_for_serving()
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if Path(dst).name == "CURRENT":
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        with loc.open_for_build() as store:
            insert(store, "urn:g:1", 2)
    monkeypatch.undo()
    assert loc.current_file.read_text() == "gen-000001\n"  # never half-written
    assert loc.generations() == ["gen-000001"]  # the unswitched generation is gone
    assert not list(loc.path.glob(".CURRENT*"))  # no temporary left behind
    assert not loc.building_file.exists()
    server.close()


def test_stale_reader_entries_are_ignored(loc: StoreLocation) -> None:
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    reg = loc.register_server(pid=dead_pid())
    assert reg.entry.path is not None and reg.entry.path.exists()
    # a reused pid (alive, but not the process that registered) is stale too
    reused = loc.register_server(pid=os.getpid())
    entry = json.loads(reused.entry.path.read_text())
    entry["proc_start"] = "1"
    reused.entry.path.write_text(json.dumps(entry))
    (loc.readers_dir / "garbage.json").write_text("{not json")
    assert loc.readers() == []
    assert not reg.entry.path.exists()
    with loc.open_for_build() as store:
        assert store.path == loc.gen_path("gen-000001")  # in place


def test_concurrent_build_fails_clearly(loc: StoreLocation) -> None:
    with loc.open_for_build():
        with pytest.raises(StoreBusyError, match="another build is running") as err:
            with loc.open_for_build():
                pass
        assert f"pid {os.getpid()}" in str(err.value)
    with loc.open_for_build():  # released afterwards
        pass


def test_no_reader_opens_a_generation_being_written_in_place(loc: StoreLocation) -> None:
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    with loc.open_for_build() as store:  # in place
        with pytest.raises(StoreBusyError, match="in place"):
            loc.open_read_only(wait=0)
        with pytest.raises(StoreBusyError):
            loc.open_for_serving(wait=0.3)
        assert loc.status()["build"]["mode"] == "in_place"
    with loc.open_read_only() as ro:
        assert ro.count() == 1


def test_a_running_server_keeps_its_generation_during_an_in_place_build(
    loc: StoreLocation,
) -> None:
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    server = loc.open_for_serving(check_interval=3600)
    with loc.open_for_build() as store:  # -> gen 2
        insert(store, "urn:g:1", 2)
    # the server has not refreshed yet and now reads gen 1 only: gen 2 is free
    server._reg.update(["gen-000001"])
    with loc.open_for_build() as store:
        assert store.path == loc.gen_path("gen-000002")  # in place
        insert(store, "urn:g:1", 3)
        assert not server.refresh(force=True)  # never opens what is being written
        assert server.generation == "gen-000001"
        assert values(server) == {"urn:g:1": 1}
    assert server.refresh(force=True)
    assert values(server) == {"urn:g:1": 3}
    server.close()


def test_serving_an_empty_location(loc: StoreLocation) -> None:
    server = loc.open_for_serving()
    assert server.count() == 0 and server.generation == "gen-000001"
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    assert server.refresh(force=True)
    assert server.count() == 1
    server.close()


def test_build_in_another_process_while_serving(loc: StoreLocation) -> None:
    with loc.open_for_build() as store:
        insert(store, "urn:g:1", 1)
    server = loc.open_for_serving(check_interval=0)
    code = textwrap.dedent(
        f"""
        from kg.storage import StoreLocation
        loc = StoreLocation({str(loc.path)!r})
        with loc.open_for_build() as store:
            store.update("DELETE WHERE {{ GRAPH <urn:g:1> {{ ?s ?p ?o }} }}")
            store.update("INSERT DATA {{ GRAPH <urn:g:1> {{ <urn:s> <urn:v> 7 }} }}")
            print(store.path.name)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "gen-000002"
    assert values(server) == {"urn:g:1": 7}  # refreshed on the next query
    server.close()


def test_open_store(loc: StoreLocation, tmp_path: Path) -> None:
    assert isinstance(open_store("memory:"), OxigraphStore)
    remote = open_store("http://localhost:7878/query", read_only=True)
    assert isinstance(remote, SparqlEndpointStore) and remote.read_only
    with pytest.raises(FileNotFoundError):
        open_store(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()

    store = open_store(loc.path)  # read-write: a build session committed by close()
    insert(store, "urn:g:1", 1)
    store.close()
    assert loc.current_generation() == "gen-000001"
    with open_store(loc.path, read_only=True) as ro:
        assert values(ro) == {"urn:g:1": 1}
        rw = open_store(loc.path)  # a live reader: writes go to a new generation
        insert(rw, "urn:g:1", 2)
        rw.close()
        assert values(ro) == {"urn:g:1": 1}
    assert loc.current_generation() == "gen-000002"

    plain = tmp_path / "plain"
    OxigraphStore(plain).close()
    assert StoreLocation(plain).is_plain_oxigraph()
    with open_store(plain, read_only=True) as ro:
        assert ro.count() == 0
    with pytest.raises(StoreError, match="plain Oxigraph"):
        with StoreLocation(plain).open_for_build():
            pass


def test_default_location_follows_kg_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_STORE", str(tmp_path / "elsewhere"))
    assert StoreLocation().path == tmp_path / "elsewhere"
