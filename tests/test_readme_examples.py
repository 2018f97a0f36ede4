"""The README's SPARQL examples are the files in ``api/queries/`` (one place: the ``/sparql``
page and ``/sparql/examples`` read the same files), and each returns rows on the seed graph.

- every ``api/queries/*.rq`` appears verbatim as a ```` ```sparql ```` block of README.md;
- every block under the README's "SPARQL examples" heading is one of those files, under a
  heading naming that file, and the section has the three named kinds (lookup, aggregation,
  join);
- each example runs on the seed graph (the endpoint's own service, prefixes as declared in the
  file) and returns at least one row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.sparql_service import SparqlService, load_examples
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
QUERIES = ROOT / "api" / "queries"

_BLOCK = re.compile(r"^```sparql\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _section(text: str, heading: str) -> str:
    m = re.search(rf"^## {re.escape(heading)}\s*$", text, re.MULTILINE)
    assert m, f"README has no '## {heading}' section"
    end = re.search(r"^## ", text[m.end() :], re.MULTILINE)
    return text[m.end() : m.end() + end.start()] if end else text[m.end() :]


def test_every_example_file_is_in_the_readme():
    blocks = _BLOCK.findall(README.read_text(encoding="utf-8"))
    examples = load_examples(QUERIES)
    assert len(examples) >= 3
    for ex in examples:
        assert ex.query in blocks, f"api/queries/{ex.file} is not a ```sparql block of README.md"


def test_readme_section_blocks_are_the_files():
    section = _section(README.read_text(encoding="utf-8"), "SPARQL examples")
    by_text = {ex.query: ex for ex in load_examples(QUERIES)}
    parts = re.split(r"^### ", section, flags=re.MULTILINE)[1:]
    assert parts, "no named examples under 'SPARQL examples'"
    kinds = []
    for part in parts:
        heading = part.splitlines()[0]
        blocks = _BLOCK.findall(part)
        assert len(blocks) == 1, f"one ```sparql block under '### {heading}'"
        ex = by_text.get(blocks[0])
        assert ex is not None, f"the block under '### {heading}' is not a file of api/queries/"
        assert f"api/queries/{ex.file}" in heading, f"'### {heading}' should name {ex.file}"
        kinds.append(ex.id)
    assert {"lookup", "aggregation", "join"} <= set(kinds)


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory):
    from kg.build import build_into
    from kg.curation import Curation

    store = OxigraphStore(None)
    cur = Curation(tmp_path_factory.mktemp("curation") / "c.jsonl")
    build_into(store, [str(ROOT / "seeds")], curation=cur, progress=False)
    return store


@pytest.mark.parametrize("example", load_examples(QUERIES), ids=lambda e: e.id)
def test_example_returns_rows_on_the_seed_graph(seed_graph, example):
    service = SparqlService(seed_graph, timeout=30, max_results=10_000)
    answer = service.run(example.query, accept="application/sparql-results+json")
    assert answer.form == "SELECT"
    assert answer.count > 0, f"{example.file} returns no rows on the seed graph"
    assert not answer.truncated
