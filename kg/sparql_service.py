"""The read-only SPARQL 1.1 Protocol service behind ``/sparql`` (the HTTP layer is thin).

One call does everything a protocol request needs::

    service = SparqlService(store, timeout=10.0, max_results=10_000)
    answer = service.run(query_text, accept="text/csv", default_graphs=None, named_graphs=None)
    answer.body, answer.media_type, answer.truncated

Steps, each with its own error (a :class:`SparqlError` carrying the HTTP status to answer):

- :func:`inspect_query` refuses updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
  ``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``WITH`` → :class:`UpdateRefused`, 403) and
  federated queries (``SERVICE`` → :class:`FeatureRefused`, 403: pyoxigraph would fetch the URL
  from the server, a request-forgery hole), then parses the query against an empty in-memory
  store (about 20 µs) to learn its form and report syntax errors with the parser's message
  (:class:`QuerySyntaxError`, 400) before any worker is used.
- :func:`negotiate` picks the result format from the ``Accept`` header (q-values honoured,
  exact types before wildcards, then the client's order): SELECT/ASK as SPARQL results JSON
  (the default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle (the default), N-Triples,
  JSON-LD or RDF/XML; nothing acceptable → :class:`NotAcceptable` (406).
- The dataset: ``default-graph-uri``/``named-graph-uri`` given → exactly those graphs (SPARQL
  protocol: no named graph parameter means no named graphs); else a query with ``FROM`` /
  ``FROM NAMED`` → its own dataset; else the union of all graphs as the default graph (so plain
  queries see every report) and every named graph for ``GRAPH ?g``. (pyoxigraph's
  union flag would override a ``FROM`` clause, hence the check.)
- :func:`execute` runs the query and serialises at most ``max_results`` rows (SELECT) or
  triples (CONSTRUCT/DESCRIBE); beyond that the answer is **truncated** and says so
  (``Answer.truncated``; the endpoint sends ``X-Result-Truncated: true``). Results stream from
  the engine, so a capped query stops reading there.
- The time limit. pyoxigraph cannot cancel a query, so :class:`SparqlService` runs queries
  where they can be stopped: in **worker processes** (fresh interpreters, like the ``spawn``
  start method but independent of the server's ``__main__``) that open the on-disk generation
  read-only (registered as readers in ``kg.storage``, following
  ``CURRENT`` as builds switch it). A worker that overruns the limit is killed
  (:class:`QueryTimeout`, 504) and a fresh one started in the background. An in-memory store
  (tests) or a remote endpoint cannot be shared with a process: the query then runs in a
  **thread** with the same time limit; the answer is still 504 on time, but the thread runs
  on until the engine finishes (a streaming SELECT/CONSTRUCT stops at the next row; an
  aggregate or ORDER BY runs to its end). Each runaway thread keeps its slot, so at most
  ``workers`` of them run; further queries wait, then get :class:`ServiceBusy` (503).
  Cost of the worker (2-core machine, seed graph): ≈0.2 ms per query over running it in the
  server process (ASK {}: 0.28 ms instead of 0.06 ms), plus ≈4 ms per MB of answer (pickled
  over a socket pair); a fresh worker (interpreter, imports, opening the store) ≈0.25 s.

The project prefixes (``fz``, ``fzid``, ``skos``, ``prov``, ``dcterms``, ``xsd``, ``rdf``,
``rdfs``, ``owl``) are predeclared, as in :meth:`kg.store.Store.query`.

>>> inspect_query("SELECT * WHERE { ?s ?p ?o }").form
'SELECT'
>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
('xml', 'application/sparql-results+xml')
>>> negotiate(None, "CONSTRUCT")
('ttl', 'text/turtle')
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.store import GraphResult, OxigraphStore, SelectResult, Store, StoreError, rdf_format
from kg.vocab import PREFIXES

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "Answer",
    "FeatureRefused",
    "NotAcceptable",
    "QueryInfo",
    "QueryRequest",
    "QuerySyntaxError",
    "QueryTimeout",
    "ServiceBusy",
    "SparqlError",
    "SparqlService",
    "UpdateRefused",
    "execute",
    "inspect_query",
    "load_examples",
    "negotiate",
]

MAX_QUERY_CHARS = 1_000_000

# ---------------------------------------------------------------------------------------------
# errors (each knows the HTTP status the endpoint answers with)


class SparqlError(Exception):
    """A request the service does not answer with results; ``status`` is the HTTP status."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class QuerySyntaxError(SparqlError):
    """The parser's message for a malformed query (400)."""

    status = 400


class UpdateRefused(SparqlError):
    """The endpoint is read-only (403)."""

    status = 403


class FeatureRefused(SparqlError):
    """A query feature the endpoint does not allow (``SERVICE``; 403)."""

    status = 403


class NotAcceptable(SparqlError):
    """No format the client accepts fits the query form (406)."""

    status = 406


class QueryTimeout(SparqlError):
    """The query overran the time limit (504)."""

    status = 504


class ServiceBusy(SparqlError):
    """Every query slot stayed busy for the whole time limit (503)."""

    status = 503


# ---------------------------------------------------------------------------------------------
# looking at the query text

_LEX = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def _words(sparql: str) -> list[str]:
    """The bare words of ``sparql`` (keywords, function names), upper-cased: no comments,
    strings, IRIs, variables, prefixed names or language tags."""
    return [m.group().upper() for m in _LEX.finditer(sparql) if m.lastgroup == "word"]


@dataclass(frozen=True)
class QueryInfo:
    """What the service needs to know about a query before running it."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset: bool  # the query names its own dataset (FROM / FROM NAMED)


def inspect_query(sparql: str) -> QueryInfo:
    """The query's form; raises :class:`UpdateRefused`, :class:`FeatureRefused` or
    :class:`QuerySyntaxError` (with the parser's message)."""
    if len(sparql) > MAX_QUERY_CHARS:
        raise SparqlError(f"query longer than {MAX_QUERY_CHARS:,} characters", 413)
    if not sparql.strip():
        raise QuerySyntaxError("empty query")
    words = _words(sparql)
    updates = [w for w in words if w in UPDATE_WORDS]
    if updates:
        raise UpdateRefused(
            f"this SPARQL endpoint is read-only: SPARQL Update ({updates[0]}) is refused; "
            "the graph is written by `kg build`"
        )
    if "SERVICE" in words:
        raise FeatureRefused("federated queries (SERVICE) are disabled on this endpoint")
    try:
        res = pyoxigraph.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as err:
        raise QuerySyntaxError(f"SPARQL syntax error: {err}") from None
    except (OSError, RuntimeError, ValueError) as err:  # pragma: no cover - empty store
        raise QuerySyntaxError(f"invalid query: {err}") from None
    if isinstance(res, pyoxigraph.QuerySolutions):
        form = "SELECT"
    elif isinstance(res, pyoxigraph.QueryBoolean):
        form = "ASK"
    else:
        form = next((w for w in words if w in ("CONSTRUCT", "DESCRIBE")), "CONSTRUCT")
    return QueryInfo(form=form, has_dataset="FROM" in words)


# ---------------------------------------------------------------------------------------------
# content negotiation

# (media type, format key); the first is the default
RESULT_TYPES: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
)
GRAPH_TYPES: tuple[tuple[str, str], ...] = (
    ("text/turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
)
# other names clients send for the same formats (answered with the canonical type)
_ALIASES = {
    "SELECT": {"application/json": "json", "application/xml": "xml", "text/xml": "xml"},
    "CONSTRUCT": {"application/json": "jsonld", "text/plain": "nt", "application/x-turtle": "ttl"},
}
_MEDIA = {k: m for m, k in RESULT_TYPES + GRAPH_TYPES}


def _parse_accept(accept: str) -> list[tuple[str, float, int]]:
    """``[(media range, q, position)]``; malformed entries are skipped."""
    out = []
    for pos, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        rng = fields[0].lower()
        if not rng or "/" not in rng:
            continue
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            out.append((rng, q, pos))
    return out


def negotiate(accept: str | None, form: str) -> tuple[str, str]:
    """``(format key, media type)`` for a query of ``form`` under an ``Accept`` header.

    A type's q is that of the most specific range matching it (exact, ``type/*``, ``*/*``);
    the best q wins, then the more specific match, then the client's order, then ours.
    No header (or only ``*/*``) gives SPARQL results JSON / Turtle.
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    types = GRAPH_TYPES if graph else RESULT_TYPES
    aliases = _ALIASES["CONSTRUCT" if graph else "SELECT"]
    if not accept or not accept.strip():
        return types[0][1], types[0][0]
    ranges = _parse_accept(accept)
    candidates = [(m, k) for m, k in types] + [(m, k) for m, k in aliases.items()]
    best: tuple[tuple[float, int, int, int], str] | None = None
    for order, (media, key) in enumerate(candidates):
        major = media.split("/")[0]
        match: tuple[int, float, int] | None = None  # (specificity, q, position)
        for rng, q, pos in ranges:
            if rng == media:
                spec = 3
            elif rng == major + "/*":
                spec = 2
            elif rng == "*/*":
                spec = 1
            else:
                continue
            if match is None or spec > match[0]:
                match = (spec, q, pos)
        if match is None or match[1] <= 0.0:
            continue
        rank = (match[1], match[0], -match[2], -order)
        if best is None or rank > best[0]:
            best = (rank, key)
    if best is None:
        offered = ", ".join(m for m, _ in types)
        raise NotAcceptable(f"cannot answer a {form} query as {accept!r}; available: {offered}")
    key = best[1]
    return key, _MEDIA[key]


# ---------------------------------------------------------------------------------------------
# running one query (in a worker process, a thread, or the caller)


@dataclass(frozen=True)
class QueryRequest:
    """One query to run: text, output format key, dataset, cap (picklable for workers)."""

    query: str
    format: str
    form: str = "SELECT"
    has_dataset: bool = False
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_results: int = 10_000

    def dataset_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :meth:`kg.store.Store.query` for this request's dataset."""
        if self.default_graphs is not None or self.named_graphs is not None:
            return {
                "default_graphs": list(self.default_graphs or ()),
                "named_graphs": list(self.named_graphs or ()),
            }
        if self.has_dataset:
            return {"union_default_graph": False}
        return {"union_default_graph": True}


@dataclass
class Answer:
    """A serialised result: ``body`` in ``media_type``; ``count`` rows (or triples, or 1 for
    ASK) sent; ``truncated`` when more existed than ``limit``; ``seconds`` of execution."""

    body: bytes
    media_type: str
    form: str
    count: int
    truncated: bool = False
    limit: int | None = None
    seconds: float = 0.0
    mode: str = "inline"
    timings: dict[str, float] = field(default_factory=dict)


class _Cancelled(Exception):
    pass


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                out["its:dir"] = str(direction).rsplit(".", 1)[-1].lower()
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _results_body(doc: dict[str, Any], fmt: str) -> bytes:
    """SPARQL results in ``fmt`` from their JSON form (pyoxigraph writes XML, CSV and TSV)."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "json":
        return text
    target = {
        "xml": pyoxigraph.QueryResultsFormat.XML,
        "csv": pyoxigraph.QueryResultsFormat.CSV,
        "tsv": pyoxigraph.QueryResultsFormat.TSV,
    }[fmt]
    parsed = pyoxigraph.parse_query_results(text, pyoxigraph.QueryResultsFormat.JSON)
    return parsed.serialize(format=target) or b""


def execute(store: Store, request: QueryRequest, cancel: threading.Event | None = None) -> Answer:
    """Run ``request`` on ``store`` in this thread and serialise at most ``max_results``.

    ``cancel`` (set by a timed-out caller) stops reading results at the next row.
    """
    t0 = time.perf_counter()
    cap = max(0, request.max_results)
    res: Any = None
    try:
        res = store.query(request.query, **request.dataset_kwargs())
        truncated = False
        if isinstance(res, SelectResult):
            rows: list[dict[str, Any]] = []
            names = res.variables
            for row in res.tuples():
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
                if len(rows) >= cap:
                    truncated = True
                    break
                rows.append(
                    {n: _term_json(t) for n, t in zip(names, row, strict=False) if t is not None}
                )
            t1 = time.perf_counter()
            doc = {"head": {"vars": names}, "results": {"bindings": rows}}
            body = _results_body(doc, request.format)
            count = len(rows)
        elif isinstance(res, bool):
            t1 = time.perf_counter()
            body = _results_body({"head": {}, "boolean": res}, request.format)
            count = 1
        elif isinstance(res, GraphResult):
            triples = []
            for t in res:
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
                if len(triples) >= cap:
                    truncated = True
                    break
                triples.append(t)
            t1 = time.perf_counter()
            fmt = rdf_format(request.format)
            body = pyoxigraph.serialize(triples, format=fmt, prefixes=PREFIXES) or b""
            count = len(triples)
        else:  # pragma: no cover - Store.query returns one of the three
            raise SparqlError(f"unexpected result {type(res).__name__}", 500)
    except SyntaxError as err:
        raise QuerySyntaxError(f"SPARQL syntax error: {err}") from None
    except (OSError, RuntimeError, StoreError) as err:
        raise SparqlError(f"query failed: {err}", 500) from None
    finally:
        # drop the engine's iterator here, in this thread: pyoxigraph results may not be
        # freed by another thread (a traceback kept by the caller would otherwise hold it)
        res = None
    t2 = time.perf_counter()
    return Answer(
        body=body,
        media_type=_MEDIA[request.format],
        form=request.form,
        count=count,
        truncated=truncated,
        limit=cap if truncated else None,
        seconds=t2 - t0,
        timings={"evaluate": t1 - t0, "serialize": t2 - t1},
    )


# ---------------------------------------------------------------------------------------------
# worker processes


def _worker_main(conn: Any, location: str | None) -> None:
    """A worker: receive ``(generation path, QueryRequest)``, answer ``("ok", Answer)`` or
    ``("error", status, message)``; ``None`` or a closed pipe ends it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's business
    store: OxigraphStore | None = None
    path: str | None = None
    reg = None
    try:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                break
            if msg is None:
                break
            gen_path, request = msg
            try:
                if gen_path != path:
                    if location is not None:
                        from kg.storage import StoreLocation

                        gen = Path(gen_path).name
                        if reg is None:
                            reg = StoreLocation(location).register_server(
                                gens=[gen], role="sparql-worker"
                            )
                        else:
                            reg.update([gen])
                    new = OxigraphStore(gen_path, read_only=True)
                    if store is not None:
                        store.close()
                    store, path = new, gen_path
                answer = execute(store, request)
                answer.mode = "process"
                conn.send(("ok", answer))
            except SparqlError as err:
                conn.send(("error", err.status, err.message))
            except Exception as err:  # noqa: BLE001 - reported to the caller, worker lives on
                conn.send(("error", 500, f"{type(err).__name__}: {err}"))
    finally:
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()
        if reg is not None:
            reg.close()


_WORKER_CODE = "from kg.sparql_service import _worker_entry; _worker_entry()"
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


def _worker_entry() -> None:
    """``python -c _WORKER_CODE FD PARENT_PID LOCATION``: a worker over a socket."""
    from multiprocessing.connection import Connection

    fd, parent, location = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] or None

    def watchdog() -> None:
        # die with the server, even in the middle of a long query (pyoxigraph releases the
        # GIL). Not PR_SET_PDEATHSIG: it fires when the *thread* that started us ends.
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watchdog, name="kg-sparql-watchdog", daemon=True).start()
    _worker_main(Connection(fd), location)


class _Worker:
    """A worker process: a fresh interpreter (like the ``spawn`` start method, without
    re-importing the server's ``__main__``) talking pickles over a socket pair."""

    def __init__(self, location: str | None):
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p
        )
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE, str(theirs.fileno()), str(os.getpid()),
                 location or ""],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=env,
            )  # fmt: skip
        finally:
            theirs.close()
        from multiprocessing.connection import Connection

        self.conn = Connection(ours.detach())

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        try:
            self.proc.wait(2)
        except Exception:  # noqa: BLE001 - stuck: kill it
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


class _ProcessPool:
    """Up to ``size`` worker processes; a worker that overruns is killed and replaced."""

    def __init__(self, size: int, location: str | None):
        self.size = max(1, size)
        self.location = location
        self._idle: list[_Worker] = []
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False
        self.killed = 0

    def _acquire(self, deadline: float | None) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise ServiceBusy("the SPARQL service is shutting down")
                if self._idle:
                    return self._idle.pop()
                if self._count < self.size:
                    self._count += 1
                    break
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise ServiceBusy(f"all {self.size} SPARQL workers are busy; try again shortly")
                self._cond.wait(remaining)
        try:
            return _Worker(self.location)
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _release(self, w: _Worker) -> None:
        with self._cond:
            if self._closed:
                w.stop()
                self._count -= 1
                return
            self._idle.append(w)
            self._cond.notify()

    def _discard(self, w: _Worker, replace: bool = True) -> None:
        w.kill()
        with self._cond:
            self._count -= 1
            self._cond.notify()
        if replace:
            self.warm()

    def warm(self) -> None:
        """Start one worker in the background if there is room (after a kill, at start)."""
        with self._cond:
            if self._closed or self._count >= self.size or self._idle:
                return
            self._count += 1

        def start() -> None:
            try:
                w = _Worker(self.location)
            except Exception:  # noqa: BLE001 - the next query starts one itself
                with self._cond:
                    self._count -= 1
                    self._cond.notify()
                return
            self._release(w)

        threading.Thread(target=start, name="kg-sparql-warm", daemon=True).start()

    def run(self, gen_path: str, request: QueryRequest, timeout: float | None) -> Answer:
        start = time.monotonic()
        w = self._acquire(None if timeout is None else start + timeout)
        began = time.monotonic()  # the time limit counts from here (waiting for a slot aside)
        try:
            w.conn.send((gen_path, request))
            done = w.conn.poll(timeout)
            msg = w.conn.recv() if done else None
        except (EOFError, OSError) as err:
            self._discard(w)
            raise SparqlError(f"the query worker died ({err or type(err).__name__})", 500) from None
        except BaseException:
            self._discard(w)
            raise
        if msg is None:
            self.killed += 1
            self._discard(w)
            raise QueryTimeout(
                f"the query did not finish within {timeout:g} s and was stopped "
                "(time limit: KG_API_SPARQL_TIMEOUT); narrow it or add a LIMIT"
            )
        self._release(w)
        if msg[0] == "ok":
            answer: Answer = msg[1]
            answer.timings["roundtrip"] = time.monotonic() - began
            answer.timings["wait"] = began - start
            return answer
        raise SparqlError(msg[2], msg[1])

    @property
    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._idle if w.pid is not None]

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._cond.notify_all()
        for w in idle:
            w.stop()


# ---------------------------------------------------------------------------------------------
# threads (in-memory stores, remote endpoints)


class _ThreadRunner:
    def __init__(self, size: int):
        self.size = max(1, size)
        self._slots = threading.BoundedSemaphore(self.size)
        self.runaway = 0

    def run(self, store: Store, request: QueryRequest, timeout: float | None) -> Answer:
        start = time.monotonic()
        if not self._slots.acquire(timeout=timeout):
            raise ServiceBusy(
                f"all {self.size} SPARQL query slots are busy (earlier queries overran the "
                "time limit and are still running on the in-memory store); try again shortly"
            )
        began = time.monotonic()
        box: dict[str, Any] = {}
        cancel = threading.Event()

        def target() -> None:
            try:
                box["answer"] = execute(store, request, cancel)
            except BaseException as err:  # noqa: BLE001 - handed to the caller
                box["error"] = err
            finally:
                self._slots.release()

        th = threading.Thread(target=target, name="kg-sparql-query", daemon=True)
        th.start()
        th.join(timeout)
        if th.is_alive():
            cancel.set()
            self.runaway += 1
            raise QueryTimeout(
                f"the query did not finish within {timeout:g} s (time limit: "
                "KG_API_SPARQL_TIMEOUT); on this in-memory store it cannot be stopped and "
                "finishes in the background"
            )
        if "error" in box:
            err = box["error"]
            if isinstance(err, _Cancelled):  # pragma: no cover - only after a timeout
                raise QueryTimeout("the query was cancelled")
            raise err
        answer: Answer = box["answer"]
        answer.mode = "thread"
        answer.timings["roundtrip"] = time.monotonic() - began
        answer.timings["wait"] = began - start
        return answer


# ---------------------------------------------------------------------------------------------
# the service


def _disk_target(store: Store) -> tuple[str | None, str] | None:
    """``(store location, generation path)`` a worker can open read-only, or None."""
    from kg.storage import ServingStore

    if isinstance(store, ServingStore):
        store.refresh()
        return str(store.location.path), str(store.location.gen_path(store.generation))
    if isinstance(store, OxigraphStore) and store.path is not None and store.read_only:
        return None, str(store.path)
    return None


class SparqlService:
    """Runs protocol queries over ``store`` with a time limit and a result cap.

    ``mode``: ``"auto"`` (worker processes for an on-disk store opened read-only — a
    :class:`kg.storage.ServingStore` or a read-only :class:`OxigraphStore` —, threads
    otherwise), ``"process"`` or ``"thread"``. ``timeout`` ≤ 0 or None: no limit.
    """

    def __init__(
        self,
        store: Store,
        *,
        timeout: float | None = 10.0,
        max_results: int = 10_000,
        workers: int = 2,
        mode: str = "auto",
    ):
        self.store = store
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_results = max_results
        target = _disk_target(store) if mode in ("auto", "process") else None
        if mode == "process" and target is None:
            raise ValueError(f"{store!r} cannot be opened by a worker process")
        self._pool: _ProcessPool | None = None
        if target is not None:
            self._pool = _ProcessPool(workers, target[0])
            self._pool.warm()
        self._threads = _ThreadRunner(workers)

    @property
    def mode(self) -> str:
        return "process" if self._pool is not None else "thread"

    @property
    def worker_pids(self) -> list[int]:
        """Pids of idle worker processes (for tests and diagnostics)."""
        return self._pool.pids if self._pool is not None else []

    def prepare(
        self,
        query: str,
        *,
        accept: str | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> QueryRequest:
        """Check and negotiate a request without running it (raises :class:`SparqlError`)."""
        info = inspect_query(query)
        fmt, _media = negotiate(accept, info.form)
        dg = _graph_list(default_graphs, "default-graph-uri")
        ng = _graph_list(named_graphs, "named-graph-uri")
        if dg is not None or ng is not None:
            dg, ng = dg or (), ng or ()
        return QueryRequest(
            query=query,
            format=fmt,
            form=info.form,
            has_dataset=info.has_dataset,
            default_graphs=dg,
            named_graphs=ng,
            max_results=self.max_results,
        )

    def run(
        self,
        query: str,
        *,
        accept: str | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> Answer:
        """Check, negotiate, run with the time limit and serialise (raises :class:`SparqlError`)."""
        request = self.prepare(
            query, accept=accept, default_graphs=default_graphs, named_graphs=named_graphs
        )
        if self._pool is not None:
            target = _disk_target(self.store)
            if target is not None:
                return self._pool.run(target[1], request, self.timeout)
        return self._threads.run(self.store, request, self.timeout)

    def close(self) -> None:
        """Stop the worker processes (threads still running finish on their own)."""
        if self._pool is not None:
            self._pool.close()


def _graph_list(graphs: Iterable[str] | None, name: str) -> tuple[str, ...] | None:
    if graphs is None:
        return None
    out = []
    for g in graphs:
        try:
            out.append(NamedNode(g.strip()).value)
        except ValueError as err:
            raise SparqlError(f"{name}: not an absolute IRI: {g!r} ({err})") from None
    return tuple(out) if out else None


# ---------------------------------------------------------------------------------------------
# example queries (one .rq file each: the /sparql page and the README show the same text)


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    query: str
    file: str


def load_examples(folder: str | Path) -> list[Example]:
    """The ``*.rq`` files of ``folder`` in name order; ``NN-name.rq`` has id ``name`` and the
    first comment line is the title."""
    out = []
    for p in sorted(Path(folder).glob("*.rq")):
        text = p.read_text(encoding="utf-8")
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
        title = first.lstrip("#").strip() if first.lstrip().startswith("#") else p.stem
        ident = re.sub(r"^\d+[-_]", "", p.stem)
        out.append(Example(id=ident, title=title, query=text, file=p.name))
    return out
