"""kg.vocab against ontology/fazhi.ttl and ontology/shapes.ttl, both ways."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import OWL as ROWL
from rdflib.namespace import RDF as RRDF
from rdflib.namespace import RDFS as RRDFS

from kg import model, vocab
from kg.vocab import FZ, FZ_NS, ONTOLOGY_TTL, SHAPES_TTL, nn, uri

EXTERNAL = (vocab.RDF, vocab.RDFS, vocab.OWL, vocab.XSD, vocab.SKOS, vocab.PROV, vocab.DCTERMS)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_TTL, format="turtle")


def _fz_iris(graph: rdflib.Graph) -> set[str]:
    out = set()
    for triple in graph:
        for t in triple:
            if isinstance(t, rdflib.URIRef) and str(t).startswith(FZ_NS):
                out.add(str(t))
    return out


def _declared(graph: rdflib.Graph) -> set[str]:
    return {
        str(s)
        for s in graph.subjects(RRDF.type, None)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(FZ_NS)
    }


def test_every_exposed_term_is_declared(onto: rdflib.Graph) -> None:
    declared = _declared(onto)
    missing = sorted(set(vocab.fz_terms().values()) - declared)
    assert not missing, f"exposed by kg.vocab but not declared in fazhi.ttl: {missing}"


def test_every_declared_term_is_exposed(onto: rdflib.Graph) -> None:
    exposed = set(vocab.fz_terms().values())
    missing = sorted(_declared(onto) - exposed)
    assert not missing, f"declared in fazhi.ttl but not exposed by kg.vocab.FZ: {missing}"


def test_ontology_references_only_declared_terms(onto: rdflib.Graph) -> None:
    undeclared = sorted(_fz_iris(onto) - _declared(onto))
    assert not undeclared, f"fazhi.ttl uses undeclared fz: terms: {undeclared}"


def test_attribute_names_match_local_names() -> None:
    for name, iri in vocab.fz_terms().items():
        assert iri == FZ_NS + name
    for ns in EXTERNAL:
        for name, iri in vars(ns).items():
            if name.startswith("_") or name == "NS":
                continue
            assert iri == ns.NS + name, (ns.__name__, name)


def test_terms_are_typed_and_labelled_in_both_languages(onto: rdflib.Graph) -> None:
    for iri in vocab.fz_terms().values():
        labels = list(onto.objects(rdflib.URIRef(iri), RRDFS.label))
        langs = {lit.language for lit in labels}
        assert {"en", "zh"} <= langs, f"{iri} lacks an @en or @zh label"
    for cls in onto.subjects(RRDF.type, ROWL.Class):
        assert list(onto.objects(cls, RRDFS.comment)), f"class {cls} has no rdfs:comment"


def test_property_kinds(onto: rdflib.Graph) -> None:
    obj = {str(s) for s in onto.subjects(RRDF.type, ROWL.ObjectProperty)}
    dat = {str(s) for s in onto.subjects(RRDF.type, ROWL.DatatypeProperty)}
    assert not obj & dat
    assert FZ.reporter in obj and FZ.mentionOf in obj and FZ.section in obj
    assert FZ.version in dat and FZ.start in dat and FZ.value in dat


def test_shapes_reference_only_declared_terms(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    undeclared = sorted(_fz_iris(shapes) - _declared(onto))
    assert not undeclared, f"shapes.ttl uses undeclared fz: terms: {undeclared}"
    # every path in shapes is a vocabulary term (fz: declared, or an external one kg.vocab exposes)
    external = {
        iri
        for ns in EXTERNAL
        for name, iri in vars(ns).items()
        if not name.startswith("_") and name != "NS"
    }
    sh_path = rdflib.URIRef("http://www.w3.org/ns/shacl#path")
    for path in shapes.objects(None, sh_path):
        assert str(path) in _declared(onto) | external, f"unknown sh:path {path}"


def test_enumerations_match_the_model(onto: rdflib.Graph) -> None:
    assert tuple(vocab.LEVELS) == model.LEVELS
    assert tuple(vocab.SECTIONS) == model.SECTIONS
    assert set(vocab.ROLES) == {"issued", "cited"}
    assert set(vocab.SCOPES) == {"annual", "cumulative", "as_of", "multi_year", "other_year"}
    notation = rdflib.URIRef(vocab.SKOS.notation)
    for value, iri in (
        *vocab.LEVELS.items(),
        *vocab.SECTIONS.items(),
        *vocab.ROLES.items(),
        *vocab.SCOPES.items(),
    ):
        assert vocab.ENUM_VALUE[iri] == value
        assert str(onto.value(rdflib.URIRef(iri), notation)) == value


def test_factories() -> None:
    assert nn(FZ.Report) is nn(FZ.Report)
    assert isinstance(nn(FZ.Report), pyoxigraph.NamedNode)
    assert uri(FZ.Report) == rdflib.URIRef(FZ.Report)
    assert vocab.is_report_graph(vocab.GRAPH_REPORT_NS + "x")
    assert not vocab.is_report_graph(vocab.GRAPH_GAZETTEER)
    assert "PREFIX fz: <https://w3id.org/fazhi-kg/ontology#>" in vocab.SPARQL_PREFIXES


def test_ontology_loads_in_pyoxigraph() -> None:
    quads = list(pyoxigraph.parse(path=str(ONTOLOGY_TTL), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) > 300
    quads = list(pyoxigraph.parse(path=str(SHAPES_TTL), format=pyoxigraph.RdfFormat.TURTLE))
    assert quads
