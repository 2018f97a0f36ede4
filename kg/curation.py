"""The curation overlay: human decisions kept as data and applied at every build and extract.

Decisions live in one JSON Lines file (``data/curation/decisions.jsonl`` by default, see
:func:`kg.settings.curation_dir`), one decision per line, appended, never rewritten; a later
decision about the same target supersedes an earlier one. The overlay's version (sha256 of the
file) is part of the build fingerprint, so a new decision rebuilds exactly the reports it
concerns on the next build and survives rebuilds and component upgrades.

Decision kinds (``op``):

- ``reporter``: fix a report's reporter: ``{"op": "reporter", "report": "<report id or source
  path>", "code": "210881" | null, "name": "…", "department": "…" | null, "year": 2024 | null}``
- ``suppress``: drop a false fact: ``{"op": "suppress", "report": "<id>", "kind": "program",
  "label": "…"}`` (applied to extraction output; the extraction issue adds more kinds)
- ``promote``: make a candidate program curated: ``{"op": "promote", "label": "<candidate term>",
  "slug": "…", "pref": "…" | null, "category": "…" | null}``; ``alias``: one more name for a
  program: ``{"op": "alias", "program": "<program IRI, slug or label>", "alias": "…"}``. Both are
  applied by ``extractors.thesaurus.load`` (see ``kg.programs``), not per report.

>>> import tempfile, pathlib
>>> c = Curation(pathlib.Path(tempfile.mkdtemp()) / "decisions.jsonl")
>>> _ = c.add({"op": "reporter", "report": "a.txt", "code": "210881"})
>>> c.reporter_fix("a.txt")["code"]
'210881'
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kg.model import Candidate, Fact, Jurisdiction, Report
from kg.settings import curation_dir

__all__ = ["Curation", "CurationError", "OPS"]

OPS = {
    "reporter": ("report",),
    "suppress": ("report", "kind", "label"),
    # program thesaurus decisions (applied by extractors.thesaurus.load, not per report):
    "promote": ("label",),  # {"label": candidate term, "slug", "pref", "category", "en"}
    "alias": ("program", "alias"),  # {"program": program IRI, slug or label, "alias": name}
}


class CurationError(ValueError):
    """A decision that cannot be stored or applied (message names the problem)."""


class Curation:
    """The overlay file and the decisions in it."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else curation_dir() / "decisions.jsonl"
        self.decisions: list[dict[str, Any]] = []
        self.errors: list[str] = []
        if self.path.exists():
            for n, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                    self._check(d)
                    self.decisions.append(d)
                except (json.JSONDecodeError, CurationError) as exc:
                    self.errors.append(f"{self.path}:{n}: {exc}")

    @property
    def version(self) -> str:
        """sha256 of the overlay's decisions (empty overlay → 'none')."""
        if not self.decisions:
            return "none"
        blob = "\n".join(json.dumps(d, ensure_ascii=False, sort_keys=True) for d in self.decisions)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def version_for(self, report: Report) -> str:
        """sha256 of the decisions concerning ``report`` ('none' when there are none).

        Part of that report's build fingerprint, so a decision rebuilds only its report.
        """
        keys = {report.id, report.source, report.url}
        mine = [d for d in self.decisions if d.get("report") in keys]
        if not mine:
            return "none"
        blob = "\n".join(json.dumps(d, ensure_ascii=False, sort_keys=True) for d in mine)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    @staticmethod
    def _check(d: dict[str, Any]) -> None:
        if not isinstance(d, dict) or d.get("op") not in OPS:
            raise CurationError(
                f"unknown decision op {d.get('op') if isinstance(d, dict) else d!r}; known: {', '.join(OPS)}"
            )
        missing = [k for k in OPS[d["op"]] if not d.get(k)]
        if missing:
            raise CurationError(f"decision {d['op']!r} lacks {', '.join(missing)}")

    def add(self, decision: dict[str, Any]) -> dict[str, Any]:
        """Validate and append one decision (atomic append of one line)."""
        decision = {k: v for k, v in decision.items()}
        self._check(decision)
        decision.setdefault("at", datetime.now(UTC).isoformat(timespec="seconds"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(decision, ensure_ascii=False, sort_keys=True) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        self.decisions.append(decision)
        return decision

    def _for(self, report: Report | str, op: str) -> list[dict[str, Any]]:
        keys = {report} if isinstance(report, str) else {report.id, report.source, report.url}
        return [d for d in self.decisions if d["op"] == op and d["report"] in keys]

    def program_decisions(self) -> list[dict[str, Any]]:
        """The ``promote`` and ``alias`` decisions, in order (the thesaurus applies them)."""
        return [d for d in self.decisions if d["op"] in ("promote", "alias")]

    def reporter_fix(self, report: Report | str) -> dict[str, Any] | None:
        found = self._for(report, "reporter")
        return found[-1] if found else None

    def apply(self, report: Report, facts: list[Fact]) -> list[Fact]:
        """Apply the decisions concerning ``report`` in place; returns the kept facts."""
        fix = self.reporter_fix(report)
        if fix:
            self._apply_reporter(report, fix)
        drops = {(d["kind"], d["label"]) for d in self._for(report, "suppress")}
        if not drops:
            return facts
        return [f for f in facts if (f.kind, f.label) not in drops]

    @staticmethod
    def _apply_reporter(report: Report, fix: dict[str, Any]) -> None:
        from kg.gazetteer import load

        gaz = load()
        if fix.get("code"):
            place = gaz.get(str(fix["code"]))
            if place is None:
                report.warnings.append(f"curation: unknown division code {fix['code']!r}")
            else:
                parent = gaz.parent(place)
                report.jurisdiction = Jurisdiction(
                    name=place.name, code=place.code, level=place.level, path=gaz.path(place),
                    confidence=1.0, parent_code=parent.code if parent else None, evidence="curation",
                )  # fmt: skip
        elif fix.get("name"):
            places = gaz.lookup(fix["name"])
            if len(places) == 1:
                p = places[0]
                parent = gaz.parent(p)
                report.jurisdiction = Jurisdiction(
                    p.name, p.code, p.level, gaz.path(p), 1.0,
                    parent_code=parent.code if parent else None, evidence="curation",
                )  # fmt: skip
            else:
                report.jurisdiction = Jurisdiction(
                    fix["name"], None, fix.get("level"), [], 1.0,
                    candidates=[Candidate(p.name, p.code, p.level, gaz.path(p)) for p in places],
                    evidence="curation",
                )  # fmt: skip
        if "department" in fix:
            report.department = fix["department"]
        if fix.get("year"):
            report.year = int(fix["year"])
