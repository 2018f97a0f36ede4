"""THE place where resource and graph IRIs are minted.

``mint(kind, *key_parts)`` is deterministic: the key parts are normalised (NFKC, traditional →
simplified, whitespace removed), joined, and digested (blake2b, 64 bits, 16 hex digits); the
IRI is ``…/id/{kind}/{slug}-{digest}`` where ``slug`` is a short readable prefix of the key
(letters and digits of any script, so Chinese names stay readable) or just ``…/id/{kind}/{digest}``
when the key has nothing readable. The digest covers the whole normalised key, so two keys that
share a slug never share an IRI.

Kinds that live inside a parent resource (a report's sentences, mentions and observations, a
jurisdiction's former names, a build's version entries and counts) take the parent's key first
and a local part: ``mint("sentence", report_id, "12")`` is ``{report IRI}/sentence/12``.

Jurisdictions with an official code use it: ``…/id/jurisdiction/210881000000`` (6- and 9-digit
forms are padded); the nation is ``…/id/jurisdiction/CN``; any other key (``zone:济宁太白湖新区``)
is minted like everything else.

>>> jurisdiction_iri("210881")
'https://w3id.org/fazhi-kg/id/jurisdiction/210881000000'
>>> mint("program", "一村(社区)一法律顾问") == mint("program", " 一村（社区）一法律顾问 ")
True
>>> mint("sentence", "seeds/a.txt", "3").endswith("/sentence/3")
True
>>> report_graph("seeds/a.txt").startswith("https://w3id.org/fazhi-kg/graph/report/seeds-a.txt-")
True
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from kg.textnorm import normalize
from kg.vocab import GRAPH_BUILDS, GRAPH_REPORT_NS, ID_NS

__all__ = [
    "CHILD_KINDS",
    "NATIONAL_IRI",
    "NATIONAL_NAMES",
    "agency_iri",
    "build_graph",
    "build_iri",
    "code12",
    "document_iri",
    "document_key",
    "jurisdiction_iri",
    "metric_concept_iri",
    "mint",
    "normalize_key",
    "normalize_title",
    "program_iri",
    "report_graph",
    "report_iri",
    "sentence_iri",
    "zone_key",
]

# kind -> kind of the parent resource whose IRI prefixes it
CHILD_KINDS: dict[str, str] = {
    "sentence": "report",
    "mention": "report",
    "observation": "report",
    "former-name": "jurisdiction",
    "version": "build",
    "count": "build",
}
NATIONAL_IRI = ID_NS + "jurisdiction/CN"
NATIONAL_NAMES = frozenset({"CN", "national", "中华人民共和国", "中国", "全国", "国家"})

_KIND = re.compile(r"[a-z][a-z0-9-]*\Z")
_CODE = re.compile(r"\d{6}(?:\d{3}(?:\d{3})?)?\Z")
_WS = re.compile(r"\s+")
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")
_SLUG_MAX = 32
_TITLE_STRIP = str.maketrans("", "", "《》〈〉<>‹›«»\"'“”‘’「」『』")


def normalize_key(part: object) -> str:
    """A key part as identity sees it: NFKC, traditional → simplified, no whitespace."""
    return _WS.sub("", normalize(str(part)))


def normalize_title(title: str) -> str:
    """A document title for identity: :func:`normalize_key` without title brackets and quotes."""
    return normalize_key(title).translate(_TITLE_STRIP)


def _slug(text: str) -> str:
    out: list[str] = []
    dash = False
    for ch in text:
        if ch.isalnum() or ch in "._":
            out.append(ch.lower() if ch.isascii() else ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
        if len(out) >= _SLUG_MAX:
            break
    return "".join(out).strip("-._")


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def _segment(parts: tuple[str, ...]) -> str:
    key = "\x1f".join(parts)
    slug = _slug("-".join(parts))
    digest = _digest(key)
    return f"{slug}-{digest}" if slug else digest


@lru_cache(maxsize=1 << 15)
def mint(kind: str, *key_parts: object) -> str:
    """The IRI of the resource of ``kind`` identified by ``key_parts`` (see module docstring)."""
    if not _KIND.match(kind):
        raise ValueError(f"invalid IRI kind {kind!r}")
    if not key_parts:
        raise ValueError(f"mint({kind!r}) needs at least one key part")
    parent_kind = CHILD_KINDS.get(kind)
    if parent_kind is not None:
        if len(key_parts) < 2:
            raise ValueError(f"mint({kind!r}) needs the parent key and a local part")
        parent = (
            jurisdiction_iri(str(key_parts[0]))
            if parent_kind == "jurisdiction"
            else mint(parent_kind, key_parts[0])
        )
        local = tuple(normalize_key(p) for p in key_parts[1:])
        joined = "-".join(local)
        segment = joined if _SAFE_LOCAL.match(joined) else _segment(local)
        return f"{parent}/{kind}/{segment}"
    parts = tuple(normalize_key(p) for p in key_parts)
    if not any(parts):
        raise ValueError(f"mint({kind!r}) got only empty key parts")
    return f"{ID_NS}{kind}/{_segment(parts)}"


def code12(code: str) -> str | None:
    """The 12-digit form of a 6-, 9- or 12-digit division code, else None."""
    c = code.strip()
    if not _CODE.match(c):
        return None
    return c.ljust(12, "0")


def zone_key(name: str) -> str:
    """The key of a zone without an official code (what the gazetteer must use as ``key``)."""
    return f"zone:{name}"


def jurisdiction_iri(key: str) -> str:
    """A jurisdiction's IRI from its code (any NBS form), a national name, or another key."""
    k = key.strip()
    if not k:
        raise ValueError("empty jurisdiction key")
    c = code12(k)
    if c is not None:
        return f"{ID_NS}jurisdiction/{c}"
    if k in NATIONAL_NAMES:
        return NATIONAL_IRI
    return mint("jurisdiction", k)


def _own(key: str) -> bool:
    return key.startswith(ID_NS)


def report_iri(report_id: str) -> str:
    """The IRI of the report node."""
    return mint("report", report_id)


def report_graph(report_id: str) -> str:
    """The named graph holding one report's facts: ``…/graph/report/{slug}``."""
    return GRAPH_REPORT_NS + report_iri(report_id).rsplit("/", 1)[1]


def sentence_iri(report_id: str, sentence_id: int | str) -> str:
    return mint("sentence", report_id, str(sentence_id))


def program_iri(key: str) -> str:
    """A program from its thesaurus id or, for a candidate without one, its canonical label."""
    return key if _own(key) else mint("program", key)


def agency_iri(key: str) -> str:
    """An agency from its id or its fully qualified canonical name (盖州市人民法院)."""
    return key if _own(key) else mint("agency", key)


def metric_concept_iri(key: str) -> str:
    return key if _own(key) else mint("metric", key)


def build_iri(build_id: str) -> str:
    return mint("build", build_id)


def build_graph(build_id: str) -> str:
    """The named graph of one build's record: ``…/graph/builds/{slug}``."""
    return GRAPH_BUILDS + "/" + build_iri(build_id).rsplit("/", 1)[1]


def document_key(
    title: str,
    *,
    role: str | None = None,
    issuer: str | None = None,
    issuer_inferred: bool = False,
    doc_kind: str | None = None,
) -> tuple[str, ...]:
    """The identity key of a document (DESIGN.md "Documents").

    An issued document: normalised title + issuer (so every city's 《2024年普法依法治理工作要点》
    stays apart); a law, and a cited document whose issuer the text does not name: the
    normalised title alone (one node across reporters). A cited document whose issuer the text
    names keeps the issuer.
    """
    t = normalize_title(title)
    if doc_kind == "law" or not issuer:
        return (t,)
    if role == "issued" or not issuer_inferred:
        return (t, normalize_key(issuer))
    return (t,)


def document_iri(
    title: str,
    issuer: str | None = None,
    *,
    role: str | None = None,
    issuer_inferred: bool = False,
    doc_kind: str | None = None,
) -> str:
    """The IRI of a document (see :func:`document_key`)."""
    key = document_key(
        title, role=role, issuer=issuer, issuer_inferred=issuer_inferred, doc_kind=doc_kind
    )
    return mint("document", *key)
