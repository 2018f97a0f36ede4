"""The staged extraction pipeline: registered, versioned components over one parsed report.

A :class:`Doc` is built once per report: the normalised view (NFKC, traditional → simplified)
with its offset map, the sentences and the sections. Components are small callables registered
by name and version with the annotations they need and the one they provide; the
:class:`Runner` applies them in dependency order, lets later components read earlier
annotations, and counts calls, failures, facts and coverage per component. A component yields
facts (or nothing when it has no opinion); a component that raises is counted and reported,
never fatal for the report.

>>> from kg.model import Report
>>> runner = Runner()
>>> result = runner.run(Report(id="r", version="v", source="r.txt", text="2024年,盖州市坚持依法行政。"))
>>> result.report.year
2024
"""

from __future__ import annotations

import time
import traceback
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from extractors import polarity
from kg.model import Fact, Mention, Report, Section
from kg.textnorm import View, normalize_view

__all__ = [
    "COMPONENTS",
    "Component",
    "ComponentStats",
    "Doc",
    "RunResult",
    "Runner",
    "Sentence",
    "component",
]


@dataclass(slots=True)
class Sentence:
    """A sentence of the report: source offsets, source text and section."""

    id: int
    start: int
    end: int
    text: str
    section: str = "other"


@dataclass
class Doc:
    """One report prepared for the components. Offsets are into ``report.text``."""

    report: Report
    view: View
    sentences: list[Sentence] = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return self.report.text

    @property
    def norm(self) -> str:
        """The normalised view (same length as ``text`` for almost every report)."""
        return self.view.text

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing source ``offset``."""
        if not self._starts:
            self._starts = [s.start for s in self.sentences]
        i = bisect_right(self._starts, offset) - 1
        if 0 <= i < len(self.sentences) and offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def fact(self, kind: str, label: str, start: int, end: int, comp: str, **attrs: Any) -> Fact:
        """A fact for the SOURCE span ``[start, end)`` with its sentence, section and evidence.

        ``negated`` defaults to what :func:`extractors.polarity.negated` says of the mention in
        its sentence; ``confidence`` and ``id`` may be given; every other keyword becomes a
        kind-specific field of the fact (title, role, value, unit …).
        """
        sent = self.sentence_at(start)
        confidence = attrs.pop("confidence", 1.0)
        fid = attrs.pop("id", None)
        neg = attrs.pop("negated", None)
        if neg is None:
            neg = (
                polarity.negated(sent.text, start - sent.start, end - sent.start) if sent else False
            )
        mention = Mention(start, end, self.report.text[start:end])
        if sent is None:
            sid, stext, section = -1, "", "other"
        else:
            sid, stext, section = sent.id, sent.text, sent.section
        return Fact(
            kind=kind,
            label=label,
            mention=mention,
            sentence_id=sid,
            sentence=stext,
            section=section,
            negated=neg,
            component=comp,
            confidence=confidence,
            id=fid,
            attrs=attrs,
        )

    def fact_from_view(
        self, kind: str, label: str, vstart: int, vend: int, comp: str, **attrs: Any
    ) -> Fact:
        """Like :meth:`fact` for a span of the normalised view (``doc.norm``)."""
        start, end = self.view.span(vstart, vend)
        return self.fact(kind, label, start, end, comp, **attrs)


ComponentFn = Callable[[Doc], Iterable[Fact] | None]


@dataclass(frozen=True)
class Component:
    """A registered extraction component."""

    name: str
    version: int
    fn: ComponentFn
    requires: tuple[str, ...] = ()
    provides: str = ""
    doc: str = ""

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


COMPONENTS: dict[str, Component] = {}


def component(
    name: str, version: int, *, requires: tuple[str, ...] = (), provides: str = ""
) -> Callable[[ComponentFn], ComponentFn]:
    """Register ``fn`` as component ``name@version``.

    ``requires`` names the annotations (other components' ``provides``) it reads.
    """

    def deco(fn: ComponentFn) -> ComponentFn:
        COMPONENTS[name] = Component(
            name, version, fn, tuple(requires), provides or name, (fn.__doc__ or "").strip()
        )
        return fn

    return deco


@dataclass
class ComponentStats:
    calls: int = 0
    failures: int = 0
    facts: int = 0
    covered: int = 0  # reports where it produced at least one fact or annotation
    seconds: float = 0.0
    last_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "failures": self.failures,
            "facts": self.facts,
            "coverage": round(self.covered / self.calls, 3) if self.calls else 0.0,
            "seconds": round(self.seconds, 4),
            "last_error": self.last_error,
        }


@dataclass
class RunResult:
    report: Report
    facts: list[Fact]
    sentences: list[Sentence]
    errors: list[str]


def _load_default_components() -> None:
    # Importing the modules registers their components.
    from extractors import agencies, documents, metrics, programs, reporter, segment  # noqa: F401


def _order(names: Iterable[str]) -> list[Component]:
    comps = {n: COMPONENTS[n] for n in names}
    by_provides = {c.provides: c.name for c in comps.values()}
    ordered: list[Component] = []
    seen: set[str] = set()

    def visit(n: str, stack: tuple[str, ...] = ()) -> None:
        if n in seen:
            return
        if n in stack:
            raise ValueError(f"component dependency cycle: {' -> '.join(stack + (n,))}")
        for req in comps[n].requires:
            dep = by_provides.get(req)
            if dep is None:
                raise ValueError(f"component {n} requires {req!r}, which no component provides")
            visit(dep, stack + (n,))
        seen.add(n)
        ordered.append(comps[n])

    for n in sorted(comps):
        visit(n)
    return ordered


class Runner:
    """Applies the registered components to reports and keeps per-component statistics."""

    def __init__(self, names: Iterable[str] | None = None):
        _load_default_components()
        self.components = _order(names if names is not None else COMPONENTS)
        self.stats: dict[str, ComponentStats] = {c.ref: ComponentStats() for c in self.components}

    @property
    def versions(self) -> dict[str, str]:
        """``{name: name@version}`` of every component: part of the build fingerprint."""
        return {c.name: c.ref for c in self.components}

    def prepare(self, report: Report) -> Doc:
        return Doc(report=report, view=normalize_view(report.text))

    def run(self, report: Report) -> RunResult:
        doc = self.prepare(report)
        facts: list[Fact] = []
        errors: list[str] = []
        for comp in self.components:
            st = self.stats[comp.ref]
            st.calls += 1
            t0 = time.perf_counter()
            try:
                out = comp.fn(doc)
                produced = list(out) if out is not None else []
            except Exception as exc:  # a failing component is counted, never fatal
                st.failures += 1
                st.last_error = f"{type(exc).__name__}: {exc}"
                errors.append(f"{comp.ref} failed: {type(exc).__name__}: {exc}")
                doc.annotations.setdefault("_tracebacks", []).append(traceback.format_exc())
                produced = []
            st.seconds += time.perf_counter() - t0
            for f in produced:
                f.component = f.component or comp.ref
            st.facts += len(produced)
            if produced or comp.provides in doc.annotations:
                st.covered += 1
            facts.extend(produced)
        return RunResult(report, facts, doc.sentences, errors)

    def stats_dict(self) -> dict[str, dict[str, Any]]:
        return {ref: st.to_dict() for ref, st in self.stats.items()}


def sections_of(sentences: list[Sentence]) -> list[Section]:
    """Merge consecutive sentences of the same section into report sections."""
    out: list[Section] = []
    for s in sentences:
        if out and out[-1].kind == s.section:
            out[-1].end = s.end
        else:
            out.append(Section(s.section, s.start, s.end))
    return out
