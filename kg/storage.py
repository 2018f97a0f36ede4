"""Where the graph lives on disk, and the handshake between ``kg build`` and ``kg serve``.

pyoxigraph has no secondary handle, and opening a store read-only while another process writes
it is undefined. So a *store location* (``--store PATH``, default :func:`kg.settings.default_store`)
is a directory of generations::

    data/kg/
      CURRENT            "gen-000002": the live generation (replaced atomically: tmp + os.replace)
      gen-000001/        an Oxigraph directory still used by a reader, or garbage
      gen-000002/
      readers/           one JSON file per open read-only handle: pid, gens, role, started
      building.json      the build in progress: pid, gen, mode (in_place | new)
      build.lock         flock held by the one build allowed at a time
      .meta.lock         flock held for a few milliseconds around every decision

*Readers* (``kg serve``, and ``kg query``/``stats``/``export`` through :func:`open_store`)
register themselves, then open ``CURRENT`` read-only. A *build* takes ``build.lock`` (a second
build fails at once with :class:`StoreBusyError`), then:

- if no live reader uses the current generation, it opens it read-write **in place**: every
  report is replaced in one transaction, so a killed build is simply resumed by the next one;
- otherwise it ``backup()``\\ s the current generation into a new one (hard links: cheap),
  writes there, and on success switches ``CURRENT`` atomically; readers notice
  (:meth:`ServingStore.refresh`) and reopen. The reader's old generation stays until no live
  reader uses it and is deleted by a later build.

Readers never open a generation that a build is writing in place: a starting reader waits
for that build (or fails after ``wait`` seconds), a running one keeps its generation until the
build ends. Registrations of dead processes (pid gone, or pid reused by another process) are
ignored and removed.

>>> import tempfile
>>> loc = StoreLocation(tempfile.mkdtemp())
>>> with loc.open_for_build() as store:
...     store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1 } }")
>>> loc.current_generation()
'gen-000001'
>>> with loc.open_read_only() as ro:
...     ro.count()
1
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from kg.settings import default_store
from kg.store import (
    GraphRef,
    OxigraphStore,
    QueryResult,
    ReadOnlyStoreError,
    SparqlEndpointStore,
    Store,
    StoreBusyError,
    StoreError,
)

__all__ = [
    "ReaderEntry",
    "Registration",
    "ServingStore",
    "StoreLocation",
    "open_store",
    "pid_alive",
]

_GEN = re.compile(r"gen-(\d{6,})\Z")
_GRACE_SECONDS = 60.0  # an old generation stays registered this long after a switch


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _proc_start(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (Linux), to tell a reused pid from the original."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def pid_alive(pid: int, proc_start: str | None = None) -> bool:
    """Whether process ``pid`` runs (and, when known, is the same process that registered)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, another user
    if proc_start is not None:
        now = _proc_start(pid)
        if now is not None and now != proc_start:
            return False
    return True


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename durable
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class ReaderEntry:
    """One registered read-only handle."""

    pid: int
    gens: list[str]
    role: str = "serve"
    started: str = field(default_factory=_now)
    proc_start: str | None = None
    path: Path | None = None

    @property
    def alive(self) -> bool:
        return pid_alive(self.pid, self.proc_start)


class Registration:
    """A reader's entry in ``readers/``; :meth:`update` when it switches generation."""

    def __init__(self, location: StoreLocation, entry: ReaderEntry):
        self.location = location
        self.entry = entry

    def update(self, gens: list[str]) -> None:
        self.entry.gens = list(dict.fromkeys(gens))
        self.location._write_entry(self.entry)

    def close(self) -> None:
        if self.entry.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.entry.path.unlink()
            self.entry.path = None


class StoreLocation:
    """A store location directory (see module docstring)."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path).expanduser().resolve() if path is not None else default_store()
        self.current_file = self.path / "CURRENT"
        self.readers_dir = self.path / "readers"
        self.building_file = self.path / "building.json"
        self.lock_file = self.path / "build.lock"
        self.meta_lock_file = self.path / ".meta.lock"

    def __repr__(self) -> str:
        return f"<StoreLocation {self.path}>"

    # -- inspection
    def is_plain_oxigraph(self) -> bool:
        """True when ``path`` is an Oxigraph/RocksDB directory itself, not a store location."""
        try:
            return self.current_file.read_text(errors="replace").startswith("MANIFEST-")
        except OSError:
            return False

    def current_generation(self) -> str | None:
        """The live generation's name (cheap: one small file read), or None before any build."""
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if name.startswith("MANIFEST-"):
            raise StoreError(
                f"{self.path} is a plain Oxigraph directory, not a store location "
                "(open it with OxigraphStore, or move it to gen-000001/ and write CURRENT)"
            )
        if not _GEN.match(name):
            raise StoreError(f"{self.current_file}: unexpected content {name!r}")
        return name

    def gen_path(self, gen: str) -> Path:
        return self.path / gen

    def generations(self) -> list[str]:
        """All generation directories, oldest first."""
        if not self.path.is_dir():
            return []
        gens = [p.name for p in self.path.iterdir() if p.is_dir() and _GEN.match(p.name)]
        return sorted(gens, key=lambda g: int(g[4:]))

    def _next_generation(self) -> str:
        gens = self.generations()
        n = int(gens[-1][4:]) + 1 if gens else 1
        cur = self._read_current_quiet()
        if cur is not None:
            n = max(n, int(cur[4:]) + 1)
        return f"gen-{n:06d}"

    def _read_current_quiet(self) -> str | None:
        try:
            return self.current_generation()
        except StoreError:
            return None

    def readers(self) -> list[ReaderEntry]:
        """Live reader registrations; entries of dead processes are removed."""
        out = []
        if not self.readers_dir.is_dir():
            return out
        for p in sorted(self.readers_dir.glob("*.json")):
            try:
                d = json.loads(p.read_text(encoding="utf-8"))
                entry = ReaderEntry(
                    pid=int(d["pid"]),
                    gens=list(d.get("gens", [])),
                    role=d.get("role", "serve"),
                    started=d.get("started", ""),
                    proc_start=d.get("proc_start"),
                    path=p,
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue  # being written, or garbage: not a live claim
            if entry.alive:
                out.append(entry)
            else:
                with contextlib.suppress(OSError):
                    p.unlink()
        return out

    def generations_in_use(self) -> set[str]:
        return {g for r in self.readers() for g in r.gens}

    def build_in_progress(self) -> dict[str, Any] | None:
        """The running build's record (pid, gen, mode, started), or None."""
        try:
            d = json.loads(self.building_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not pid_alive(int(d.get("pid", 0)), d.get("proc_start")):
            return None
        return d

    def status(self) -> dict[str, Any]:
        """A summary for ``kg stats`` / ``/health``."""
        return {
            "path": str(self.path),
            "current": self._read_current_quiet(),
            "generations": self.generations(),
            "readers": [
                {"pid": r.pid, "gens": r.gens, "role": r.role, "started": r.started}
                for r in self.readers()
            ],
            "build": self.build_in_progress(),
        }

    # -- locks
    @contextlib.contextmanager
    def _meta_lock(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.meta_lock_file, "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _acquire_build_lock(self) -> IO[str]:
        self.path.mkdir(parents=True, exist_ok=True)
        fh = open(self.lock_file, "a+")  # noqa: SIM115 - held for the build's duration
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            fh.seek(0)
            holder = fh.read().strip() or "unknown process"
            fh.close()
            if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise StoreBusyError(
                    f"another build is running on {self.path} ({holder}); "
                    "wait for it to finish or stop it"
                ) from None
            raise
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {_now()}\n")
        fh.flush()
        return fh

    # -- readers
    def _write_entry(self, entry: ReaderEntry) -> None:
        self.readers_dir.mkdir(parents=True, exist_ok=True)
        if entry.path is None:
            entry.path = self.readers_dir / f"{entry.pid}-{uuid.uuid4().hex[:12]}.json"
        data = {
            "pid": entry.pid,
            "gens": entry.gens,
            "role": entry.role,
            "started": entry.started,
            "proc_start": entry.proc_start,
        }
        _write_atomic(entry.path, json.dumps(data))

    def register_server(
        self, pid: int | None = None, gens: list[str] | None = None, *, role: str = "serve"
    ) -> Registration:
        """Register a reader of ``gens`` (default: the current generation)."""
        pid = os.getpid() if pid is None else pid
        if gens is None:
            cur = self.current_generation()
            gens = [cur] if cur else []
        entry = ReaderEntry(pid=pid, gens=list(gens), role=role, proc_start=_proc_start(pid))
        self._write_entry(entry)
        return Registration(self, entry)

    def unregister_server(self, registration: Registration) -> None:
        registration.close()

    def _claim_current(self, role: str, wait: float) -> tuple[str, Registration]:
        """Register a reader of the current generation once no build writes it in place."""
        deadline = time.monotonic() + wait
        while True:
            with self._meta_lock():
                build = self.build_in_progress()
                cur = self.current_generation()
                blocked = build is not None and (cur is None or build.get("gen") == cur)
                if not blocked:
                    if cur is None:
                        if role != "serve":
                            raise FileNotFoundError(
                                f"no graph at {self.path} yet: run `kg build` first"
                            )
                        cur = self._create_empty_generation()
                    return cur, self.register_server(gens=[cur], role=role)
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"a build (pid {build.get('pid') if build else '?'}) is writing "
                    f"{self.path} in place; try again when it finishes"
                )
            time.sleep(0.2)

    def _create_empty_generation(self) -> str:
        gen = self._next_generation()
        OxigraphStore(self.gen_path(gen)).close()
        _write_atomic(self.current_file, gen + "\n")
        return gen

    def open_read_only(self, *, wait: float = 0.0, role: str = "read") -> OxigraphStore:
        """The current generation, read-only and registered; closing it unregisters.

        For one-shot readers (``kg query``, ``stats``, ``export``). Raises
        :class:`StoreBusyError` if a build writes the current generation in place and does
        not finish within ``wait`` seconds.
        """
        if self.is_plain_oxigraph():
            return OxigraphStore(self.path, read_only=True)
        if not self.path.is_dir():
            raise FileNotFoundError(f"no graph at {self.path}: run `kg build` first")
        gen, reg = self._claim_current(role, wait)
        try:
            store = OxigraphStore(self.gen_path(gen), read_only=True)
        except BaseException:
            reg.close()
            raise
        store.add_close_hook(reg.close)
        return store

    def open_for_serving(
        self, *, wait: float = 3600.0, check_interval: float = 2.0
    ) -> ServingStore:
        """A read-only :class:`ServingStore` that follows ``CURRENT`` as builds switch it."""
        return ServingStore(self, wait=wait, check_interval=check_interval)

    # -- builds
    def collect_garbage(self) -> list[str]:
        """Delete generations that are neither current, nor used by a live reader, nor built."""
        deleted = []
        with self._meta_lock():
            keep = self.generations_in_use()
            cur = self._read_current_quiet()
            if cur:
                keep.add(cur)
            build = self.build_in_progress()
            if build:
                keep.add(str(build.get("gen")))
            for gen in self.generations():
                if gen not in keep:
                    shutil.rmtree(self.gen_path(gen), ignore_errors=True)
                    deleted.append(gen)
        return deleted

    @contextlib.contextmanager
    def open_for_build(self) -> Iterator[OxigraphStore]:
        """The store to build into (see module docstring); commits when the block ends.

        In place when no live reader uses the current generation, else a new generation
        that becomes ``CURRENT`` on success (and is deleted on failure).
        """
        session = BuildSession(self)
        store = session.start()
        try:
            yield store
        except BaseException:
            session.finish(ok=False)
            raise
        session.finish(ok=True)


class BuildSession:
    """The steps of one build (used by :meth:`StoreLocation.open_for_build` and
    :func:`open_store`): ``start()`` -> store, then ``finish(ok)``."""

    def __init__(self, location: StoreLocation):
        self.location = location
        self.lock: IO[str] | None = None
        self.store: OxigraphStore | None = None
        self.gen: str | None = None
        self.mode: str | None = None
        self._finished = False

    def start(self) -> OxigraphStore:
        loc = self.location
        if loc.is_plain_oxigraph():
            raise StoreError(
                f"{loc.path} is a plain Oxigraph directory, not a store location; "
                "build into a new directory"
            )
        self.lock = loc._acquire_build_lock()
        try:
            loc.collect_garbage()
            with loc._meta_lock():
                cur = loc.current_generation()
                in_use = loc.generations_in_use()
                if cur is None:
                    self.gen, self.mode, base = loc._next_generation(), "in_place", None
                elif cur in in_use:
                    self.gen, self.mode, base = loc._next_generation(), "new", cur
                else:
                    self.gen, self.mode, base = cur, "in_place", None
                record = {
                    "pid": os.getpid(),
                    "proc_start": _proc_start(os.getpid()),
                    "gen": self.gen,
                    "base": base,
                    "mode": self.mode,
                    "started": _now(),
                }
                _write_atomic(loc.building_file, json.dumps(record))
                if cur is None:
                    OxigraphStore(loc.gen_path(self.gen)).close()
                    _write_atomic(loc.current_file, self.gen + "\n")
            if self.mode == "new" and base is not None:
                # no process writes ``base`` (we hold the build lock; readers only read)
                src = OxigraphStore(loc.gen_path(base), read_only=True)
                try:
                    src.backup(loc.gen_path(self.gen))
                finally:
                    src.close()
            self.store = OxigraphStore(loc.gen_path(self.gen))
            return self.store
        except BaseException:
            self._cleanup(ok=False)
            raise

    def finish(self, ok: bool) -> None:
        if self._finished:
            return
        self._finished = True
        self._cleanup(ok)

    def _cleanup(self, ok: bool) -> None:
        loc = self.location
        try:
            if self.store is not None:
                store, self.store = self.store, None
                store.close()
            switched = False
            try:
                with loc._meta_lock():
                    try:
                        if ok and self.mode == "new" and self.gen:
                            _write_atomic(loc.current_file, self.gen + "\n")  # the switch
                            switched = True
                    finally:
                        with contextlib.suppress(FileNotFoundError):
                            loc.building_file.unlink()
            finally:
                if self.mode == "new" and self.gen and not switched:
                    shutil.rmtree(loc.gen_path(self.gen), ignore_errors=True)
        finally:
            if self.lock is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(self.lock.fileno(), fcntl.LOCK_UN)
                self.lock.close()
                self.lock = None


class ServingStore(Store):
    """A read-only store for a long-running server: follows ``CURRENT`` across builds.

    Every query first calls :meth:`refresh` (at most once per ``check_interval`` seconds: one
    small file read); when a build has switched ``CURRENT`` and no build writes the new
    generation in place, the new generation is opened and the old one released. In-flight
    queries keep the handle they started with.
    """

    read_only = True

    def __init__(
        self, location: StoreLocation, *, wait: float = 3600.0, check_interval: float = 2.0
    ):
        self.location = location
        self.check_interval = check_interval
        self._lock = threading.Lock()
        gen, self._reg = location._claim_current("serve", wait)
        try:
            self._store = OxigraphStore(location.gen_path(gen), read_only=True)
        except BaseException:
            self._reg.close()
            raise
        self.generation = gen
        self._checked = time.monotonic()
        self._old: list[tuple[str, float]] = []  # generations released, with release time

    def __repr__(self) -> str:
        return f"<ServingStore {self.location.path} {self.generation}>"

    @property
    def current(self) -> OxigraphStore:
        """The handle to use now (refreshed if due)."""
        self.refresh()
        return self._store

    def refresh(self, force: bool = False) -> bool:
        """Switch to a newer generation if there is one and it is safe; True if switched."""
        now = time.monotonic()
        if not force and now - self._checked < self.check_interval:
            return False
        with self._lock:
            self._checked = now
            loc = self.location
            self._old = [(g, t) for g, t in self._old if now - t < _GRACE_SECONDS]
            try:
                cur = loc.current_generation()
            except StoreError:
                return False
            if cur is None or cur == self.generation:
                if self._old == [] and self._reg.entry.gens != [self.generation]:
                    self._reg.update([self.generation])
                return False
            with loc._meta_lock():
                build = loc.build_in_progress()
                if build is not None and build.get("gen") == cur:
                    return False  # being written in place: keep serving what we have
                self._reg.update([cur, self.generation, *(g for g, _ in self._old)])
            try:
                new = OxigraphStore(loc.gen_path(cur), read_only=True)
            except OSError:
                self._reg.update([self.generation, *(g for g, _ in self._old)])
                return False
            old, self._store = self._store, new
            self._old.append((self.generation, now))
            self.generation = cur
            del old  # released when the queries still running on it finish
            return True

    # reading: delegate to the current handle
    def query(self, sparql: str, **kwargs: Any) -> QueryResult:  # type: ignore[override]
        return self.current.query(sparql, **kwargs)

    def query_serialized(
        self, sparql: str, format: str = "json", **kwargs: Any
    ) -> tuple[bytes, str]:  # type: ignore[override]
        return self.current.query_serialized(sparql, format, **kwargs)

    def named_graphs(self) -> list[str]:
        return self.current.named_graphs()

    def graph_exists(self, graph: GraphRef) -> bool:
        return self.current.graph_exists(graph)

    def count(self, graph: GraphRef | None = None) -> int:
        return self.current.count(graph)

    def quads(
        self,
        subject: Any = None,
        predicate: Any = None,
        object: Any = None,
        graph: GraphRef | None = None,
    ) -> Iterator[Any]:
        return self.current.quads(subject, predicate, object, graph)

    def dump(
        self, target: Any, format: str = "nq", *, graph: GraphRef | None = None
    ) -> bytes | None:
        return self.current.dump(target, format, graph=graph)

    # writing: refused
    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise ReadOnlyStoreError("the serving store is read-only; writes go through `kg build`")

    update = _refuse  # type: ignore[assignment]
    replace_graph = _refuse  # type: ignore[assignment]
    drop_graph = _refuse  # type: ignore[assignment]
    bulk_load = _refuse  # type: ignore[assignment]

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._reg.close()


def open_store(
    location: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    wait: float = 0.0,
) -> Store:
    """Open the store named by ``--store`` (a path, ``memory:``, or an http(s) endpoint URL).

    - None: ``$KG_STORE``, else ``data/kg`` under the project root;
    - ``memory:``: a fresh in-memory store (tests, experiments);
    - ``http://…``/``https://…``: a SPARQL 1.1 endpoint (:class:`SparqlEndpointStore`; the URL
      serves queries and updates);
    - a path: a store location. ``read_only=True`` opens the current generation read-only and
      registers as a reader (so a build will not write under it); otherwise the store is
      opened like a build (in place, or a new generation when a reader is live) and committed
      by ``close()``. A plain Oxigraph directory is opened directly.
    """
    if location is not None and str(location) in ("memory:", ":memory:"):
        return OxigraphStore(None)
    if location is not None and re.match(r"https?://", str(location)):
        return SparqlEndpointStore(str(location), read_only=read_only)
    loc = StoreLocation(location)
    if loc.is_plain_oxigraph():
        return OxigraphStore(loc.path, read_only=read_only)
    if read_only:
        return loc.open_read_only(wait=wait)
    session = BuildSession(loc)
    store = session.start()
    store.add_close_hook(lambda: session.finish(ok=True))
    return store
