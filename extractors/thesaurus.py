"""The program thesaurus: ``ontology/programs.ttl`` plus the curation overlay, and its matcher.

``load()`` parses the SKOS file once (rdflib, at first use) into :class:`Program` records
(id, prefLabel, English label, category, aliases, broader, borderline) and applies the program
decisions of the curation overlay (``promote``: a candidate becomes a curated program with the
id ``…/id/program/<slug>``; ``alias``: one more name for a program). The result is cached and
rebuilt only when the TTL, the stop list or the overlay file changes; :func:`version` is a short
sha256 of all three (the program part of the overlay), part of the build fingerprint.

Matching is variant tolerant: names and text are compared as *match keys*: the normalised view
(NFKC, traditional → simplified) without quotes, brackets, spaces, 、 and middle dots, ASCII
lower-cased, pinyin glosses left by converters (區(qū)) removed, and each key also in its
社区(村)/村(社区) and 村(居)/居(村) orderings. The text is "squeezed" the same way once per report
with a map back to the normalised view, so every match is an exact span of the text. Overlapping
matches: the longest wins. A *veto* string of the stop list that contains a match cancels it
(上述法律 is not 述法).

>>> th = load()
>>> text = "深入开展“一社区(村)一法律顾问”服务,全面推行行政执法“三项制度”,上述法律"
>>> [(p.pref, text[s:e]) for p, s, e in th.find(text)]
[('一村(社区)一法律顾问', '一社区(村)一法律顾问'), ('行政执法三项制度', '行政执法“三项制度”')]
>>> slugify("一村(社区)一法律顾问"), slugify("12345热线"), slugify("互联网+监管")
('yi-cun-she-qu-yi-fa-lv-gu-wen', '12345-re-xian', 'hu-lian-wang-plus-jian-guan')
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.textnorm import normalize
from kg.vocab import ID_NS, ONTOLOGY_DIR

__all__ = [
    "CANDIDATE_NS",
    "CATEGORY_NS",
    "PROGRAM_NS",
    "STOPLIST_PATH",
    "TTL_PATH",
    "Matcher",
    "Program",
    "Squeezed",
    "Stoplist",
    "Thesaurus",
    "candidate_iri",
    "curation_path",
    "load",
    "match_key",
    "set_curation",
    "slugify",
    "squeeze",
    "stoplist",
    "version",
]

PROGRAM_NS = ID_NS + "program/"
CANDIDATE_NS = PROGRAM_NS + "candidate/"
CATEGORY_NS = ID_NS + "program-category/"
TTL_PATH = ONTOLOGY_DIR / "programs.ttl"
STOPLIST_PATH = Path(__file__).resolve().parent / "data" / "program_stoplist.tsv"

_FZ = "https://w3id.org/fazhi-kg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# ---------------------------------------------------------------------------------------------
# match keys and the squeezed text

# Dropped from text and names before matching: quotes, brackets, spaces, 、, middle dots, and
# pinyin glosses that converters leave after a character (區(qū)).
_DROP = re.compile(
    r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüv]{1,7}\)"
    r"|[\s\u3000“”‘’\"'「」『』()\[\]【】〔〕〈〉（）、·•・]+"
)
_UPPER = re.compile(r"[A-Z]+")
# Where a _DROP match can start: its second branch matches at each of these characters (and
# the first one starts with "(", one of them), so _DROP matches at these and nowhere else.
_DROP_START = re.compile(r"[\s\u3000“”‘’\"'「」『』()\[\]【】〔〕〈〉（）、·•・]")


def _drops(text: str):
    """The matches of ``_DROP.finditer(text)``, jumping from one possible start to the next
    instead of trying the pattern at every position."""
    search, match = _DROP_START.search, _DROP.match
    pos = 0
    while True:
        c = search(text, pos)
        if c is None:
            return
        m = match(text, c.start())  # the lookbehind sees the text before, as in finditer
        if m is None:  # never happens (see above); kept for safety: try the next position
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()


def _ascii_lower(s: str) -> str:
    """ASCII letters lower-cased (same length: offsets stay valid)."""
    return _UPPER.sub(lambda m: m.group().lower(), s) if _UPPER.search(s) else s


_SWAPS = (("社区村", "村社区"), ("居村", "村居"))


def match_key(name: str) -> str:
    """A name as the matcher compares it (see module docstring)."""
    return _ascii_lower(_DROP.sub("", normalize(name)))


def _key_variants(key: str) -> set[str]:
    out = {key}
    for a, b in _SWAPS:
        for k in list(out):
            if a in k:
                out.add(k.replace(a, b))
            if b in k:
                out.add(k.replace(b, a))
    return out


@dataclass(slots=True)
class Squeezed:
    """``text`` without the dropped characters; ``runs`` map it back to the source string.

    ``starts[i]`` is where kept run ``i`` begins in the squeezed text, ``origins[i]`` where it
    begins in the source.
    """

    text: str
    starts: list[int]
    origins: list[int]

    def src(self, k: int) -> int:
        """Source offset of squeezed position ``k`` (``0 <= k < len(text)``)."""
        i = bisect_right(self.starts, k) - 1
        return self.origins[i] + (k - self.starts[i])

    def span(self, s: int, e: int) -> tuple[int, int]:
        """Source span covering squeezed ``[s, e)`` (``e > s``)."""
        return self.src(s), self.src(e - 1) + 1


def squeeze(text: str) -> Squeezed:
    """The squeezed copy of an already normalised ``text`` (one linear pass)."""
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    pos = n = 0
    for m in _drops(text):
        if m.start() > pos:
            starts.append(n)
            origins.append(pos)
            pieces.append(text[pos : m.start()])
            n += m.start() - pos
        pos = m.end()
    if pos < len(text):
        starts.append(n)
        origins.append(pos)
        pieces.append(text[pos:])
    return Squeezed(_ascii_lower("".join(pieces)), starts, origins)


@lru_cache(maxsize=1 << 14)
def slugify(label: str) -> str:
    """Readable pinyin slug of a label: one syllable per character, ASCII runs kept, '+' → plus."""
    from pypinyin import Style, lazy_pinyin

    tokens: list[str] = []
    ascii_run = ""
    for ch in normalize(label):
        if ch.isascii() and ch.isalnum():
            ascii_run += ch.lower()
            continue
        if ascii_run:
            tokens.append(ascii_run)
            ascii_run = ""
        if ch == "+":
            tokens.append("plus")
        elif "\u3400" <= ch <= "\u9fff":
            tokens.append(lazy_pinyin(ch, style=Style.NORMAL, v_to_u=False)[0])
    if ascii_run:
        tokens.append(ascii_run)
    slug = "-".join(t for t in tokens if t)
    slug = re.sub(r"[^a-z0-9-]+", "", slug)
    return slug or "x" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:8]


def candidate_iri(label: str) -> str:
    """The IRI of a candidate program (not curated): ``…/program/candidate/<slug>``."""
    return CANDIDATE_NS + slugify(label)


# ---------------------------------------------------------------------------------------------
# stop list (and the cue words of candidate discovery, which live in the same data file)


@dataclass(frozen=True)
class Stoplist:
    """extractors/data/program_stoplist.tsv by type (see the comment line of the file)."""

    slogan: frozenset[str]
    generic: frozenset[str]
    area: frozenset[str]
    veto: tuple[str, ...]
    title: tuple[str, ...]
    cue_in: tuple[str, ...]
    cue_end: tuple[str, ...]
    cue_start: tuple[str, ...]
    cue_after: tuple[str, ...]
    cue_after2: tuple[str, ...]
    place_prefix: tuple[str, ...]
    digest: str


_TYPES = ("slogan", "generic", "area", "veto", "title", "cue_in", "cue_end", "cue_start",
          "cue_after", "cue_after2", "place_prefix")  # fmt: skip


@lru_cache(maxsize=4)
def _stoplist(path: str, mtime: int, size: int) -> Stoplist:
    raw = Path(path).read_bytes()
    rows: dict[str, list[str]] = {t: [] for t in _TYPES}
    lines = [ln for ln in raw.decode("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        term, kind = (row.get("term") or "").strip(), (row.get("type") or "").strip()
        if term and kind in rows:
            rows[kind].append(
                term
                if kind.startswith("cue") or kind in ("title", "place_prefix")
                else match_key(term)
            )
    return Stoplist(
        slogan=frozenset(rows["slogan"]),
        generic=frozenset(rows["generic"]),
        area=frozenset(rows["area"]),
        veto=tuple(dict.fromkeys(rows["veto"])),
        title=tuple(rows["title"]),
        cue_in=tuple(rows["cue_in"]),
        cue_end=tuple(rows["cue_end"]),
        cue_start=tuple(rows["cue_start"]),
        cue_after=tuple(rows["cue_after"]),
        cue_after2=tuple(rows["cue_after2"]),
        place_prefix=tuple(rows["place_prefix"]),
        digest=hashlib.sha256(raw).hexdigest(),
    )


def stoplist(path: Path = STOPLIST_PATH) -> Stoplist:
    """The stop list (cached; re-read when the file changes)."""
    st = path.stat()
    return _stoplist(str(path), st.st_mtime_ns, st.st_size)


# ---------------------------------------------------------------------------------------------
# programs and the matcher


@dataclass(frozen=True, slots=True)
class Program:
    """One curated program (a skos:Concept of fz:programScheme)."""

    id: str
    pref: str
    en: str | None = None
    category: str | None = None
    aliases: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    borderline: bool = False
    promoted: bool = False  # added by a curation decision

    @property
    def slug(self) -> str:
        return self.id.rsplit("/", 1)[-1]

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.pref, *self.aliases)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pref": self.pref,
            "en": self.en,
            "category": self.category,
            "aliases": list(self.aliases),
            "broader": list(self.broader),
            "borderline": self.borderline,
            "promoted": self.promoted,
        }


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class Matcher:
    """An Aho-Corasick automaton over match keys (and veto strings) of the programs."""

    def __init__(self, keys: dict[str, str], vetoes: tuple[str, ...] = ()):
        import ahocorasick_rs

        self.keys = dict(keys)  # match key -> program id
        patterns = list(self.keys)
        self._n_keys = len(patterns)
        patterns += [v for v in vetoes if v and v not in self.keys]
        self._patterns = patterns
        self._ac = ahocorasick_rs.AhoCorasick(patterns) if patterns else None

    def find(self, sq: str) -> list[tuple[str, int, int]]:
        """Non-overlapping matches ``(program id, start, end)`` in squeezed text ``sq``."""
        if self._ac is None or not sq:
            return []
        hits: list[tuple[int, int, int]] = []
        vetoes: list[tuple[int, int]] = []
        for idx, s, e in self._ac.find_matches_as_indexes(sq, overlapping=True):
            if idx >= self._n_keys:
                vetoes.append((s, e))
                continue
            key = self._patterns[idx]
            if _alnum(key[0]) and s > 0 and _alnum(sq[s - 1]):
                continue
            if _alnum(key[-1]) and e < len(sq) and _alnum(sq[e]):
                continue
            hits.append((idx, s, e))
        if vetoes and hits:
            vetoes.sort()
            v_starts = [v[0] for v in vetoes]
            reach: list[int] = []
            best = -1
            for _, ve in vetoes:
                best = max(best, ve)
                reach.append(best)
            kept = []
            for h in hits:
                i = bisect_right(v_starts, h[1]) - 1
                if i >= 0 and reach[i] >= h[2]:
                    continue  # a veto string contains this match
                kept.append(h)
            hits = kept
        # overlapping names of the same program make one match (“谁执法谁普法”履职报告评议)
        merged: list[tuple[str, int, int]] = []
        for pid, s, e in sorted((self.keys[self._patterns[i]], s, e) for i, s, e in hits):
            if merged and merged[-1][0] == pid and s < merged[-1][2]:
                merged[-1] = (pid, merged[-1][1], max(e, merged[-1][2]))
            else:
                merged.append((pid, s, e))
        merged.sort(key=lambda h: (h[1] - h[2], h[1]))
        taken = bytearray(len(sq))
        out: list[tuple[str, int, int]] = []
        for pid, s, e in merged:
            if taken.find(1, s, e) != -1:
                continue
            taken[s:e] = b"\x01" * (e - s)
            out.append((pid, s, e))
        out.sort(key=lambda m: m[1])
        return out


_OPEN_CLOSE = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("(", ")"), ("【", "】"))
_BRACKET = re.compile("[" + re.escape("".join(op + cl for op, cl in _OPEN_CLOSE)) + "]")


def balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``text[start:end]`` by an adjacent closing (opening) quote or bracket that it opens
    (closes) but lacks: 新时代“枫桥经验 → 新时代“枫桥经验”."""
    if not _BRACKET.search(text, start, end):
        return start, end  # no quote or bracket inside: nothing to balance
    for op, cl in _OPEN_CLOSE:
        seg = text[start:end]
        if seg.count(op) > seg.count(cl) and end < len(text) and text[end] == cl:
            end += 1
        elif seg.count(cl) > seg.count(op) and start > 0 and text[start - 1] == op:
            start -= 1
    return start, end


@dataclass
class Thesaurus:
    """Curated programs (TTL + promoted candidates), their aliases, and the matcher."""

    programs: dict[str, Program]
    categories: dict[str, dict[str, str]]  # notation -> {"id", "en"}
    version: str
    keys: dict[str, str]  # match key -> program id
    warnings: list[str] = field(default_factory=list)
    _matcher: Matcher | None = field(default=None, repr=False)

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.keys, stoplist().veto)
        return self._matcher

    def __len__(self) -> int:
        return len(self.programs)

    def __iter__(self):
        return iter(self.programs.values())

    def get(self, ref: str) -> Program | None:
        """A program by IRI, slug, prefLabel or any alias (variants tolerated)."""
        if not ref:
            return None
        if ref in self.programs:
            return self.programs[ref]
        if ref.startswith(PROGRAM_NS):
            return None
        slugged = self.programs.get(PROGRAM_NS + ref)
        if slugged is not None:
            return slugged
        pid = self.keys.get(match_key(ref))
        return self.programs.get(pid) if pid else None

    def find(self, text: str, sq: Squeezed | None = None) -> list[tuple[Program, int, int]]:
        """Programs named in normalised ``text``: ``(program, start, end)`` spans of ``text``."""
        sq = sq if sq is not None else squeeze(text)
        out = []
        for pid, s, e in self.matcher.find(sq.text):
            a, b = balance(text, *sq.span(s, e))
            out.append((self.programs[pid], a, b))
        return out


# ---------------------------------------------------------------------------------------------
# loading

_lock = threading.Lock()
_cache: dict[str, tuple[Any, Thesaurus]] = {}  # overlay path -> (file signatures, thesaurus)
_curation_override: Path | None = None


def set_curation(path: str | os.PathLike[str] | None) -> None:
    """Use the overlay at ``path`` (None: the default, ``$KG_CURATION``/decisions.jsonl)."""
    global _curation_override
    _curation_override = Path(path) if path else None


def curation_path() -> Path:
    if _curation_override is not None:
        return _curation_override
    from kg.settings import curation_dir

    return curation_dir() / "decisions.jsonl"


def _sig(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_mtime_ns, st.st_size)


def load(curation: str | os.PathLike[str] | None = None) -> Thesaurus:
    """The thesaurus with the overlay's program decisions applied (cached per file state)."""
    cur = Path(curation) if curation else curation_path()
    sig = (_sig(TTL_PATH), _sig(STOPLIST_PATH), _sig(cur))
    with _lock:
        hit = _cache.get(str(cur))
        if hit is not None and hit[0] == sig:
            return hit[1]
        th = _build(cur)
        if len(_cache) >= 8:
            _cache.clear()
        _cache[str(cur)] = (sig, th)
        return th


def version(curation: str | os.PathLike[str] | None = None) -> str:
    """Short sha256 of the TTL, the stop list and the program decisions of the overlay."""
    return load(curation).version


@lru_cache(maxsize=2)
def _parse_ttl(
    path: str, mtime: int, size: int
) -> tuple[bytes, list[Program], dict[str, dict[str, str]]]:
    import rdflib

    raw = Path(path).read_bytes()
    g = rdflib.Graph()
    g.parse(data=raw.decode("utf-8"), format="turtle")
    skos = rdflib.Namespace(_SKOS)
    fz = rdflib.Namespace(_FZ)
    scheme = rdflib.URIRef(_FZ + "programScheme")
    categories: dict[str, dict[str, str]] = {}
    for c in g.subjects(rdflib.URIRef(_RDF_TYPE), skos.Concept):
        if str(c).startswith(CATEGORY_NS):
            notation = g.value(c, skos.notation)
            if notation is not None:
                en = next(
                    (
                        str(o)
                        for o in g.objects(c, skos.prefLabel)
                        if getattr(o, "language", None) == "en"
                    ),
                    "",
                )
                categories[str(notation)] = {"id": str(c), "en": en}
    programs: list[Program] = []
    for c in sorted(set(g.subjects(skos.inScheme, scheme)), key=str):
        zh = en = None
        for o in g.objects(c, skos.prefLabel):
            lang = getattr(o, "language", None)
            if lang == "en":
                en = str(o)
            elif zh is None or lang == "zh":
                zh = str(o)
        if not zh:
            continue
        alts = tuple(
            sorted(
                str(o) for o in g.objects(c, skos.altLabel) if getattr(o, "language", None) != "en"
            )
        )
        hidden = tuple(sorted(str(o) for o in g.objects(c, skos.hiddenLabel)))
        cat = g.value(c, fz.category)
        bl = g.value(c, fz.borderline)
        programs.append(
            Program(
                id=str(c),
                pref=zh,
                en=en,
                category=str(cat) if cat is not None else None,
                aliases=tuple(dict.fromkeys(a for a in alts + hidden if a != zh)),
                broader=tuple(sorted(str(b) for b in g.objects(c, skos.broader))),
                borderline=bool(bl.toPython()) if bl is not None else False,
            )
        )
    return raw, programs, categories


def _program_decisions(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    if not path.exists():
        return [], []
    from kg.curation import Curation

    c = Curation(path)
    return c.program_decisions(), list(c.errors)


def _build(cur: Path) -> Thesaurus:
    ttl_sig = _sig(TTL_PATH)
    if ttl_sig is None:
        raise FileNotFoundError(f"{TTL_PATH}: the program thesaurus is missing")
    raw, base, categories = _parse_ttl(*ttl_sig)
    stop = stoplist()
    decisions, warnings = _program_decisions(cur)
    programs: dict[str, Program] = {p.id: p for p in base}
    keys: dict[str, str] = {}

    def add_keys(p: Program, override: bool = False) -> None:
        for label in p.labels:
            key = match_key(label)
            if len(key) < 2 or key in stop.area:
                continue
            for k in _key_variants(key):
                if k in keys and keys[k] != p.id and not override:
                    warnings.append(
                        f"thesaurus: {label!r} names both {keys[k]} and {p.id}; kept the first"
                    )
                    continue
                keys[k] = p.id

    for p in base:
        add_keys(p)
    for d in decisions:
        try:
            _apply(d, programs, keys, categories, add_keys, warnings)
        except (
            KeyError,
            TypeError,
            ValueError,
        ) as exc:  # a malformed decision never breaks a build
            warnings.append(f"curation: cannot apply {d!r}: {exc}")
    blob = json.dumps(
        [{k: v for k, v in d.items() if k != "at"} for d in decisions],
        ensure_ascii=False,
        sort_keys=True,
    )
    h = hashlib.sha256()
    h.update(raw)
    h.update(stop.digest.encode())
    h.update(blob.encode("utf-8"))
    return Thesaurus(programs, categories, h.hexdigest()[:16], keys, warnings)


def _apply(d, programs, keys, categories, add_keys, warnings) -> None:
    op = d.get("op")
    if op == "promote":
        label = str(d["label"]).strip()
        pref = str(d.get("pref") or label).strip()
        existing = keys.get(match_key(pref)) or keys.get(match_key(label))
        if existing and not programs[existing].promoted:
            warnings.append(
                f"curation: {label!r} is already curated as {existing}; promote ignored"
            )
            return
        slug = str(d.get("slug") or slugify(label))
        pid = PROGRAM_NS + slug
        if pid in programs and not programs[pid].promoted:
            pid = PROGRAM_NS + slug + "-c"
        category = d.get("category") or None
        if category and category not in categories:
            warnings.append(f"curation: unknown category {category!r} for {label!r}")
        aliases = tuple(a for a in dict.fromkeys([label, *(d.get("aliases") or [])]) if a != pref)
        old = programs.get(pid)
        if old is not None:  # a later promote of the same slug supersedes: drop its keys
            for k in [k for k, v in keys.items() if v == pid]:
                del keys[k]
        p = Program(
            pid, pref, d.get("en") or None, category, aliases, (), bool(d.get("borderline")), True
        )
        programs[pid] = p
        add_keys(p, override=True)
    elif op == "alias":
        from dataclasses import replace

        ref = str(d["program"])
        alias = str(d["alias"]).strip()
        pid = (
            ref
            if ref in programs
            else (PROGRAM_NS + ref if PROGRAM_NS + ref in programs else keys.get(match_key(ref)))
        )
        if pid is None:
            warnings.append(f"curation: alias {alias!r}: unknown program {ref!r}")
            return
        p = programs[pid]
        if alias not in p.labels:
            p = replace(p, aliases=(*p.aliases, alias))
            programs[pid] = p
        key = match_key(alias)
        if len(key) < 2:
            warnings.append(f"curation: alias {alias!r} is too short to match")
            return
        for k in _key_variants(key):
            if keys.get(k) not in (None, pid):
                warnings.append(f"curation: alias {alias!r} moved from {keys[k]} to {pid}")
            keys[k] = pid
