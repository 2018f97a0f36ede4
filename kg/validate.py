"""SHACL validation of the stored graph (ontology/shapes.ttl) with pyshacl.

>>> from kg.store import OxigraphStore
>>> validate_store(OxigraphStore(None))[0]
True
"""

from __future__ import annotations

from kg.rdf import validate
from kg.store import Store

__all__ = ["validate_store"]


def validate_store(store: Store) -> tuple[bool, str]:
    """``(conforms, report text)`` for the union of every graph in ``store``."""
    return validate(store.quads())
