"""Data contracts shared by ingest, extractors, the build and the API.

Plain dataclasses (no behaviour beyond (de)serialisation) so that every layer can import them
without pulling in the store or the extractors.

>>> j = Jurisdiction(name="盖州市", code="210881000000", level="county",
...                  path=["辽宁省", "营口市", "盖州市"], confidence=0.98)
>>> j.to_dict()["code"]
'210881000000'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "LEVELS",
    "SECTIONS",
    "Candidate",
    "Fact",
    "IngestError",
    "Jurisdiction",
    "Mention",
    "PageMeta",
    "Report",
    "Section",
]

Level = Literal["national", "province", "prefecture", "county", "township", "zone"]
LEVELS: tuple[str, ...] = ("national", "province", "prefecture", "county", "township", "zone")
SectionKind = Literal["achievements", "problems", "plans", "other"]
SECTIONS: tuple[str, ...] = ("achievements", "problems", "plans", "other")


class IngestError(Exception):
    """A file that cannot become a report; ``str(err)`` is a one-line reason naming the file."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(slots=True)
class PageMeta:
    """Metadata printed on the page itself (kept when the furniture around it is removed)."""

    title: str | None = None
    published: str | None = None  # 发布日期/发布时间/公开日期, ISO YYYY-MM-DD
    source: str | None = None  # 来源 / 文章来源: the posting office, NOT the reporter
    index_no: str | None = None  # 索引号
    issuer: str | None = None  # 发文机构 / 发布机构
    doc_no: str | None = None  # 文号

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Candidate:
    """One possible jurisdiction for an ambiguous name."""

    name: str
    code: str | None
    level: str | None
    path: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Jurisdiction:
    """The reporting jurisdiction, or the one a reporting department belongs to.

    ``code`` is the 12-digit NBS form or None (national level, a zone without a code, or a
    namesake the text cannot decide: then ``candidates`` lists the options). ``path`` runs from
    the province to the place itself.
    """

    name: str | None
    code: str | None = None
    level: str | None = None
    path: list[str] = field(default_factory=list)
    confidence: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    parent_code: str | None = None
    evidence: str | None = None  # which clue decided it (title, opening, signature, url, ...)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "code": self.code,
            "level": self.level,
            "path": list(self.path),
            "confidence": round(self.confidence, 3),
            "candidates": [c.to_dict() for c in self.candidates],
            "parent_code": self.parent_code,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class Section:
    """A span of the report text classified as achievements, problems, plans or other."""

    kind: str
    start: int
    end: int
    heading: str | None = None


@dataclass(slots=True)
class Report:
    """One ingested report: identity, source, cleaned text and resolved metadata.

    ``id`` is a stable key of the source (manifest URL, else the path relative to the build
    root); ``version`` is the sha256 of ``text``. Every offset in the system indexes ``text``.
    """

    id: str
    version: str
    source: str
    text: str
    url: str | None = None
    fetched_at: str | None = None
    title: str | None = None
    format: str = "txt"
    encoding: str | None = None
    meta: PageMeta = field(default_factory=PageMeta)
    year: int | None = None
    published: str | None = None
    signed: str | None = None
    jurisdiction: Jurisdiction | None = None
    department: str | None = None
    duplicate_of: str | None = None
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "url": self.url,
            "title": self.title,
            "year": self.year,
            "published": self.published,
            "signed": self.signed,
            "jurisdiction": self.jurisdiction.to_dict() if self.jurisdiction else None,
            "department": self.department,
            "duplicate_of": self.duplicate_of,
            "format": self.format,
            "encoding": self.encoding,
            "meta": self.meta.to_dict(),
            "warnings": list(self.warnings),
        }
        if with_text:
            d["text"] = self.text
        return d


@dataclass(slots=True)
class Mention:
    """An exact span of ``Report.text``: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str


@dataclass(slots=True)
class Fact:
    """One extracted fact with its evidence.

    ``attrs`` carries the kind-specific fields of the ``kg extract`` contract (a document's
    title/role/issuer, a metric's value/unit/...); they are flattened into the JSON object.
    """

    kind: str  # program | agency | document | metric
    label: str
    mention: Mention
    sentence_id: int
    sentence: str
    section: str = "other"
    negated: bool = False
    component: str = ""
    confidence: float = 1.0
    id: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "mention": self.mention.surface,
            "start": self.mention.start,
            "end": self.mention.end,
            "sentence_id": self.sentence_id,
            "sentence": self.sentence,
            "section": self.section,
            "negated": self.negated,
            "component": self.component,
            "confidence": round(self.confidence, 3),
        }
        d.update(self.attrs)
        return d
