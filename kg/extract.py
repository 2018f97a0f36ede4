"""Files → reports with facts: the one processing path shared by ``kg extract`` and ``kg build``.

:func:`process` reads every input (ingest), runs the staged extraction pipeline and the
curation overlay, and yields one :class:`Processed` per file in input order, a failed file
included (``report`` None and the reason in ``errors``). :func:`to_jsonl` renders the
``kg extract`` JSON Lines contract of DESIGN.md.

>>> import json
>>> from pathlib import Path
>>> items = list(process([Path("seeds/000_4ee9ce8ba8ed3195.txt")]))
>>> json.loads(to_jsonl(items[0]))["report"]["jurisdiction"]["code"]
'210881000000'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractors.pipeline import Runner, Sentence
from kg.curation import Curation
from kg.ingest import expand_inputs, ingest_file, load_manifest
from kg.model import Fact, IngestError, Report

__all__ = ["Processed", "fingerprint", "process", "to_jsonl"]


@dataclass
class Processed:
    """One input file after ingest and extraction."""

    source: str
    report: Report | None
    facts: list[Fact] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: bool = False  # ingested, but ``want`` said its stored graph is current

    @property
    def ok(self) -> bool:
        return self.report is not None


def fingerprint(runner: Runner, curation: Curation) -> dict[str, str]:
    """Versions that decide whether a stored report graph is still current."""
    from kg.gazetteer import load

    fp = dict(sorted(runner.versions.items()))
    fp["gazetteer"] = load().version
    fp["curation"] = curation.version  # the whole overlay; a report's own share: version_for()
    try:
        from extractors.thesaurus import version as thesaurus_version  # the extraction issue
    except ImportError:
        fp["thesaurus"] = "none"
    else:
        fp["thesaurus"] = thesaurus_version()
    return fp


def process(
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    *,
    runner: Runner | None = None,
    curation: Curation | None = None,
    link_duplicates: bool = True,
    want: Callable[[Report], bool] | None = None,
) -> Iterator[Processed]:
    """Ingest and extract every file under ``paths`` (files or folders), in order.

    Errors never stop the batch: an unreadable file, a bad manifest row or a failing
    component is reported on that file's item. ``want(report)``, when given, is asked after
    ingest: False skips extraction (the build's "unchanged" check).
    """
    runner = runner or Runner()
    curation = curation or Curation()
    from extractors.thesaurus import set_curation

    set_curation(curation.path)  # promoted programs and aliases come from the same overlay
    entries = load_manifest(manifest) if manifest else None
    items: list[Processed] = []
    for arg in paths:
        try:
            files = expand_inputs([arg], skip=[manifest] if manifest else ())
        except IngestError as exc:
            items.append(Processed(str(arg), None, errors=[str(exc)]))
            continue
        for path, root in files:
            items.append(_one(path, root, entries, runner, curation, want))
            if not link_duplicates:
                yield items.pop()
    if link_duplicates:
        from kg.dedup import link_duplicates as link

        link([it.report for it in items if it.report is not None])
        yield from items


def _one(path: Path, root: Path, entries, runner: Runner, curation: Curation, want) -> Processed:
    try:
        report = ingest_file(path, root, entries)
    except IngestError as exc:
        return Processed(str(path), None, errors=[str(exc)])
    if want is not None and not want(report):
        return Processed(str(path), report, skipped=True)
    result = runner.run(report)
    facts = curation.apply(report, result.facts)
    errors = list(result.errors)
    return Processed(str(path), report, facts, result.sentences, errors)


def to_jsonl(item: Processed) -> str:
    """One line of the ``kg extract`` contract (UTF-8, ``ensure_ascii=False``)."""
    obj = {
        "source": item.source,
        "report": item.report.to_dict() if item.report else None,
        "facts": [f.to_dict() for f in item.facts],
        "errors": item.errors,
    }
    if item.report is not None:
        obj["report"]["sections"] = [
            {"kind": s.kind, "start": s.start, "end": s.end} for s in item.report.sections
        ]
    return json.dumps(obj, ensure_ascii=False)
