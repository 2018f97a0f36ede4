"""Documents: every title inside 《》, its role (issued by the reporter or cited) and its identity.

One fact per occurrence (FACTS.md "Documents"): ``label`` and ``title`` are the title exactly as
written (without the brackets); the mention is the whole 《…》 span, brackets included, so
``text[start:end] == mention``. A title nested inside another (〈…〉 ‹…› <…> «…» or a second 《…》)
is a separate cited document whose mention is the inner bracketed span; a title cut off by the
end of the text counts with what survives (``truncated``); an unclosed 《 in the middle of the
text never swallows the rest: a title must close within :data:`CAP` characters and before a
sentence end, otherwise only a short run that ends like a document (…法, …方案) is kept.

Role: ``issued`` when the reporting jurisdiction or one of its agencies issued, drafted or
published it: its own name at the head of the title (盖州市…, 中共那曲市色尼区委…, 区委…, a former
name of the place), an issuing verb (印发, 制定, 出台 … see ``data/document_cues.tsv``) with no
other actor named, or a drafting phrase after it (《…》修订工作); ``cited`` otherwise: laws,
titles headed by another place or a central organ, a citing verb (根据, 按照, 贯彻落实 …), an
actor that is not the reporter (国务院办公厅《…》, 省政府印发的《…》), nested titles. All
occurrences of one document in a report share the role and issuer of its strongest evidence.

Identity (DESIGN.md "Documents"): ``id`` is ``"|".join(kg.iri.document_key(...))`` over the
``canonical`` title: a law, a document of a central organ and a cited document without a named
issuer by title alone; anything else by title + issuer (the reporter, ``issuer_inferred``, for an
issued document whose issuer the text does not name).

>>> from kg.model import Report
>>> from extractors.pipeline import Runner
>>> text = "2024年,盖州市坚持依法行政。出台《盖州市2024年普法依法治理工作要点》,认真贯彻落实《法治政府建设实施纲要(2021-2025年)》。"
>>> res = Runner(["segment", "reporter", "documents"]).run(Report(id="r", version="v", source="r", text=text))
>>> [(f.label, f.attrs["role"], f.attrs["issuer"], f.attrs["doc_kind"]) for f in res.facts]
[('盖州市2024年普法依法治理工作要点', 'issued', '盖州市', 'key_points'), ('法治政府建设实施纲要(2021-2025年)', 'cited', None, 'plan')]
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.pipeline import Doc, component
from kg.iri import document_key
from kg.textnorm import normalize

__all__ = [
    "CAP",
    "TitleSpan",
    "canonical_title",
    "doc_kind",
    "documents",
    "find_titles",
    "law_canonical",
    "title_years",
]

VERSION = 1
COMP = f"documents@{VERSION}"
DATA = Path(__file__).parent / "data"
CAP = 100  # longest title (characters of the normalised view) a 《 may open

# ------------------------------------------------------------------------------ data tables


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """Title suffix -> document kind (data/document_kinds.tsv)."""
    return {r["suffix"]: r["kind"] for r in _rows("document_kinds.tsv")}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, tuple[str, str]]:
    """Normalised alias -> (canonical title, kind) (data/law_aliases.tsv)."""
    out: dict[str, tuple[str, str]] = {}
    for r in _rows("law_aliases.tsv"):
        out[_canon_text(r["alias"])] = (_canon_text(r["canonical"]), r["kind"])
        out.setdefault(_canon_text(r["canonical"]), (_canon_text(r["canonical"]), r["kind"]))
    return out


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    """Cue words by type (data/document_cues.tsv)."""
    out: dict[str, list[str]] = {}
    for r in _rows("document_cues.tsv"):
        out.setdefault(r["type"], []).append(r["word"])
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in out.items()}


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, words)) if words else "(?!)"


@lru_cache(maxsize=1)
def _verb_re() -> tuple[re.Pattern[str], dict[str, str]]:
    c = _cues()
    types = {w: t for t in ("neutral", "cite", "issue") for w in c.get(t, ())}
    words = tuple(sorted(types, key=len, reverse=True))
    return re.compile(_alt(words)), types


@lru_cache(maxsize=1)
def _action_re() -> re.Pattern[str]:
    """Issuing and citing verbs (an actor phrase contains none)."""
    c = _cues()
    return re.compile(
        _alt(tuple(sorted(c.get("issue", ()) + c.get("cite", ()), key=len, reverse=True)))
    )


@lru_cache(maxsize=1)
def _after_re() -> re.Pattern[str]:
    c = _cues()
    return re.compile(
        "^(?:(?P<issue>{})|(?P<cite>{}))".format(
            _alt(c.get("issue_after", ())), _alt(c.get("cite_after", ()))
        )
    )


@lru_cache(maxsize=1)
def _column_re() -> re.Pattern[str]:
    return re.compile("^(?:{})".format(_alt(_cues().get("column_after", ()))))


@lru_cache(maxsize=1)
def _adverb_tail_re() -> re.Pattern[str]:
    return re.compile("(?:{})+$".format(_alt(_cues().get("adverb", ()))))


@lru_cache(maxsize=1)
def _filler_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    f = _alt(_cues().get("filler", ()))
    return re.compile(f"^(?:{f})+"), re.compile(f"(?:{f})+$")


@lru_cache(maxsize=1)
def _org_suffix_re() -> re.Pattern[str]:
    return re.compile("(?:{})$".format(_alt(_cues().get("org_suffix", ()))))


@lru_cache(maxsize=1)
def _central_re() -> re.Pattern[str]:
    return re.compile("^(?:{})".format(_alt(_cues().get("central", ()))))


@lru_cache(maxsize=1)
def _external_re() -> re.Pattern[str]:
    return re.compile(_alt(_cues().get("external", ())))


@lru_cache(maxsize=1)
def _agency_words() -> tuple[str, ...]:
    """Agency type words (data/agency_types.tsv, shared with the reporter) for short forms."""
    try:
        from extractors.reporter import agency_types

        words = {a for t in agency_types() for a in t.aliases}
    except Exception:  # pragma: no cover - the reporter's table is missing
        words = set()
    words |= {
        "委",
        "政府",
        "人民政府",
        "党委",
        "党工委",
        "人大",
        "人大常委会",
        "政协",
        "纪委",
        "委员会",
    }
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _short_org_re() -> re.Pattern[str]:
    """A short-form agency: 市司法局, 省政府, 区委, 自治区党委 (the suffix rule resolves it)."""
    return re.compile(
        f"^(自治区|自治州|[省市县区镇乡州旗])(?!场|民|长)({_alt(_agency_words())})([\u4e00-\u9fff]{{0,12}})"
    )


@lru_cache(maxsize=1)
def _zone_words() -> tuple[str, ...]:
    try:
        words = {a for r in _rows("zone_types.tsv") for a in r["aliases"].split("|") if a}
    except (OSError, KeyError):  # pragma: no cover
        words = set()
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _gazetteer():
    from kg.gazetteer import load

    return load()


# ------------------------------------------------------------------------------ text helpers

_GLOSS = re.compile(r"\((?:[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}\s*){1,3}\)")  # 發(fā)展
_DASH = str.maketrans({c: "-" for c in "—–―－‐‑⁃~～〜"})
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_DASH_OR_QUOTE = re.compile("[" + re.escape("—–―－‐‑⁃~～〜" + "\"'“”‘’「」『』") + "]")
_WS = re.compile(r"\s+")
_TRAIL_QUAL = re.compile(r"(?:\([^()]{0,30}\)|[\"“”'‘’<>〈〉‹›«»]|——.*)$")
_REVISION = re.compile(
    r"\((?:(?:19|20)\d{2}年)?[^()]{0,8}(?:修订|修正|修改|草案|试行|征求意见稿|全文)[^()]{0,6}\)$"
)
_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*-\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"((?:19|20)\d{2})(?=\s*年)|\(((?:19|20)\d{2})\)")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})年")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_DOC_NO = re.compile(
    r"^\s*\(\s*([^\s()]{1,24}?\s*[〔\[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*第?\s*\d{1,5}\s*号)\s*\)"
)
_STOP = frozenset("。!?;\n\r！？；")
_SCAN = re.compile(r"[《》。!?;\n\r！？；]")
_STOP_RE = re.compile(r"[。!?;\n\r！？；]")
_BOUNDARY = frozenset("。!?;\n\r,:！？；，：")
_NEST = {"〈": "〉", "‹": "›", "<": ">", "«": "»", "⟨": "⟩", "《": "》"}
_LENIENT_CUT = re.compile(r"[,，、。!?;；:：\n\r《》〈〉<>“”\"'‘’()\s]")
_SEPARATORS = re.compile(r"^(?:\s|[、,，]|以及|和|及|与|或|暨|\([^()]{0,40}\))*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_AFTER_SKIP = re.compile(
    r"^(?:\s|\([^()]{0,40}\))*(?:等(?:重要|相关|各类|一系列|系列)?(?:文件|法律法规|法规|制度|规定)?)?(?:的(?=出台|制定|起草|修订|编制|要求|精神|规定|文件))?"
)
_ENUM_HEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+是|同时|此外|另外|其中|并|还|(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月(?:\d{1,2}日)?|今年以来|年内|全年|近年来)+"
)
_PRONOUN = re.compile(r"^(?:我|本|全)([省市县区镇乡州旗局委办厅部院所])")
_TITLE_HEAD_SKIP = re.compile(r"^(?:(?:19|20)\d{2}(?:-(?:19|20)\d{2})?年度?|中共|中国共产党)+")
_LEVEL_SUFFIX = re.compile(
    r"(?:特别行政区|自治区|自治州|自治县|自治旗|街道办事处|街道|新区|地区|[省市县区旗盟镇乡])$"
)
_ORG_BEFORE_GUANYU = re.compile(r"^(.{2,30}?)关于")
_STRONG_KINDS = frozenset(
    {"law", "regulation", "rule", "plan", "scheme", "opinion", "key_points", "notice", "decision",
     "list", "report", "guideline", "standard"}
)  # fmt: skip


def _strip_gloss(s: str) -> str:
    return _GLOSS.sub("", s) if "(" in s else s


def _canon_text(s: str) -> str:
    """NFKC + simplified, pinyin glosses, spaces and quotes removed, dashes unified."""
    t = _WS.sub("", _strip_gloss(normalize(s)))
    if _DASH_OR_QUOTE.search(t):  # else both tables leave it as it is
        t = t.translate(_DASH).translate(_QUOTES)
    return t


def _bare(title: str) -> str:
    """A canonical title without trailing qualifiers ((试行), (2021-2025年), quotes)."""
    t = title
    for _ in range(4):
        u = _TRAIL_QUAL.sub("", t)
        if u == t or len(u) < 2:
            break
        t = u
    return t


def doc_kind(title: str, after: str = "") -> str:
    """The kind of a document from its title's suffix (data/document_kinds.tsv).

    ``after`` is the text right after the closing bracket (《以案释法》栏目 is a column).

    >>> doc_kind("清远市实施执法“观察期”制度工作指引(试行)"), doc_kind("民法典"), doc_kind("以案释法", "栏目组织")
    ('guideline', 'law', 'column')
    """
    if after and _column_re().match(after):
        return "column"
    t = _canon_text(title)
    hit = _aliases().get(_REVISION.sub("", t))
    if hit:
        return hit[1]
    t = _bare(t)
    kinds = _kinds()
    for k in range(min(len(t), 8), 0, -1):
        kind = kinds.get(t[-k:])
        if kind:
            return kind
    return "other"


def law_canonical(title: str) -> str | None:
    """The canonical title of a national law or listed regulation, else None.

    >>> law_canonical("社会治安管理处罚法"), law_canonical("反有组织犯罪法"), law_canonical("钟山区2022年法治政府建设工作要点")
    ('中华人民共和国治安管理处罚法', '中华人民共和国反有组织犯罪法', None)
    """
    t = _REVISION.sub("", _canon_text(title))
    hit = _aliases().get(t) or _aliases().get(t.removeprefix("中华人民共和国"))
    if hit:
        return hit[0]
    if doc_kind(t) != "law" or len(t) < 3 or _head_place(t) is not None:
        return None
    return t if t.startswith("中华人民共和国") else "中华人民共和国" + t


def canonical_title(title: str) -> str:
    """The identity form of a title: normalised, glosses removed, dashes unified, aliases applied.

    >>> canonical_title("法治政府建设实施纲要(2021—2025年)"), canonical_title("民法典")
    ('法治政府建设实施纲要(2021-2025年)', '中华人民共和国民法典')
    """
    return law_canonical(title) or _canon_text(title)


def title_years(title: str) -> tuple[int | None, str | None]:
    """(year, years) named by a title: 2024年 -> (2024, None); (2021—2025年) -> (None, '2021-2025').

    >>> title_years("提升行政执法质量三年行动计划(2023—2025年)"), title_years("盖州市2024年普法依法治理工作要点")
    ((None, '2023-2025'), (2024, None))
    """
    t = _canon_text(title)
    m = _RANGE.search(t)
    if m and int(m.group(1)) <= int(m.group(2)):
        return None, f"{m.group(1)}-{m.group(2)}"
    m = _YEAR.search(t)
    if m:
        return int(m.group(1) or m.group(2)), None
    m = _CN_YEAR.search(t)
    if m:
        y = int("".join(_CN_DIGIT[c] for c in m.group(1)))
        if 1949 <= y <= 2099:
            return y, None
    return None, None


# ------------------------------------------------------------------------------ title spans


@dataclass(slots=True)
class TitleSpan:
    """A title in the normalised view: ``start``/``end`` include the brackets, ``tstart``/``tend`` not.

    ``status``: closed | truncated (cut off by the end of the text) | unclosed (no closing
    bracket before a sentence end; only a short run that ends like a document is kept).
    """

    start: int
    end: int
    tstart: int
    tend: int
    status: str = "closed"
    nested: bool = False


def _close_of(s: str, i: int, limit: int) -> int:
    """Index of the 》 closing the 《 at ``i`` (nesting counted), -1 at a stop or the limit,
    -2 when the text ends first."""
    n = len(s)
    end = min(n, limit)
    if s.find("》", i + 1, end) < 0:  # no closing bracket in reach
        return -1 if end < n or _STOP_RE.search(s, i + 1, end) else -2
    depth = 0
    for m in _SCAN.finditer(s, i + 1, end):
        ch = m.group(0)
        if ch == "》":
            if depth == 0:
                return m.start()
            depth -= 1
        elif ch == "《":
            depth += 1
        else:
            return -1
    return -2 if end >= n else -1


def _nested(s: str, lo: int, hi: int) -> list[TitleSpan]:
    """Titles nested inside ``s[lo:hi]`` (one level)."""
    out: list[TitleSpan] = []
    k = lo
    while k < hi:
        ch = s[k]
        closer = _NEST.get(ch)
        if closer is None:
            k += 1
            continue
        if ch == "《":
            c = _close_of(s, k, hi)
            c = c if 0 <= c < hi else -1
        else:
            c = s.find(closer, k + 1, hi)
        if c > k + 2 and _CJK.search(s, k + 1, c) and "<" not in s[k + 1 : c]:
            out.append(TitleSpan(k, c + 1, k + 1, c, "closed", True))
            k = c + 1
        else:
            k += 1
    return out


def find_titles(s: str) -> list[TitleSpan]:
    """Every 《…》 title of the (normalised) text ``s`` and the titles nested inside them.

    >>> [(s.tstart, s.tend, s.status, s.nested) for s in find_titles("制发《关于落实〈河北省办法〉的意见》")]
    [(3, 17, 'closed', False), (8, 13, 'closed', True)]
    >>> [s.status for s in find_titles("贯彻执行《潼关县人民政府办公室关于加强")]
    ['truncated']
    """
    out: list[TitleSpan] = []
    n = len(s.rstrip())
    i = s.find("《")
    while 0 <= i < n:
        c = _close_of(s[:n], i, i + 1 + CAP)
        if c >= 0:
            lo, hi = i + 1, c
            inner = s[lo:hi].strip()
            if (
                inner.startswith("《")
                and inner.endswith("》")
                and _close_of(s, s.index("《", lo), hi + 1) == s.rindex("》", lo, hi)
            ):
                lo, hi = s.index("《", lo) + 1, s.rindex("》", lo, hi)  # 《《X》》: one title
            if any(ch.isalpha() for ch in s[lo:hi]):
                out.append(TitleSpan(i, c + 1, lo, hi))
                out.extend(_nested(s, lo, hi))
            i = s.find("《", c + 1)
            continue
        if c == -2:  # cut off by the end of the text: what survives
            hi = n
            while hi > i + 1 and s[hi - 1] in "…." + "".join(_BOUNDARY):
                hi -= 1
            if hi - (i + 1) >= 2 and _CJK.search(s, i + 1, hi):
                out.append(TitleSpan(i, hi, i + 1, hi, "truncated"))
                out.extend(_nested(s, i + 1, hi))
            break
        seg = s[i + 1 : i + 41]
        m = _LENIENT_CUT.search(seg)
        cand = seg[: m.start()] if m else ""
        if len(cand) >= 3 and doc_kind(cand) in _STRONG_KINDS:
            out.append(TitleSpan(i, i + 1 + len(cand), i + 1, i + 1 + len(cand), "unclosed"))
        i = s.find("《", i + 1)
    return out


# ------------------------------------------------------------------------------ the reporter


@dataclass
class _Rep:
    """What the component knows of the reporter: its place, ancestors and department."""

    name: str | None = None
    place: object | None = None
    chain: list = field(default_factory=list)  # the place first, then its ancestors upwards
    ancestor_names: frozenset[str] = frozenset()
    path_names: tuple[str, ...] = ()
    dept: str | None = None
    level: str | None = None
    own_prefixes: tuple[str, ...] = ()  # the reporter's name, aliases and stem (新市街道 -> 新市)

    def own_prefix_len(self, s: str) -> int:
        """Length of the reporter's own name at the start of ``s`` (0 when it is not there)."""
        return next((len(p) for p in self.own_prefixes if s.startswith(p)), 0)

    @property
    def own_issuer(self) -> str | None:
        return self.dept or self.name

    def relation(self, places: list) -> tuple[str, object]:
        """own | ancestor | descendant | other for the best of ``places`` (namesakes)."""
        gaz = _gazetteer()
        best: tuple[int, str, object] | None = None
        for p in places:
            if (
                self.place is not None
                and p.key == getattr(self.place, "key", None)
                or (
                    self.name
                    and p.name == self.name
                    and (self.place is None or p.key == self.place.key)
                )
            ):
                rel = "own"
            elif p.name in self.ancestor_names:
                rel = "ancestor"
            elif self.place is not None and gaz.is_ancestor(self.place, p):
                rel = "descendant"
            elif self.name and p.name == self.name:
                rel = "own"
            else:
                rel = "other"
            rank = ("own", "ancestor", "descendant", "other").index(rel)
            if best is None or rank < best[0]:
                best = (rank, rel, p)
        assert best is not None
        return best[1], best[2]

    def resolve_short(self, ch: str) -> object | None:
        """The nearest place of the chain whose name ends with ``ch`` (the suffix rule)."""
        for p in self.chain:
            if p.name.endswith(ch) or (ch == "区" and p.level == "zone"):
                return p
        return None


def _reporter(doc: Doc) -> _Rep:
    r = doc.report
    j = r.jurisdiction
    rep = _Rep(dept=normalize(r.department) if r.department else None)
    if j is None or not j.name or j.level == "national":
        return rep
    rep.name, rep.level = j.name, j.level
    rep.path_names = tuple(j.path)
    rep.ancestor_names = frozenset(j.path[:-1])
    gaz = _gazetteer()
    place = gaz.get(j.code) if j.code else None
    if place is None:
        cands = [p for p in gaz.lookup(j.name) if p.name == j.name]
        fit = [p for p in cands if gaz.path(p) == list(j.path)]
        place = fit[0] if fit else (cands[0] if len(cands) == 1 else None)
    names = {j.name}
    if place is not None:
        rep.place = place
        rep.chain = [place, *reversed(gaz.ancestors(place))]
        if not rep.ancestor_names:
            rep.ancestor_names = frozenset(a.name for a in rep.chain[1:])
        names |= set(place.aliases)
    stem = _LEVEL_SUFFIX.sub("", j.name)
    if len(stem) >= 2 and stem != j.name:
        names.add(stem)
    rep.own_prefixes = tuple(sorted((n for n in names if len(n) >= 2), key=len, reverse=True))
    return rep


# ------------------------------------------------------------------------------ actors


def _place_prefix(s: str) -> tuple[int, list] | None:
    """The chain of place names at the start of ``s`` (那曲市色尼区): its end and last places."""
    hits = [h for h in _gazetteer().find_all(s[:40]) if h[1] - h[0] >= 2 and h[3]]
    end, places = 0, None
    while True:
        nxt = [h for h in hits if h[0] == end]
        if not nxt:
            break
        h = max(nxt, key=lambda h: h[1])
        end, places = h[1], h[3]
    return (end, places) if places else None


def _head_place(t: str) -> tuple[int, list] | None:
    return _place_prefix(_TITLE_HEAD_SKIP.sub("", t))


def _actor_part(p: str, rep: _Rep) -> tuple[str, str] | None:
    """(relation, issuer name) of one actor phrase, None when it names no organisation."""
    p = p.strip()
    if len(p) < 2:
        return None
    core = p.removeprefix("中共").removeprefix("中国共产党") or p
    if rep.dept and (core == rep.dept or rep.dept.endswith(core) and len(core) >= 3):
        return "own", rep.dept
    m = _PRONOUN.match(core)
    if m:  # 我市, 本局: the reporter (no name when the reporter is unknown)
        return "own", (rep.dept if m.group(1) in "局委办厅部院所" and rep.dept else rep.name) or ""
    if _central_re().match(core):
        return "central", p
    m = _short_org_re().match(core)
    if m and m.end() == len(core):
        place = rep.resolve_short(m.group(1))
        if place is None:
            return "unknown", p
        rel, _ = rep.relation([place])
        return rel, place.name + m.group(2) + m.group(3)
    pp = _place_prefix(core)
    if pp:
        end, places = pp
        rest = core[end:]
        if not rest or _org_suffix_re().search(rest) and len(rest) <= 16:
            rel, place = rep.relation(places)
            return rel, (place.name if not rest and rel == "own" else core)
        return None
    zw = next((w for w in _zone_words() if core.startswith(w)), None)
    if zw and rep.level == "zone" and (core == zw or _org_suffix_re().search(core)):
        return "own", (rep.name + core[len(zw) :]) if rep.name else ""
    if _org_suffix_re().search(core) and len(core) <= 20 and not _action_re().search(core):
        if _external_re().search(core):
            return "external", p
        return "unknown", p
    return None


def _actors(s: str, rep: _Rep) -> tuple[str, str] | None:
    """(relation, issuer) of an actor list (中共中央、国务院; 省委办公厅、省政府办公厅), None if ``s``
    is not one. The relation is other when any actor is not the reporter's."""
    s = s.strip(" 、,")
    if not s or len(s) > 60:
        return None
    parts: list[tuple[str, str]] = []
    for piece in s.split("、"):
        one = _actor_part(piece, rep)
        if one is None:
            subs = [x for x in re.split(r"以及|和|及|与|暨", piece) if x]
            got = [_actor_part(x, rep) for x in subs]
            if len(subs) < 2 or any(g is None for g in got):
                return None
            parts.extend(g for g in got if g)
        else:
            parts.append(one)
    if not parts:
        return None
    rels = {r for r, _ in parts}
    if rels & {"ancestor", "other", "central", "external"}:
        rel = "central" if rels <= {"central", "unknown"} and "central" in rels else "other"
    elif "own" in rels:
        rel = "own"
    elif "descendant" in rels:
        rel = "descendant"
    else:
        rel = "unknown"
    return rel, "、".join(dict.fromkeys(n for _, n in parts if n))


# ------------------------------------------------------------------------------ role evidence


@dataclass
class _Occ:
    span: TitleSpan
    label: str
    title: str  # normalised, glosses removed
    canonical: str
    kind: str
    law: bool
    role: str = "cited"
    basis: str = "default"
    strength: int = 0  # 0 default/after, 1 verb, 2 actor, 3 title head / law / nested
    issuer: str | None = None
    issuer_inferred: bool = False
    central: bool = False
    unresolved: bool = False  # the issuer is a short form the reporter's chain cannot resolve
    cue: tuple[str, str, tuple[str, str] | None] | None = None  # (type, word, actor) for lists
    doc_number: str | None = None
    year: int | None = None
    years: str | None = None


def _title_head(t: str, rep: _Rep) -> tuple[str, str | None] | None:
    """(relation, issuer) named at the head of a title: 盖州市…, 中共中央关于…, 区委…, 国务院办公厅关于…."""
    org = None
    m = _ORG_BEFORE_GUANYU.match(t)
    if m and _org_suffix_re().search(m.group(1)):
        org = m.group(1)
    core = _TITLE_HEAD_SKIP.sub("", t)
    if not core:
        return None
    if rep.dept and core.startswith(rep.dept):
        return "own", rep.dept
    if _PRONOUN.match(core):
        return "own", org or rep.own_issuer
    mc = _central_re().match(core)
    if mc:
        return "central", org or mc.group(0)
    own_len = rep.own_prefix_len(core)
    pp = _place_prefix(core)
    if pp and rep.name is None and rep.dept is None:
        return "unknown", org or pp[1][0].name
    if pp and pp[0] > own_len:
        rel, place = rep.relation(pp[1])
        if rel == "own":
            return rel, org or rep.name
        return rel, org or place.name
    if own_len:
        return "own", org or rep.name
    m2 = _short_org_re().match(core)
    if m2:
        place = rep.resolve_short(m2.group(1))
        if place is not None:
            rel, _ = rep.relation([place])
            return rel, org or place.name + m2.group(2)
    zw = next((w for w in _zone_words() if core.startswith(w)), None)
    if zw and rep.level == "zone":
        return "own", org or rep.name
    if org:
        a = _actors(org, rep)
        if a:
            return a[0], a[1]
    return None


def _before(ctx: str) -> tuple[str, str, int, int] | None:
    """The nearest verb cue in ``ctx``: (type, word, start, end)."""
    rx, types = _verb_re()
    last = None
    for m in rx.finditer(ctx):
        last = m
    if last is None:
        return None
    return types[last.group(0)], last.group(0), last.start(), last.end()


def _clean_gap(g: str) -> str:
    head, tail = _filler_re()
    g = g.strip(" 、,")
    g = re.sub(r"^(?:以及|和|及|与|暨|、|,)+", "", g)
    for _ in range(3):
        g2 = tail.sub("", head.sub("", g)).strip(" 、,")
        if g2 == g:
            break
        g = g2
    return g


def _subject(s: str) -> str:
    s = _ENUM_HEAD.sub("", s.strip(" 、,"))
    if s.startswith(
        ("在", "于", "向", "对", "为", "通过", "经")
    ):  # a place, time or means: no actor
        return ""
    for _ in range(3):
        s2 = _adverb_tail_re().sub("", s)
        if s2 == s:
            break
        s = s2
    return s


def _cue_of(ctx: str, inherited: _Occ | None, rep: _Rep) -> tuple[str, str, tuple[str, str] | None]:
    """(verb type, verb, actor) before a title: the nearest verb of its clause (or of the list
    it continues) and the actor named between the verb and the title (贯彻落实国务院办公厅《…》)
    or, for an issuing verb, before the verb (省政府印发的《…》)."""
    cue = _before(ctx)
    if cue is not None:
        typ, word, cs, ce = cue
        gap = _clean_gap(ctx[ce:])
        actor = _actors(gap, rep) if gap else None
        if typ == "issue" and actor is None:
            prev = max((m.end() for m in _action_re().finditer(ctx[:cs])), default=0)
            subj = _subject(ctx[prev:cs])
            actor = _actors(subj, rep) if subj else None
        return typ, word, actor
    gap = _clean_gap(ctx)
    actor = _actors(gap, rep) if gap else None
    if inherited is not None and inherited.cue is not None:
        typ, word, inh_actor = inherited.cue
        return typ, word, actor or inh_actor
    return "none", "", actor


def _decide(o: _Occ, head, after: str, rep: _Rep) -> None:
    """Set role, basis, strength and issuer of one occurrence from its evidence."""
    if o.span.nested:
        o.role, o.basis, o.strength = "cited", "nested", 3
        if head and head[0] != "own":
            o.issuer, o.central = head[1], head[0] == "central"
        return
    typ, word, actor = o.cue or ("none", "", None)
    if head and head[0] == "own":
        if rep.dept and head[1] != rep.dept and typ == "cite":
            # a department implementing its jurisdiction's document (全面落实《中山市…要点》)
            o.role, o.basis, o.strength, o.issuer = (
                "cited",
                f"title-jurisdiction>verb:{word}",
                1,
                head[1],
            )
            return
        strength = 1 if rep.dept and head[1] != rep.dept else 3
        o.role, o.basis, o.strength, o.issuer = (
            "issued",
            "title-own",
            strength,
            head[1] or rep.own_issuer,
        )
        return
    if o.law:
        o.role, o.basis, o.strength = "cited", "law", 3
        return
    if head and head[0] in ("ancestor", "other", "central"):
        o.role, o.basis, o.strength = "cited", f"title-{head[0]}", 3
        o.issuer, o.central = head[1], head[0] == "central"
        return
    if actor is not None and actor[0] in ("other", "central", "external"):
        o.role, o.basis, o.strength = "cited", f"actor:{actor[1]}", 2
        o.issuer, o.central = actor[1], actor[0] == "central"
        return
    if typ == "issue" or (typ == "none" and actor is not None and actor[0] == "own"):
        o.role, o.basis, o.strength = "issued", f"verb:{word}" if word else "actor", 1
        if actor is not None and actor[1]:
            o.issuer, o.unresolved = actor[1], actor[0] == "unknown"
        return
    if typ == "cite":
        o.role, o.basis, o.strength = "cited", f"verb:{word}", 1
        if actor is not None and actor[1]:
            o.issuer, o.unresolved = actor[1], actor[0] == "unknown"
        return
    m = _after_re().match(after)
    if m and m.group("issue"):
        o.role, o.basis, o.strength = "issued", f"after:{m.group('issue')}", 1
    elif m and m.group("cite"):
        o.role, o.basis = "cited", f"after:{m.group('cite')}"
    if head and head[0] in ("descendant", "unknown") and o.role == "cited":
        o.issuer = head[1]


# ------------------------------------------------------------------------------ the component


def _analyse(doc: Doc) -> tuple[list[_Occ], _Rep]:
    s = doc.norm
    spans = find_titles(s)
    if not spans:
        return [], _Rep()
    rep = _reporter(doc)
    view = doc.view
    occs: list[_Occ] = []
    prev_top: _Occ | None = None
    top_spans = [sp for sp in spans if not sp.nested]
    next_top = {id(a): b for a, b in zip(top_spans, top_spans[1:], strict=False)}
    for sp in spans:
        a, b = view.span(sp.tstart, sp.tend)
        label = doc.text[a:b]
        title = _strip_gloss(s[sp.tstart : sp.tend])
        raw_after = _strip_gloss(s[sp.end : sp.end + 60])
        kind = doc_kind(title, raw_after if sp.status == "closed" else "")
        law = law_canonical(title) if kind in ("law", "regulation", "rule") else None
        o = _Occ(
            sp, label, title, law or _canon_text(title), kind, law is not None and kind == "law"
        )
        o.year, o.years = title_years(title)
        if sp.status == "closed":
            m = _DOC_NO.match(raw_after)
            if m:
                o.doc_number = _WS.sub("", m.group(1))
        head = _title_head(_canon_text(title), rep)
        if sp.nested:
            _decide(o, head, "", rep)
            occs.append(o)
            continue
        # the clause before the title, bounded by the previous title
        lo = max(prev_top.span.end if prev_top else 0, sp.start - 80)
        k = sp.start
        while k > lo and s[k - 1] not in _BOUNDARY:
            k -= 1
        ctx = _strip_gloss(s[k : sp.start])
        between = s[prev_top.span.end : sp.start] if prev_top else ""
        same = prev_top is not None and (
            k == prev_top.span.end or _SEPARATORS.match(between) is not None
        )
        o.cue = _cue_of(ctx, prev_top if same else None, rep)
        # the text after this title, or after the list it closes (《A》《B》等…立法工作)
        e, cur = sp.end, sp
        while (nxt := next_top.get(id(cur))) is not None and _SEPARATORS.match(s[e : nxt.start]):
            e, cur = nxt.end, nxt
        after = _AFTER_SKIP.sub("", _strip_gloss(s[e : e + 40]), count=1)
        _decide(o, head, after, rep)
        occs.append(o)
        prev_top = o
    _consolidate(occs, rep)
    return occs, rep


def _consolidate(occs: list[_Occ], rep: _Rep) -> None:
    """All top-level occurrences of one document share the role and issuer of the strongest."""
    groups: dict[str, list[_Occ]] = {}
    for o in occs:
        if not o.span.nested:
            groups.setdefault(o.canonical, []).append(o)
    for group in groups.values():
        if len(group) > 1:
            best = max(group, key=lambda o: (o.strength, o.role == "issued"))
            for o in group:
                if o is not best and (
                    o.strength < best.strength
                    or o.role != best.role
                    and o.strength == best.strength
                ):
                    o.role, o.issuer, o.central = best.role, best.issuer, best.central
                    o.unresolved = best.unresolved
                    o.basis = f"{o.basis}>{best.basis}"
    for o in occs:
        if o.role == "issued" and not o.issuer and rep.own_issuer:
            o.issuer, o.issuer_inferred = rep.own_issuer, True


@component("documents", VERSION, requires=("sentences", "reporter"), provides="documents")
def documents(doc: Doc):
    """Every title inside 《》 with its role, issuer, kind, year, 文号 and identity key."""
    occs, rep = _analyse(doc)
    spans: list[tuple[int, int]] = []
    facts = []
    for o in occs:
        sp = o.span
        start, end = doc.view.span(sp.start, sp.end)
        if not sp.nested:
            spans.append((start, end))
        issuer_key, inferred = o.issuer, o.issuer_inferred
        if o.law or o.central:
            issuer_key = None
        elif o.unresolved:  # a short form nobody can resolve: the reporter for its own documents
            issuer_key, inferred = (rep.own_issuer, True) if o.role == "issued" else (None, False)
        key = document_key(
            o.canonical,
            role=o.role,
            issuer=issuer_key,
            issuer_inferred=inferred,
            doc_kind="law" if o.law else o.kind,
        )
        conf = {"closed": 0.98, "truncated": 0.8, "unclosed": 0.6}[sp.status]
        facts.append(
            doc.fact_from_view(
                "document",
                o.label,
                sp.start,
                sp.end,
                COMP,
                id="|".join(key),
                confidence=conf,
                title=o.label,
                role=o.role,
                issuer=o.issuer,
                issuer_inferred=o.issuer_inferred,
                doc_kind=o.kind,
                year=o.year,
                years=o.years,
                doc_number=o.doc_number,
                canonical=o.canonical,
                nested=sp.nested,
                truncated=sp.status != "closed",
                role_basis=o.basis,
            )
        )
    doc.annotations["documents"] = spans
    return facts
