"""Programs: curated ones from the thesaurus, and candidates discovered in quotes.

One fact per mention, kind ``program``; the graph merges mentions into entities and scoring
groups them by label (FACTS.md).

- **Curated**: every match of the thesaurus matcher (``extractors.thesaurus``) outside a
  document title (《…》): label = the prefLabel, id = the concept IRI, attrs ``candidate=False``,
  ``category``, ``borderline``. The longest match wins (八五普法规划 is 八五普法).
- **Candidates**: a quoted term (“…”, "…", ‘…’, 「…」) of 3–12 characters that looks like a named
  program: it carries a cue (机制, 窗口, 清单, 工作法, 联动 …; ends with 制度/改革/平台/经验 …;
  starts with 一网/一窗/一件事 …; two numerals as in 一基准四清单/四所一庭/百律联千企) or is
  directly followed by one (“三书同达”机制, “清远粤执法”平台, “百律联千企”活动; a chain
  “大学习”“大练兵”“大比武”活动 shares the cue), and it is none of: inside a title, overlapping a
  curated match, a slogan or generic word of the stop list, a title (…要点, …方案), a year-led
  phrase, a list (、), pure numerals, an "N个…" slogan, a place name alone. A term of ASCII only
  (“1+N”) needs the following cue and keeps it in its label (1+N行动). Label = the term, id =
  ``…/program/candidate/<pinyin slug>``, ``candidate=True``, lower confidence. Later unquoted
  mentions of a discovered term in the same report are facts too. Candidates never merge
  with curated programs: a promoted candidate is curated (``kg.programs.promote``).

>>> from kg.model import Report
>>> from extractors.pipeline import Runner
>>> text = "一、主要举措\\n深化“放管服”改革,积极推行“三书同达”机制。\\n二、下一步工作打算\\n扎实推进“三项制度”落实。"
>>> r = Runner(["segment", "programs"]).run(Report(id="r", version="v", source="r", text=text))
>>> [(f.label, f.mention.surface, f.attrs["candidate"], f.section) for f in r.facts]
[('放管服', '“放管服”改革', False, 'achievements'), ('行政执法三项制度', '三项制度', False, 'plans'), ('三书同达', '三书同达', True, 'achievements')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from extractors import thesaurus
from extractors.pipeline import Doc, component
from extractors.thesaurus import Squeezed, Stoplist, candidate_iri, match_key, squeeze, stoplist
from kg.model import Fact

__all__ = ["VERSION", "is_candidate_term", "programs"]

VERSION = 1
REF = f"programs@{VERSION}"
CURATED_CONFIDENCE = 0.95
BORDERLINE_CONFIDENCE = 0.8
CANDIDATE_CONFIDENCE = 0.5

_TITLE = re.compile(r"《[^《》\n]{0,200}》")
_QUOTES = re.compile(
    r"“(?P<a>[^“”\n]{1,40})”|\"(?P<b>[^\"\n]{1,40})\"|‘(?P<c>[^‘’“”\n]{1,40})’|「(?P<d>[^「」\n]{1,40})」"
)
_NUM = "一二三四五六七八九十百千万两双"
_ALL_NUMERALS = re.compile(rf"[0-9{_NUM}零〇.+%]+")
_TWO_NUMERALS = re.compile(rf"[{_NUM}][^{_NUM}]{{1,4}}[{_NUM}]")
_N_GE = re.compile(rf"[{_NUM}]+[个大]")
_YEAR_LED = re.compile(r"(?:19|20)\d\d")
_LIST_PUNCT = re.compile(r"[、,，;；。:：!！?？/]")
_SPACE = re.compile(r"\s+")
_NOT_END_ZHI = frozenset({"体制", "法制", "编制", "控制", "管制", "抵制", "限制", "专制", "强制", "机制",
                          "建制", "税制", "学制", "研制", "复制", "绘制", "印制", "压制"})  # fmt: skip


def _end_cue(key: str, stop: Stoplist) -> bool:
    for c in stop.cue_end:
        if key.endswith(c):
            rest = len(key) - len(c)
            if c == "制" and key[-2:] in _NOT_END_ZHI:
                continue
            if rest >= (2 if c in ("制", "经验") else 3):
                return True
    return False


def _follow_cue(after: str, stop: Stoplist) -> str | None:
    """The cue right after a closing quote (with up to 2 characters between for cue_after2)."""
    after = after.lstrip()
    for c in sorted(stop.cue_after, key=len, reverse=True):
        if after.startswith(c):
            return c
    for c in sorted(stop.cue_after2, key=len, reverse=True):
        i = after.find(c, 0, 2 + len(c))
        if 0 < i <= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in after[:i]):
            return after[: i + len(c)]
    return None


_PLACE_SUFFIXES = ("", "市", "县", "区", "镇", "乡", "省", "街道")


def _is_place(label: str, stop: Stoplist) -> bool:
    """A place name alone (清远), or a slogan made of a place and a prefix (法治中村, 平安大河)."""
    try:
        from kg.gazetteer import load

        gaz = load()
    except Exception:  # pragma: no cover - no gazetteer: never a reason to fail
        return False
    if gaz.lookup(label):
        return True
    for pre in stop.place_prefix:
        rest = label[len(pre) :]
        if (
            label.startswith(pre)
            and rest
            and any(gaz.lookup(rest + s) for s in _PLACE_SUFFIXES if len(rest + s) >= 2)
        ):
            return True
    return False


def is_candidate_term(term: str, after: str = "", stop: Stoplist | None = None) -> str | None:
    """The candidate label for quoted ``term`` followed by ``after``, or None if it is not one.

    >>> is_candidate_term("无差别综合窗口"), is_candidate_term("1+N", "行动(即1名"), is_candidate_term("四个意识")
    ('无差别综合窗口', '1+N行动', None)
    """
    found = _qualify(term, after, stop or stoplist())
    return found[0] + found[1] if found else None


def _qualify(term: str, after: str, stop: Stoplist) -> tuple[str, str] | None:
    """(label, cue kept in the label) for a quoted term, or None."""
    label = _SPACE.sub("", term).strip()
    key = match_key(label)
    if not 3 <= len(key) <= 12 or _LIST_PUNCT.search(label):
        return None
    if _ALL_NUMERALS.fullmatch(key) or _YEAR_LED.match(key) or _N_GE.match(key):
        return None
    if key in stop.generic or any(s in key for s in stop.slogan):
        return None
    if any(key.endswith(t) for t in stop.title):
        return None
    follow = _follow_cue(after, stop)
    if all(ch.isascii() for ch in key):
        return (label, follow) if follow else None
    intrinsic = (
        any(c in key for c in stop.cue_in)
        or any(key.startswith(c) for c in stop.cue_start)
        or _end_cue(key, stop)
        or bool(_TWO_NUMERALS.match(key))
    )
    if not (intrinsic or follow) or _is_place(label, stop):
        return None
    return label, ""


class _Spans:
    """Sorted, non-overlapping spans with an overlap test."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, s: int, e: int) -> bool:
        # the last span starting before ``e`` decides: earlier ones end before it starts
        i = bisect_right(self.starts, e - 1) - 1
        return i >= 0 and self.spans[i][1] > s

    def add(self, s: int, e: int) -> None:
        i = bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.spans.insert(i, (s, e))


@component("programs", VERSION, requires=("sentences",), provides="programs")
def programs(doc: Doc) -> Iterator[Fact]:
    """Curated programs (thesaurus) and candidate programs (quoted named terms)."""
    norm = doc.norm
    if not norm:
        return
    th = thesaurus.load()
    sq = squeeze(norm)
    titles = _Spans([(m.start(), m.end()) for m in _TITLE.finditer(norm)])
    taken: list[tuple[int, int]] = []
    for p, s, e in th.find(norm, sq):
        if titles.overlaps(s, e):
            continue
        taken.append((s, e))
        yield doc.fact_from_view(
            "program", p.pref, s, e, REF,
            id=p.id, candidate=False, category=p.category, borderline=p.borderline,
            confidence=BORDERLINE_CONFIDENCE if p.borderline else CURATED_CONFIDENCE,
        )  # fmt: skip
    yield from _candidates(doc, norm, sq, titles, _Spans(taken))


def _candidates(doc: Doc, norm: str, sq: Squeezed, titles: _Spans, taken: _Spans) -> Iterator[Fact]:
    stop = stoplist()
    quotes = []
    for m in _QUOTES.finditer(norm):
        g = next(n for n in "abcd" if m.group(n) is not None)
        quotes.append((m.start(), m.end(), m.start(g), m.end(g)))
    if not quotes:
        return
    # a chain “A”“B”、“C”cue: every quote of the chain is followed by the chain's cue
    after = [norm[q[1] : q[1] + 8] for q in quotes]
    for i in range(len(quotes) - 2, -1, -1):
        gap = norm[quotes[i][1] : quotes[i + 1][0]]
        if gap in ("", "、"):
            after[i] = after[i + 1]
    labels: dict[str, str] = {}  # match key -> label
    emitted = _Spans([])
    for (qs, qe, s, e), aft in zip(quotes, after, strict=True):
        if titles.overlaps(qs, qe) or taken.overlaps(qs, qe):
            continue
        term = norm[s:e]
        if all(ch.isascii() for ch in match_key(term)):
            aft = norm[qe : qe + 8]  # an ASCII term keeps its own cue: “1+N”行动
        found = _qualify(term, aft, stop)
        if found is None:
            continue
        label, cue = found
        if cue:
            vs = qs
            ve = qe + (len(aft) - len(aft.lstrip())) + len(cue)
        else:
            vs, ve = s, e
            while vs < ve and norm[vs].isspace():
                vs += 1
            while ve > vs and norm[ve - 1].isspace():
                ve -= 1
        label += cue
        if ve <= vs or emitted.overlaps(vs, ve):
            continue
        emitted.add(vs, ve)
        labels.setdefault(match_key(label), label)
        yield _candidate_fact(doc, label, vs, ve)
    if not labels:
        return
    # unquoted later mentions of the discovered terms
    import ahocorasick_rs

    keys = list(labels)
    ac = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    for idx, s, e in ac.find_matches_as_indexes(sq.text):
        vs, ve = sq.span(s, e)
        if emitted.overlaps(vs, ve) or taken.overlaps(vs, ve) or titles.overlaps(vs, ve):
            continue
        emitted.add(vs, ve)
        yield _candidate_fact(doc, labels[keys[idx]], vs, ve)


def _candidate_fact(doc: Doc, label: str, vs: int, ve: int) -> Fact:
    return doc.fact_from_view(
        "program", label, vs, ve, REF,
        id=candidate_iri(label), candidate=True, category=None, borderline=False,
        confidence=CANDIDATE_CONFIDENCE,
    )  # fmt: skip
