"""The store behind a SPARQL-shaped interface.

Callers talk to :class:`Store` (query, update, replace/drop a named graph, bulk load, dump);
:class:`OxigraphStore` is the embedded implementation (pyoxigraph, on disk or in memory) and
:class:`SparqlEndpointStore` a minimal SPARQL 1.1 protocol client for a remote endpoint (Oxigraph
server, Fuseki, ...). Terms are pyoxigraph terms (``NamedNode``, ``Literal``, ``BlankNode``)
everywhere; plain Python values are accepted where a term is expected (see :func:`to_term`).

Query results: ``SELECT`` -> :class:`SelectResult` (``.variables`` and an iterator of
``dict`` rows, ``None`` for unbound), ``ASK`` -> ``bool``, ``CONSTRUCT``/``DESCRIBE`` ->
:class:`GraphResult` (an iterator of ``Triple``). Queries see the union of all graphs as the
default graph unless told otherwise; the union is a bag: a triple stated in two report graphs
appears twice, so count with ``DISTINCT``.

>>> from kg.vocab import FZ, nn
>>> store = OxigraphStore()
>>> g = "https://w3id.org/fazhi-kg/graph/report/x"
>>> store.replace_graph(g, [pyoxigraph.Triple(nn("https://e/a"), nn(FZ.year), to_term(2024))])
>>> rows = store.select("SELECT ?s WHERE { ?s ?p ?y }", substitutions={"y": 2024})
>>> [r["s"].value for r in rows]
['https://e/a']
>>> term_to_sparql('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'

Parameters are bound, never formatted into query text: pyoxigraph ``substitutions`` where the
engine allows it; otherwise (a variable outside the SELECT projection, a remote endpoint)
:func:`bind_values` injects a ``VALUES`` block written by :func:`term_to_sparql`, the one vetted
term serialiser (Oxigraph's own N-Triples term writer, which SPARQL accepts).
"""

from __future__ import annotations

import datetime as _dt
import gc
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from kg.vocab import PREFIXES, XSD, nn

__all__ = [
    "GraphResult",
    "OxigraphStore",
    "QueryResult",
    "ReadOnlyStoreError",
    "SelectResult",
    "SparqlEndpointStore",
    "Store",
    "StoreBusyError",
    "StoreError",
    "Term",
    "bind_values",
    "python_value",
    "rdf_format",
    "results_format",
    "term_to_sparql",
    "to_term",
]

Term = NamedNode | BlankNode | Literal | Triple
GraphRef = str | NamedNode


class StoreError(Exception):
    """A store cannot do what was asked (base of the store's own errors)."""


class ReadOnlyStoreError(StoreError, PermissionError):
    """A write on a store opened read-only."""


class StoreBusyError(StoreError):
    """Another process holds what this operation needs (a build, an in-place writer)."""


# ---------------------------------------------------------------------------------------------
# terms


def to_term(value: Any) -> Term:
    """A pyoxigraph term for ``value``.

    pyoxigraph terms pass through; rdflib terms are converted; ``bool``, ``int``, ``float``,
    ``Decimal``, ``datetime``, ``date`` become typed literals and ``str`` a plain string literal
    (wrap an IRI in ``NamedNode``). Blank nodes cannot be referenced across requests, so an
    rdflib ``BNode`` is refused.
    """
    if isinstance(value, (NamedNode, Literal, BlankNode, Triple)):
        return value
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=nn(XSD.boolean))
    if isinstance(value, int):
        return Literal(str(value), datatype=nn(XSD.integer))
    if isinstance(value, float):
        if value != value:
            lex = "NaN"
        elif value in (float("inf"), float("-inf")):
            lex = "INF" if value > 0 else "-INF"
        else:
            lex = repr(value)
        return Literal(lex, datatype=nn(XSD.double))
    if isinstance(value, Decimal):
        return Literal(format(value, "f"), datatype=nn(XSD.decimal))
    if isinstance(value, _dt.datetime):
        return Literal(value.isoformat(), datatype=nn(XSD.dateTime))
    if isinstance(value, _dt.date):
        return Literal(value.isoformat(), datatype=nn(XSD.date))
    if type(value).__module__.startswith("rdflib"):  # before str: rdflib terms are str
        from rdflib import BNode, URIRef
        from rdflib import Literal as RLiteral

        if isinstance(value, URIRef):
            return NamedNode(str(value))
        if isinstance(value, RLiteral):
            if value.language:
                return Literal(str(value), language=value.language)
            if value.datatype:
                return Literal(str(value), datatype=NamedNode(str(value.datatype)))
            return Literal(str(value))
        if isinstance(value, BNode):
            raise ValueError("blank nodes cannot be bound into a query")
    if isinstance(value, str):
        return Literal(value)
    raise TypeError(f"cannot make an RDF term of {type(value).__name__}: {value!r}")


def term_to_sparql(value: Any) -> str:
    """The SPARQL text of one term: ``<iri>``, ``"lexical"^^<dt>``, ``"text"@lang``.

    The one vetted serialiser for writing a term into query text. IRIs are validated by
    ``NamedNode`` (no spaces, ``<>"{}|^`\\``), literals escaped by Oxigraph's N-Triples writer
    (``\\"``, ``\\\\``, ``\\n``, ``\\r``, ``\\t`` and ``\\uXXXX`` for other controls), which is a
    subset of SPARQL's string syntax. Blank nodes are refused (they would be variables).
    """
    term = to_term(value)
    if isinstance(term, BlankNode):
        raise ValueError("blank nodes cannot be written into a query")
    if isinstance(term, Triple):
        raise ValueError("quoted triples are not supported in query parameters")
    return str(term)


def python_value(term: Term | None) -> Any:
    """A plain Python value for a result term: IRIs as ``str``, typed literals converted."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, Literal):
        dt = term.datatype.value
        v = term.value
        try:
            if dt == XSD.integer or dt.endswith(("#int", "#long", "#nonNegativeInteger")):
                return int(v)
            if dt == XSD.decimal:
                d = Decimal(v)
                return int(d) if d == d.to_integral_value() and "." not in v else float(d)
            if dt in (XSD.double, XSD.NS + "float"):
                return float(v)
            if dt == XSD.boolean:
                return v in ("true", "1")
        except (ValueError, ArithmeticError):
            return v
        return v
    return str(term)


# ---------------------------------------------------------------------------------------------
# VALUES injection (for variables the engine cannot substitute, and for remote endpoints)

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z0-9_.-]*)?)
    | (?P<brace>[{}])
    """,
    re.VERBOSE | re.DOTALL,
)


def _where_brace(sparql: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (outside strings/IRIs/comments)."""
    depth = 0
    first_top = -1
    after_where = False
    form = None
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind == "word":
            w = m.group().upper()
            if depth == 0 and form is None and w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = w
            if depth == 0 and w == "WHERE":
                after_where = True
        elif kind == "brace":
            if m.group() == "{":
                if depth == 0:
                    if after_where:
                        return m.start()
                    if first_top < 0:
                        first_top = m.start()
                        if form in ("SELECT", "ASK", "DESCRIBE"):
                            return m.start()
                depth += 1
            else:
                depth -= 1
    if first_top >= 0 and form != "CONSTRUCT":
        return first_top
    raise ValueError("cannot find the WHERE clause of the query")


def bind_values(sparql: str, bindings: dict[str, Any]) -> str:
    """``sparql`` with ``VALUES (?a ?b) { (t1 t2) }`` opening its WHERE group.

    Joined with the rest of the group, before grouping and projection, so it restricts the
    query like a substitution (unlike a trailing VALUES clause, which comes after aggregation).
    """
    if not bindings:
        return sparql
    names = []
    terms = []
    for k, v in bindings.items():
        name = k.lstrip("?$")
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise ValueError(f"invalid variable name {k!r}")
        names.append("?" + name)
        terms.append(term_to_sparql(v))
    at = _where_brace(sparql) + 1
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    return sparql[:at] + block + sparql[at:]


# ---------------------------------------------------------------------------------------------
# results


class SelectResult:
    """Solutions of a SELECT query: ``variables`` and an iterator of ``{var: term | None}``.

    Iterates once (results stream from the engine); ``list(result)`` materialises it.
    """

    __slots__ = ("_rows", "variables")

    def __init__(self, variables: list[str], rows: Iterable[tuple[Term | None, ...]]):
        self.variables = variables
        self._rows = iter(rows)

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        names = self.variables
        for row in self._rows:
            yield dict(zip(names, row, strict=False))

    def tuples(self) -> Iterator[tuple[Term | None, ...]]:
        """Rows as tuples in ``variables`` order (the fast path)."""
        return (tuple(r) for r in self._rows)

    def values(self) -> Iterator[dict[str, Any]]:
        """Rows with plain Python values (see :func:`python_value`)."""
        names = self.variables
        for row in self._rows:
            yield {n: python_value(t) for n, t in zip(names, row, strict=False)}


class GraphResult:
    """Triples of a CONSTRUCT or DESCRIBE query (iterates once)."""

    __slots__ = ("_triples",)

    def __init__(self, triples: Iterable[Triple]):
        self._triples = iter(triples)

    def __iter__(self) -> Iterator[Triple]:
        return self._triples

    def serialize(self, format: str = "ttl") -> bytes:
        out = pyoxigraph.serialize(self._triples, format=rdf_format(format), prefixes=PREFIXES)
        return out if out is not None else b""


QueryResult = SelectResult | bool | GraphResult


_RDF_FORMATS = {
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nq": pyoxigraph.RdfFormat.N_QUADS,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "json-ld": pyoxigraph.RdfFormat.JSON_LD,
    "rdf": pyoxigraph.RdfFormat.RDF_XML,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
    "n3": pyoxigraph.RdfFormat.N3,
}
_RESULT_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}


def rdf_format(name: str | Path) -> pyoxigraph.RdfFormat:
    """An RDF format from a short name (ttl, nq, trig, jsonld, nt, xml), a media type or a path."""
    key = str(name).strip().lower()
    if key in _RDF_FORMATS:
        return _RDF_FORMATS[key]
    if "/" in key:
        fmt = pyoxigraph.RdfFormat.from_media_type(key.split(";")[0].strip())
        if fmt is not None:
            return fmt
    ext = Path(key).suffix.lstrip(".") or key
    if ext in _RDF_FORMATS:
        return _RDF_FORMATS[ext]
    fmt = pyoxigraph.RdfFormat.from_extension(ext)
    if fmt is None:
        raise ValueError(f"unknown RDF format {name!r} (ttl, nt, nq, trig, jsonld, xml)")
    return fmt


def results_format(name: str) -> pyoxigraph.QueryResultsFormat:
    """A SPARQL results format from a short name (json, xml, csv, tsv) or a media type."""
    key = name.strip().lower()
    if key in _RESULT_FORMATS:
        return _RESULT_FORMATS[key]
    fmt = pyoxigraph.QueryResultsFormat.from_media_type(key.split(";")[0].strip())
    if fmt is None:
        raise ValueError(f"unknown SPARQL results format {name!r} (json, xml, csv, tsv)")
    return fmt


def _graph_node(graph: GraphRef) -> NamedNode:
    return graph if isinstance(graph, NamedNode) else nn(str(graph))


def _insert_data_text(graph: NamedNode, quads: Iterable[Quad | Triple]) -> str:
    """``INSERT DATA { GRAPH g { … } }`` for the subject/predicate/object of ``quads``."""
    parts = [f"INSERT DATA {{ GRAPH {graph} {{\n"]
    append = parts.append
    for q in quads:
        append(f"{q.subject} {q.predicate} {q.object} .\n")
    parts.append("} }")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# the interface


class Store(ABC):
    """A quad store with a SPARQL-shaped interface (see module docstring).

    Graph arguments are IRIs as ``str`` (or ``NamedNode``). Writes raise
    :class:`ReadOnlyStoreError` on a read-only store.
    """

    read_only: bool = False

    # -- reading
    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Any] | None = None,
        union_default_graph: bool = True,
        default_graphs: Iterable[GraphRef] | None = None,
        named_graphs: Iterable[GraphRef] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query: SELECT -> SelectResult, ASK -> bool, CONSTRUCT -> GraphResult.

        ``substitutions`` binds variables (name without ``?``) to terms or Python values.
        ``default_graphs`` replaces the union default graph by those graphs;
        ``named_graphs`` restricts what ``GRAPH ?g`` ranges over.
        """

    @abstractmethod
    def query_serialized(
        self,
        sparql: str,
        format: str = "json",
        *,
        substitutions: dict[str, Any] | None = None,
        union_default_graph: bool = True,
        default_graphs: Iterable[GraphRef] | None = None,
        named_graphs: Iterable[GraphRef] | None = None,
    ) -> tuple[bytes, str]:
        """Run a query and serialise its results: ``(body, media type)``.

        SELECT/ASK take json, xml, csv, tsv; CONSTRUCT/DESCRIBE take an RDF format (ttl, nt,
        jsonld, xml; json means JSON-LD). For a read-only ``/sparql`` endpoint.
        """

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """The IRIs of all named graphs."""

    @abstractmethod
    def graph_exists(self, graph: GraphRef) -> bool: ...

    @abstractmethod
    def count(self, graph: GraphRef | None = None) -> int:
        """Number of quads in ``graph``, or in the whole store."""

    @abstractmethod
    def quads(
        self,
        subject: Any = None,
        predicate: Any = None,
        object: Any = None,
        graph: GraphRef | None = None,
    ) -> Iterator[Quad]:
        """Quads matching a pattern (None = any) in named graphs (or one graph)."""

    @abstractmethod
    def dump(
        self,
        target: str | os.PathLike[str] | IO[bytes] | None,
        format: str = "nq",
        *,
        graph: GraphRef | None = None,
    ) -> bytes | None:
        """Export the store (or one graph) as ttl, nt, nq, trig, jsonld or xml.

        A triple format without ``graph`` writes the union of all graphs. ``target`` None
        returns the bytes.
        """

    # -- writing
    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update (transactional)."""

    @abstractmethod
    def replace_graph(self, graph: GraphRef, quads: Iterable[Quad | Triple]) -> None:
        """Atomically replace the content of ``graph`` by ``quads`` (their graph is ignored).

        All or nothing: if ``quads`` raises while being read, or the write fails, the old
        graph is intact. An empty ``quads`` drops the graph.
        """

    @abstractmethod
    def drop_graph(self, graph: GraphRef) -> None:
        """Remove a named graph and its quads (no error if absent)."""

    @abstractmethod
    def bulk_load(
        self,
        source: Iterable[Quad | Triple] | str | os.PathLike[str] | bytes,
        *,
        format: str | None = None,
        graph: GraphRef | None = None,
    ) -> None:
        """Fast, NON-transactional load of reference data: quads/triples, a file or bytes.

        Triples (and triple formats) go to ``graph``; with ``graph`` set, quads are moved
        into it. A failure may leave part of the data loaded: drop the graph and retry.
        """

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Make writes durable."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store."""

    # -- typed conveniences
    def select(self, sparql: str, **kwargs: Any) -> SelectResult:
        res = self.query(sparql, **kwargs)
        if not isinstance(res, SelectResult):
            raise TypeError("not a SELECT query")
        return res

    def ask(self, sparql: str, **kwargs: Any) -> bool:
        res = self.query(sparql, **kwargs)
        if not isinstance(res, bool):
            raise TypeError("not an ASK query")
        return res

    def construct(self, sparql: str, **kwargs: Any) -> GraphResult:
        res = self.query(sparql, **kwargs)
        if not isinstance(res, GraphResult):
            raise TypeError("not a CONSTRUCT or DESCRIBE query")
        return res

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------------------------
# embedded Oxigraph


class OxigraphStore(Store):
    """The embedded store: pyoxigraph on disk (``path``) or in memory (``path=None``).

    ``read_only=True`` opens an existing directory read-only (pyoxigraph ``Store.read_only``);
    never do that while another process writes it (see :mod:`kg.storage`).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._on_close: list[Callable[[], None]] = []
        if path is None:
            if read_only:
                raise ValueError("an in-memory store cannot be read-only")
            self._store: pyoxigraph.Store | None = pyoxigraph.Store()
        elif read_only:
            if not Path(path).is_dir():
                raise FileNotFoundError(f"no store at {path}")
            self._store = pyoxigraph.Store.read_only(str(path))
        else:
            self._store = pyoxigraph.Store(str(path))

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"<OxigraphStore {where}{' read-only' if self.read_only else ''}>"

    @property
    def raw(self) -> pyoxigraph.Store:
        """The underlying ``pyoxigraph.Store`` (for what the interface does not cover)."""
        if self._store is None:
            raise StoreError("store is closed")
        return self._store

    def _writable(self) -> pyoxigraph.Store:
        if self.read_only:
            raise ReadOnlyStoreError(f"{self!r} is read-only")
        return self.raw

    # -- reading
    def _run(
        self,
        sparql: str,
        substitutions: dict[str, Any] | None,
        union_default_graph: bool,
        default_graphs: Iterable[GraphRef] | None,
        named_graphs: Iterable[GraphRef] | None,
    ) -> Any:
        kwargs: dict[str, Any] = {"prefixes": PREFIXES}
        if default_graphs is not None:
            kwargs["default_graph"] = [_graph_node(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = union_default_graph
        if named_graphs is not None:
            kwargs["named_graphs"] = [_graph_node(g) for g in named_graphs]
        if substitutions:
            subs = {
                pyoxigraph.Variable(k.lstrip("?$")): to_term(v) for k, v in substitutions.items()
            }
            try:
                return self.raw.query(sparql, substitutions=subs, **kwargs)
            except RuntimeError as err:  # a variable outside the SELECT projection
                if "projection" not in str(err):
                    raise
                sparql = bind_values(sparql, substitutions)
        return self.raw.query(sparql, **kwargs)

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Any] | None = None,
        union_default_graph: bool = True,
        default_graphs: Iterable[GraphRef] | None = None,
        named_graphs: Iterable[GraphRef] | None = None,
    ) -> QueryResult:
        res = self._run(sparql, substitutions, union_default_graph, default_graphs, named_graphs)
        if isinstance(res, pyoxigraph.QuerySolutions):
            return SelectResult([v.value for v in res.variables], res)
        if isinstance(res, pyoxigraph.QueryBoolean):
            return bool(res)
        return GraphResult(res)

    def query_serialized(
        self,
        sparql: str,
        format: str = "json",
        *,
        substitutions: dict[str, Any] | None = None,
        union_default_graph: bool = True,
        default_graphs: Iterable[GraphRef] | None = None,
        named_graphs: Iterable[GraphRef] | None = None,
    ) -> tuple[bytes, str]:
        res = self._run(sparql, substitutions, union_default_graph, default_graphs, named_graphs)
        if isinstance(res, pyoxigraph.QueryTriples):
            fmt = rdf_format("jsonld" if format.strip().lower() == "json" else format)
            body = res.serialize(format=fmt)
        else:
            fmt = results_format(format)
            body = res.serialize(format=fmt)
        return (body or b""), fmt.media_type

    def named_graphs(self) -> list[str]:
        return [g.value for g in self.raw.named_graphs() if isinstance(g, NamedNode)]

    def graph_exists(self, graph: GraphRef) -> bool:
        return self.raw.contains_named_graph(_graph_node(graph))

    def count(self, graph: GraphRef | None = None) -> int:
        if graph is None:
            return len(self.raw)
        res = self.raw.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
            + term_to_sparql(_graph_node(graph))
            + " { ?s ?p ?o } }"
        )
        for sol in res:
            return int(sol["n"].value)
        return 0

    def quads(
        self,
        subject: Any = None,
        predicate: Any = None,
        object: Any = None,
        graph: GraphRef | None = None,
    ) -> Iterator[Quad]:
        s = to_term(subject) if subject is not None else None
        p = to_term(predicate) if predicate is not None else None
        o = to_term(object) if object is not None else None
        g = _graph_node(graph) if graph is not None else None
        for q in self.raw.quads_for_pattern(s, p, o, g):
            if isinstance(q.graph_name, pyoxigraph.DefaultGraph) and g is None:
                continue
            yield q

    def dump(
        self,
        target: str | os.PathLike[str] | IO[bytes] | None,
        format: str = "nq",
        *,
        graph: GraphRef | None = None,
    ) -> bytes | None:
        fmt = rdf_format(format)
        out = str(target) if isinstance(target, (str, os.PathLike)) else target
        if graph is not None:
            g = _graph_node(graph)
            if fmt.supports_datasets:
                data: Iterable[Any] = self.raw.quads_for_pattern(None, None, None, g)
                return pyoxigraph.serialize(data, out, fmt, prefixes=PREFIXES)
            return self.raw.dump(out, fmt, from_graph=g, prefixes=PREFIXES)
        if fmt.supports_datasets:
            return self.raw.dump(out, fmt, prefixes=PREFIXES)
        triples = (q.triple for q in self.raw)
        return pyoxigraph.serialize(triples, out, fmt, prefixes=PREFIXES)

    # -- writing
    def update(self, sparql: str) -> None:
        self._writable().update(sparql, prefixes=PREFIXES)

    def replace_graph(self, graph: GraphRef, quads: Iterable[Quad | Triple]) -> None:
        store = self._writable()
        g = _graph_node(graph)
        # build the whole text first: an error while reading ``quads`` leaves the store alone;
        # one update is one transaction (pyoxigraph: all or nothing)
        text = _insert_data_text(g, quads)
        store.update(f"DROP SILENT GRAPH {g} ;\n{text}")

    def drop_graph(self, graph: GraphRef) -> None:
        self._writable().update(f"DROP SILENT GRAPH {_graph_node(graph)}")

    def bulk_load(
        self,
        source: Iterable[Quad | Triple] | str | os.PathLike[str] | bytes,
        *,
        format: str | None = None,
        graph: GraphRef | None = None,
    ) -> None:
        store = self._writable()
        g = _graph_node(graph) if graph is not None else None
        if isinstance(source, (str, os.PathLike)):
            fmt = rdf_format(format or source)
            store.bulk_load(path=str(source), format=fmt, to_graph=g)
            return
        if isinstance(source, (bytes, bytearray)):
            if format is None:
                raise ValueError("bulk_load of bytes needs a format")
            store.bulk_load(input=bytes(source), format=rdf_format(format), to_graph=g)
            return

        def quads() -> Iterator[Quad]:
            for q in source:
                if isinstance(q, Triple):
                    if g is None:
                        raise ValueError("bulk_load of triples needs a graph")
                    yield Quad(q.subject, q.predicate, q.object, g)
                elif g is not None and q.graph_name != g:
                    yield Quad(q.subject, q.predicate, q.object, g)
                else:
                    yield q

        store.bulk_extend(quads())

    def flush(self) -> None:
        if self._store is not None and not self.read_only and self.path is not None:
            self._store.flush()

    def optimize(self) -> None:
        if self._store is not None and not self.read_only:
            self._store.optimize()

    def backup(self, target: str | os.PathLike[str]) -> None:
        """A consistent copy in ``target`` (hard links on the same file system; on-disk only)."""
        self.raw.backup(str(target))

    def add_close_hook(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` after the store is closed (used by :mod:`kg.storage`)."""
        self._on_close.append(hook)

    def close(self) -> None:
        if self._store is None:
            return
        self.flush()
        self._store = None
        gc.collect()  # drop pyoxigraph iterators that keep the database open
        hooks, self._on_close = self._on_close, []
        for hook in hooks:
            hook()

    @property
    def closed(self) -> bool:
        return self._store is None


# ---------------------------------------------------------------------------------------------
# remote SPARQL 1.1 endpoint


class SparqlEndpointStore(Store):
    """A minimal SPARQL 1.1 protocol client (query, update, Graph Store-free writes).

    ``query_url`` answers queries; ``update_url`` (default: the same URL) takes updates; omit
    writes with ``read_only=True``. Substitutions are written with :func:`bind_values`.
    Named-graph listing and counts use SPARQL; ``replace_graph`` sends one
    ``DROP SILENT GRAPH …; INSERT DATA …`` request (atomic where the endpoint applies an update
    request in one transaction, as Oxigraph and Fuseki do).
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        read_only: bool = False,
        timeout: float = 60.0,
        headers: dict[str, str] | None = None,
    ):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.read_only = read_only
        self.timeout = timeout
        self.headers = dict(headers or {})

    def __repr__(self) -> str:
        return f"<SparqlEndpointStore {self.query_url}{' read-only' if self.read_only else ''}>"

    def _post(
        self, url: str, body: bytes, content_type: str, accept: str | None
    ) -> tuple[bytes, str]:
        headers = {"Content-Type": content_type, **self.headers}
        if accept:
            headers["Accept"] = accept
        req = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:500]
            raise StoreError(f"{url}: HTTP {err.code}: {detail}") from err
        except urllib.error.URLError as err:
            raise StoreError(f"{url}: {err.reason}") from err

    def _query_url(
        self, default_graphs: Iterable[GraphRef] | None, named_graphs: Iterable[GraphRef] | None
    ) -> str:
        params = [("default-graph-uri", _graph_node(g).value) for g in default_graphs or ()]
        params += [("named-graph-uri", _graph_node(g).value) for g in named_graphs or ()]
        if not params:
            return self.query_url
        sep = "&" if "?" in self.query_url else "?"
        return self.query_url + sep + urllib.parse.urlencode(params)

    def _prepare(self, sparql: str, substitutions: dict[str, Any] | None) -> bytes:
        text = bind_values(sparql, substitutions) if substitutions else sparql
        return (_prefix_block(text) + text).encode("utf-8")

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Any] | None = None,
        union_default_graph: bool = True,
        default_graphs: Iterable[GraphRef] | None = None,
        named_graphs: Iterable[GraphRef] | None = None,
    ) -> QueryResult:
        # an endpoint's default graph is its own business (Oxigraph server: --union-default-graph)
        url = self._query_url(default_graphs, named_graphs)
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        body, ctype = self._post(
            url, self._prepare(sparql, substitutions), "application/sparql-query", accept
        )
        ctype = ctype.split(";")[0].strip().lower()
        if ctype in ("application/sparql-results+json", "application/json"):
            doc = json.loads(body)
            if "boolean" in doc:
                return bool(doc["boolean"])
            res = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.JSON)
            return SelectResult([v.value for v in res.variables], res)
        fmt = pyoxigraph.RdfFormat.from_media_type(ctype) or pyoxigraph.RdfFormat.N_TRIPLES
        return GraphResult(q.triple for q in pyoxigraph.parse(body, fmt))

    def query_serialized(
        self,
        sparql: str,
        format: str = "json",
        *,
        substitutions: dict[str, Any] | None = None,
        union_default_graph: bool = True,
        default_graphs: Iterable[GraphRef] | None = None,
        named_graphs: Iterable[GraphRef] | None = None,
    ) -> tuple[bytes, str]:
        key = format.strip().lower()
        if key in _RESULT_FORMATS:
            accept = _RESULT_FORMATS[key].media_type
            if key == "json":
                accept += ", application/ld+json;q=0.9"
        else:
            accept = rdf_format(format).media_type
        url = self._query_url(default_graphs, named_graphs)
        body, ctype = self._post(
            url, self._prepare(sparql, substitutions), "application/sparql-query", accept
        )
        return body, ctype.split(";")[0].strip() or accept

    def named_graphs(self) -> list[str]:
        res = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return [r["g"].value for r in res if isinstance(r["g"], NamedNode)]

    def graph_exists(self, graph: GraphRef) -> bool:
        return self.ask("ASK { GRAPH " + term_to_sparql(_graph_node(graph)) + " { } }")

    def count(self, graph: GraphRef | None = None) -> int:
        if graph is None:
            q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            q = (
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
                + term_to_sparql(_graph_node(graph))
                + " { ?s ?p ?o } }"
            )
        for r in self.select(q):
            return int(r["n"].value) if r["n"] is not None else 0
        return 0

    def quads(
        self,
        subject: Any = None,
        predicate: Any = None,
        object: Any = None,
        graph: GraphRef | None = None,
    ) -> Iterator[Quad]:
        subs = {
            k: v
            for k, v in (
                ("s", subject),
                ("p", predicate),
                ("o", object),
                ("g", _graph_node(graph) if graph is not None else None),
            )
            if v is not None
        }
        res = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions=subs)
        for s, p, o, g in res.tuples():
            yield Quad(s, p, o, g)

    def dump(
        self,
        target: str | os.PathLike[str] | IO[bytes] | None,
        format: str = "nq",
        *,
        graph: GraphRef | None = None,
    ) -> bytes | None:
        fmt = rdf_format(format)
        data: Iterable[Any] = self.quads(graph=graph)
        if not fmt.supports_datasets:
            data = (q.triple for q in data)
        out = str(target) if isinstance(target, (str, os.PathLike)) else target
        return pyoxigraph.serialize(data, out, fmt, prefixes=PREFIXES)

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(f"{self!r} is read-only")

    def update(self, sparql: str) -> None:
        self._writable()
        self._post(
            self.update_url,
            (_prefix_block(sparql) + sparql).encode("utf-8"),
            "application/sparql-update",
            None,
        )

    def replace_graph(self, graph: GraphRef, quads: Iterable[Quad | Triple]) -> None:
        self._writable()
        g = _graph_node(graph)
        text = _insert_data_text(g, quads)
        self.update(f"DROP SILENT GRAPH {g} ;\n{text}")

    def drop_graph(self, graph: GraphRef) -> None:
        self.update(f"DROP SILENT GRAPH {_graph_node(graph)}")

    def bulk_load(
        self,
        source: Iterable[Quad | Triple] | str | os.PathLike[str] | bytes,
        *,
        format: str | None = None,
        graph: GraphRef | None = None,
        batch: int = 20000,
    ) -> None:
        self._writable()
        items: Iterable[Any]
        if isinstance(source, (bytes, bytearray)):
            if format is None:
                raise ValueError("bulk_load of bytes needs a format")
            items = pyoxigraph.parse(bytes(source), rdf_format(format))
        elif isinstance(source, (str, os.PathLike)):
            items = pyoxigraph.parse(path=str(source), format=rdf_format(format or source))
        else:
            items = source
        default = _graph_node(graph) if graph is not None else None
        pending: dict[str, list[str]] = {}
        n = 0
        for q in items:
            if default is not None:
                g = default
            elif isinstance(q, Quad) and isinstance(q.graph_name, NamedNode):
                g = q.graph_name
            else:
                raise ValueError("bulk_load of triples needs a graph")
            pending.setdefault(str(g), []).append(f"{q.subject} {q.predicate} {q.object} .")
            n += 1
            if n >= batch:
                self._flush_batch(pending)
                pending, n = {}, 0
        self._flush_batch(pending)

    def _flush_batch(self, pending: dict[str, list[str]]) -> None:
        if not pending:
            return
        body = " ".join(f"GRAPH {g} {{\n" + "\n".join(ts) + "\n}" for g, ts in pending.items())
        self.update(f"INSERT DATA {{ {body} }}")


def _prefix_block(sparql: str) -> str:
    """PREFIX declarations for the project prefixes the text uses but does not declare."""
    out = []
    for p, ns in PREFIXES.items():
        if f"{p}:" in sparql and not re.search(rf"(?i)PREFIX\s+{p}\s*:", sparql):
            out.append(f"PREFIX {p}: <{ns}>\n")
    return "".join(out)
