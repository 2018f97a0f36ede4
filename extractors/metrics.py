"""Metrics: the numbers that quantify the reporter's work or results (FACTS.md "Metrics").

A metric is a number with a unit (件, 起, 人次, 万元, % … — extractors/data/units.tsv) that counts,
sums or rates something the reporter did or achieved. One fact per number:

- ``mention``: the shortest span holding the subject and the number (受理各类法律援助案件380件);
- ``subject``: the noun phrase counted, leading quantifier and scope words stripped
  (各类法律援助案件 → 法律援助案件); a number whose own clause names no subject inherits the one of
  the metric before it (市法院新收行政诉讼案件68件,审结66件 → 行政诉讼案件 twice); a subject list
  followed by as many bare numbers is shared out (信访量、诉讼量同比下降32.5%24.1%);
- ``value`` as written (7320.9 for 7320.9万元, 100 for 百余), ``unit`` as written with its
  multiplier but without approximation markers (余, 多, 约, 超 … set ``approximate``), and a
  ``base_value``/``base_unit`` for sorting (124余万元 → 1,240,000 元; a percentage stays 100 %);
- ``qualifier``: the aspect (同比下降, 达, 降至) or else the verb governing the subject (受理, 新收);
- ``scope``: multi_year (连续8年 … — never a metric itself), cumulative (累计), as_of (截至),
  other_year (a clause opening with another year than the report's), else annual; ``year``;
- ``metric``: a concept id from extractors/data/metric_concepts.tsv, or None;
- ``agency``: the agency acting in the same sentence (read from the ``agencies`` annotation
  when that component ran, else a plain mention such as 市法院), or None.

Not metrics: years, dates, document numbers, ordinals and ranks (第14次, 排名第1), numbers inside
《titles》 and short quotations (“1310”, “万件清理”), slogans and names made of small Chinese
numerals (三项制度, 两个维护, 十四五, 八五), formulas (1+N), codes and phone numbers, numbers
without a unit. Word lists live in extractors/data/metric_words.tsv.

>>> from kg.model import Report
>>> from extractors.pipeline import Runner
>>> r = Runner(["segment", "reporter", "agencies", "metrics"]).run(Report(id="r", version="v", source="r",
...     text="2024年,盖州市全年受理各类法律援助案件380件,不罚金额达124余万元。"))
>>> [(f.mention.surface, f.attrs["subject"], f.attrs["value"], f.attrs["unit"], f.attrs["base_value"])
...  for f in r.facts if f.kind == "metric"]
[('受理各类法律援助案件380件', '法律援助案件', 380, '件', 380), ('不罚金额达124余万元', '不罚金额', 124, '万元', 1240000)]
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import cn2an

from extractors.pipeline import Doc, Sentence, component
from kg.model import Fact

__all__ = ["Lexicon", "MetricSpan", "find_metrics", "lexicon", "metrics", "parse_number"]

VERSION = 1
COMP = f"metrics@{VERSION}"
DATA = Path(__file__).parent / "data"

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CN_SMALL = set("零〇一二两三四五六七八九十")
_MAGNITUDE = set("十百千万亿")
_LOOKBACK = 160  # a clause is never longer: bounds the work per number on pathological input
_HARD = set(",;。:!?，；：！？\n\r…")
_OPEN = {")": "(", "]": "[", "】": "【", "》": "《", "”": "“", "』": "『", "」": "「"}
_OPENERS = set(_OPEN.values())
_QUOTES = re.compile(
    r"《[^《》]*(?:》|$)|“[^“”]{0,25}”|\"[^\"]{0,25}\"|‘[^‘’]{0,25}’|「[^」]{0,25}」|『[^』]{0,25}』|〈[^〈〉]*〉"
)
_MASK = re.compile(r"“[^“”]*”|\([^()]*\)|《[^《》]*》|\"[^\"]*\"|「[^」]*」|【[^【】]*】")
_YEAR_HEAD = re.compile(
    r"(?:^|[,;:])\s*(?:在|于|自|从|截至|截止)?\s*((?:19|20)\d{2})\s*年(?:度)?(以来)?"
)
_MULTI_YEAR = re.compile(r"连续\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个)?年")
_SCOPE_LEAD = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年(?:度)?(?:以来|期间|全年|上半年|下半年|年底|年末|底|末|内)?|"
    r"连续\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个)?年(?:来)?|"
    r"截[至止](?:目前|今年|当前|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?)?|"
    r"近\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年(?:来)?|"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:份)?(?:以来)?)"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_HAS_NUMBER = re.compile(r"[0-9" + _CN_DIGITS + "]")
# Where a number token can start: ``number_re`` matches at such a character and nowhere else.
_NUMBER_START = re.compile(r"[\d" + _CN_DIGITS + "]")
_FORMULA = re.compile(r"[+＋]\s*[A-Za-zＮN]")
_MONTH_END = re.compile(r"月\s*$")
_PHONE_END = re.compile(r"(?:拨打|致电|热线|电话|编号)\S{0,3}$")
_PARENS = re.compile(r"\([^()]*\)")
_AS_OF_YEAR = re.compile(r"截[至止]\s*((?:19|20)\d{2})\s*年")
_AGENCY_FOLLOW_BLOCK = re.compile(
    r"^(?:的)?(?:正确|坚强|大力|有力|精心)?(?:领导|指导|支持|帮助|关心|部署|要求)"
)


# --------------------------------------------------------------------------- data


def _read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return [
        {k: (v or "") for k, v in row.items()}
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


@dataclass(frozen=True, slots=True)
class Unit:
    unit: str
    base: str
    factor: Decimal
    kind: str


def _alt(words: list[str] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


@dataclass
class Lexicon:
    """The compiled word lists (units.tsv, metric_words.tsv, metric_concepts.tsv)."""

    units: dict[str, Unit]
    multipliers: dict[str, Decimal]
    words: dict[str, set[str]]
    scope_of: dict[str, str]
    number_re: re.Pattern[str]
    verb_re: re.Pattern[str]
    trail_re: re.Pattern[str]
    link_re: re.Pattern[str]
    lead_re: re.Pattern[str]
    rate_lead_re: re.Pattern[str]
    rate_end_re: re.Pattern[str]
    stop_re: re.Pattern[str]
    exclude_before: list[re.Pattern[str]]
    agency_block_re: re.Pattern[str]
    noun_after_re: re.Pattern[str]
    nominal_verbs: frozenset[str]
    concepts: list[tuple[str, re.Pattern[str], re.Pattern[str] | None, str]]
    fallback_agency_re: re.Pattern[str]
    # derived from the fields above (only to do the same tests with fewer calls)
    protect: tuple[str, ...] = field(init=False, default=())
    as_of_words: tuple[str, ...] = field(init=False, default=())
    # concept indices by a character their subject_re can start a match with; the concepts
    # whose first characters are not simply known are always tried
    concept_index: dict[str, tuple[int, ...]] = field(init=False, default_factory=dict)
    concept_always: tuple[int, ...] = field(init=False, default=())
    # the longest text the alternatives of trail_re (before its final \s*$) can match, or None
    trail_width: int | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.protect = tuple(self.words.get("protect", set()))
        self.as_of_words = tuple(w for w, sc in self.scope_of.items() if sc == "as_of")
        index: dict[str, list[int]] = {}
        always: list[int] = []
        for i, c in enumerate(self.concepts):
            first = _first_chars(c[1])
            if first is None:
                always.append(i)
                continue
            for ch in first:
                index.setdefault(ch, []).append(i)
        self.concept_index = {ch: tuple(ix) for ch, ix in index.items()}
        self.concept_always = tuple(always)
        self.trail_width = _max_width(self.trail_re, "\\s*$")


def _max_width(pattern: re.Pattern[str], tail: str) -> int | None:
    """The longest match of ``pattern`` without its final ``tail``, or None (unbounded, other
    flags, or another shape)."""
    if pattern.flags & ~re.UNICODE or not pattern.pattern.endswith(tail):
        return None
    try:
        from re import _parser as sre_parse

        width = sre_parse.parse(pattern.pattern[: -len(tail)]).getwidth()[1]
    except Exception:  # a private module that may change: then no shortcut
        return None
    return width if width < sre_parse.MAXREPEAT else None


def _first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or None when that is not simply
    known (an empty match possible, a class of categories, flags …). A text holding none of
    them has no match: :func:`_concept` tries only the concepts it may match."""
    if pattern.flags & ~re.UNICODE:
        return None
    try:
        from re import _constants as sre_c
        from re import _parser as sre_parse

        return _first_of(sre_parse.parse(pattern.pattern).data, sre_c)
    except Exception:  # a private module that may change: then no shortcut
        return None


def _first_of(items: list, c) -> frozenset[str] | None:
    if not items:
        return None  # an empty sequence matches the empty string
    op, av = items[0]
    if op is c.LITERAL:
        return frozenset(chr(av))
    if op is c.IN:
        out: set[str] = set()
        for o, a in av:
            if o is c.LITERAL:
                out.add(chr(a))
            elif o is c.RANGE and a[1] - a[0] < 256:
                out.update(chr(x) for x in range(a[0], a[1] + 1))
            else:
                return None
        return frozenset(out)
    if op is c.BRANCH:
        out = set()
        for branch in av[1]:
            first = _first_of(branch, c)
            if first is None:
                return None
            out |= first
        return frozenset(out)
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _first_of(sub.data, c)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        lo, _hi, sub = av
        return _first_of(sub.data, c) if lo >= 1 else None
    return None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and compile the data files once."""
    units: dict[str, Unit] = {}
    multipliers: dict[str, Decimal] = {}
    for row in _read_tsv("units.tsv"):
        factor = Decimal(row["factor"] or "1")
        if row["kind"] == "multiplier":
            multipliers[row["unit"]] = factor
        else:
            units[row["unit"]] = Unit(
                row["unit"], row["base_unit"] or row["unit"], factor, row["kind"]
            )
    words: dict[str, set[str]] = {}
    scope_of: dict[str, str] = {}
    regexes: dict[str, list[str]] = {}
    for row in _read_tsv("metric_words.tsv"):
        cat, w = row["category"], row["word"]
        if cat.endswith("_re"):
            regexes.setdefault(cat, []).append(w)
            continue
        words.setdefault(cat, set()).add(w)
        if cat == "scope":
            scope_of[w] = row["note"]

    def W(cat: str) -> set[str]:
        return words.get(cat, set())

    unit_alt = _alt(units)
    mult_alt = _alt(multipliers)
    inner_alt = _alt(W("approx_inner"))
    number_re = re.compile(
        r"(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[" + _CN_DIGITS + r"]+)"
        r"(?:[ \t]?(?P<a1>" + inner_alt + r"))?"
        r"(?:[ \t]?(?P<mult>" + mult_alt + r"))?"
        r"(?P<a2>" + inner_alt + r")?"
        r"(?:[ \t]?(?P<unit>" + unit_alt + r"))?"
        r"(?P<a3>" + _alt(W("approx_after")) + r")?"
    )
    link_words = W("link") | W("approx_before") | W("trail_strip")
    link_parts = [_alt(link_words)] + regexes.get("link_re", [])
    trail_re = re.compile(r"(?:" + "|".join(f"(?:{p})" for p in link_parts if p) + r")\s*$")
    link_re = re.compile(
        r"(?:"
        + "|".join(f"(?:{p})" for p in [_alt(W("link"))] + regexes.get("link_re", []) if p)
        + r")$"
    )
    lead_re = re.compile(r"^(?:" + _alt(W("lead_strip") | {"、", " "}) + r")")
    rate_lead_re = re.compile(r"^(?:" + _alt(W("rate_intro")) + r")")
    rate_end_re = re.compile(r"(?:" + _alt(W("rate_end")) + r")$")
    stop_re = re.compile(r"(?:" + _alt(W("stop_after")) + r")")
    verb_re = re.compile(_alt(W("verb") | W("verb_n")))
    nominal_verbs = frozenset(W("verb_n"))
    exclude_before = [re.compile(p) for p in regexes.get("exclude_before_re", [])]
    agency_block_re = re.compile(r"(?:" + _alt(W("agency_block")) + r")\s*$")
    concepts = []
    for row in _read_tsv("metric_concepts.tsv"):
        aspect = re.compile(row["aspect_re"]) if row["aspect_re"] else None
        concepts.append(
            (row["id"], re.compile(row["subject_re"]), aspect, row["unit_kind"] or "any")
        )
    from extractors.reporter import agency_types

    aliases = {a for t in agency_types() for a in t.aliases}
    aliases = {a for a in aliases if "政府" not in a}  # the government is the reporter itself
    fallback_agency_re = re.compile(
        r"(?<![\u3400-\u9fff])[省市县区镇乡州盟旗](?:" + _alt(aliases) + r")"
    )
    return Lexicon(
        units,
        multipliers,
        words,
        scope_of,
        number_re,
        verb_re,
        trail_re,
        link_re,
        lead_re,
        rate_lead_re,
        rate_end_re,
        stop_re,
        exclude_before,
        agency_block_re,
        re.compile(_alt(W("noun_after"))),
        nominal_verbs,
        concepts,
        fallback_agency_re,
    )


# --------------------------------------------------------------------------- numbers


def parse_number(s: str) -> int | float | None:
    """An Arabic or Chinese numeral as a number (``"7,320.9"`` → 7320.9, ``"两千"`` → 2000)."""
    s = s.replace(",", "")
    if not s:
        return None
    if s[0].isdigit():
        try:
            return float(s) if "." in s else int(s)
        except ValueError:
            return None
    if not any(c in _MAGNITUDE for c in s) and len(s) > 1:
        return None  # 一二三 / 八五 / 七五: digit strings are names, not amounts
    t = s if s[0] not in _MAGNITUDE or s[0] == "十" else "一" + s
    try:
        v = cn2an.cn2an(t, "normal")
    except Exception:  # cn2an raises plain ValueError/others on malformed numerals
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return v if isinstance(v, (int, float)) else None


def _num_out(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


# --------------------------------------------------------------------------- spans


@dataclass
class MetricSpan:
    """One metric found in a sentence (offsets relative to the sentence's normalised text)."""

    start: int
    end: int
    num_start: int
    num_end: int
    subject: str | None
    subj_start: int
    subj_end: int
    value: int | float
    unit: str
    base_value: int | float
    base_unit: str
    kind: str
    approximate: bool
    qualifier: str | None
    scope: str
    year_hint: int | None
    bare: bool = False
    inherited: bool = False
    confidence: float = 0.9
    clause_start: int = 0
    head: str | None = None
    pre: bool = False
    metric: str | None = None
    agency: str | None = None


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def _mask(text: str) -> str:
    """Quoted and bracketed content replaced by placeholders (same length) for verb search."""

    def rep(m: re.Match[str]) -> str:
        s = m.group(0)
        return s[0] + "□" * (len(s) - 2) + s[-1] if len(s) >= 2 else s

    return _MASK.sub(rep, text)


_REGION_MARKS = re.compile(
    "[" + re.escape("".join(sorted(set(_OPEN) | _OPENERS | _HARD))) + "]"
)  # the characters _region_start reacts to


def _region_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause that ends at ``pos``: back to a hard delimiter, an unclosed bracket
    or ``floor`` (the end of the previous metric), skipping balanced brackets and quotes."""
    depth: list[str] = []
    floor = max(floor, pos - _LOOKBACK, 0)
    # walk back over the only characters it reacts to (found by one regex scan)
    for m in reversed(list(_REGION_MARKS.finditer(text, floor, min(pos, len(text))))):
        c = m.group()
        i = m.start()
        if c in _OPEN:
            depth.append(_OPEN[c])
        elif c in _OPENERS:
            if depth and depth[-1] == c:
                depth.pop()
            elif not depth:
                return i + 1
        elif not depth:  # a hard delimiter
            return i + 1
        if len(depth) > 8:
            depth.clear()
    return floor


# (sentence, {pos: clause start}) of the sentence being read: a number's clause start is asked
# for several times (validity, unit, subject). Keyed by the string object, kept alive here.
_CLAUSE_MEMO: list[tuple[str, dict[int, int]]] = [("", {})]


def _clause_start(text: str, pos: int) -> int:
    memo = _CLAUSE_MEMO[0]  # one tuple: text and its dict always belong together
    if memo[0] is text:
        known = memo[1]
    else:
        known = {}
        _CLAUSE_MEMO[0] = (text, known)
    start = known.get(pos)
    if start is None:
        start = known[pos] = _region_start(text, pos, 0)
    return start


def _lead_strip(text: str, s: int, e: int, lx: Lexicon, rate: bool = False) -> int:
    """Advance ``s`` past leading scope, quantifier and (for rates) intro words."""
    for _ in range(12):
        seg = text[s:e]
        m = (
            _SCOPE_LEAD.match(seg)
            or lx.lead_re.match(seg)
            or (lx.rate_lead_re.match(seg) if rate else None)
        )
        if not m or not m.group(0) or e - (s + m.end()) < 2:
            break
        s += m.end()
        while s < e and text[s] in " 、,":
            s += 1
    while s < e and text[s] in " 、,)":
        s += 1
    return s


def _trail_strip(text: str, s: int, e: int, lx: Lexicon) -> tuple[int, str | None, bool]:
    """Cut link, approximation and filler words off the end of ``text[s:e]``.

    Returns the new end, the aspect (the link words, e.g. 同比下降 / 达) and whether an
    approximation marker (约, 近, 超 …) stood right before the number.
    """
    aspect: list[str] = []
    approx = False
    protect = lx.protect
    first = True
    width = lx.trail_width
    for _ in range(6):
        seg = text[s:e]
        if width is None:
            m = lx.trail_re.search(seg)
        else:
            # a match ends where only whitespace follows and is at most ``width`` long before
            # it: no match starts earlier than this, so the search may start there
            m = lx.trail_re.search(seg, max(0, len(seg.rstrip()) - width))
        if not m or m.start() == m.end():
            break
        w = m.group(0).strip()
        if len(w) == 1 and seg.endswith(protect):  # any of them
            break
        if first and w in lx.words.get("approx_before", set()):
            approx = True
        if lx.link_re.search(w):
            aspect.insert(0, w)
        e = s + m.start()
        first = False
        while e > s and text[e - 1] == " ":
            e -= 1
    return e, ("".join(aspect) or None), approx


_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüv]+\)")


def _clean_subject(s: str) -> str:
    s = _GLOSS.sub("", s).strip(" 、,")
    if (
        len(s) >= 2
        and s[0] in '“"‘「『'
        and s[-1] in '”"’」』'
        and s.count(s[0]) + s.count(s[-1]) <= 2
    ):
        s = s[1:-1]
    s = s.lstrip("”’」』)")
    s = s.rstrip("“‘「『(")
    return s.strip()


def _nominal(text: str, v: re.Match[str], lx: Lexicon) -> bool:
    """A verb that here is part of a noun (调解|中心, 审查|意见, 检查|权)."""
    return v.group(0) in lx.nominal_verbs and bool(lx.noun_after_re.match(text, v.end()))


def _opens_next(text: str, pos: int, lx: Lexicon) -> bool:
    """Is ``text[pos:]`` a plain object followed by a number (编制|权责事项3223项)?"""
    j = pos
    n = len(text)
    while j < n and j - pos <= 12 and _CJK.match(text[j]):
        if lx.stop_re.match(text, j):
            return False
        j += 1
    return j > pos and j < n and text[j].isdigit()


def _pre_subject(text: str, pos: int, lx: Lexicon, limit: int = 16) -> int:
    """End of a noun phrase that follows a count (31件|人大代表建议): ``pos`` if there is none.

    It ends at a delimiter, a digit, a stop word (的, 和, 参加 …), a verb that opens the next
    metric (31个政府部门|编制权责事项3223项) or a verb some way into the phrase that is not part of
    a noun (17类省级工业产品生产许可证|实行企业承诺).
    """
    n = len(text)
    i = pos
    while i < n and i - pos < limit:
        c = text[i]
        if c in '“"‘「『':
            j = text.find({"“": "”", '"': '"', "‘": "’", "「": "」", "『": "』"}[c], i + 1)
            if j < 0 or j - i > 26:
                break
            i = j + 1
            continue
        if c == "(" and i > pos:
            j = text.find(")", i + 1)
            if j < 0 or j - i > 9:
                break
            i = j + 1
            continue
        if (
            c == "的"
            and i > pos
            and text[i - 1] in "性型式级类"
            and i + 1 < n
            and _CJK.match(text[i + 1])
        ):
            i += 1  # 8个行业性的调解组织
            continue
        if not _CJK.match(c) or lx.stop_re.match(text, i):
            break
        v = lx.verb_re.match(text, i)
        predicate = v is not None and v.end() < n and bool(_CJK.match(text[v.end()]))
        if (
            v
            and predicate
            and (
                ((i == pos or i - pos >= 3) and not _nominal(text, v, lx))
                or _opens_next(text, v.end(), lx)
            )
        ):
            break
        i += 1
    return i


def _rate_like(seg: str, lx: Lexicon) -> bool:
    return bool(lx.rate_end_re.search(seg))


def _valid_token(
    text: str, m: re.Match[str], spans: list[tuple[int, int]], lx: Lexicon, unitless: bool = False
) -> bool:
    num = m.group("num")
    s, e = m.start(), m.end()
    if not unitless and not m.group("unit") and not m.group("mult"):
        return False
    if any(a < s < b or (a == s and text[a] in '《“"‘「『〈') for a, b in spans):
        return False
    before = text[max(0, s - 12) : s]
    if any(p.search(before) for p in lx.exclude_before):
        return False
    prev = text[s - 1] if s > 0 else " "
    if prev in "+＋×*" or (prev.isascii() and (prev.isalnum() or prev in "./")):
        return False
    if prev in "-—~～至到:" and s >= 2 and text[s - 2].isdigit():
        return False  # ranges (3-5人) and ratios
    nxt = text[e] if e < len(text) else " "
    if nxt in "+＋" or (not m.group("unit") and nxt.isascii() and nxt.isalnum()):
        return False
    if (
        ("+" in text or "＋" in text)
        and _FORMULA.search(  # (no plus sign: no formula)
            text[_clause_start(text, s) : min(len(text), e + 12)]
        )
    ):
        return False  # formula explanations: 1名村居法律顾问+N名法律明白人
    unit = m.group("unit") or ""
    if unit == "日" and _MONTH_END.search(text[max(0, s - 4) : s]):
        return False  # dates: 3月6日
    if num[0].isdigit():
        if "," in num and not unit:
            return False
        return True
    # Chinese numerals
    marker = m.group("a1") or m.group("a2") or m.group("a3")
    if len(num) == 1 and not marker:
        return False  # 三项制度, 两个维护, 千家万户, 百日攻坚
    if prev in "数几上成第" or prev in _CN_DIGITS:
        return False
    if all(c in _CN_SMALL for c in num) and not any(c in _MAGNITUDE for c in num):
        return False
    return True


def _unit_of(m: re.Match[str], lx: Lexicon) -> tuple[str, str, Decimal, str] | None:
    """(unit as written, base unit, factor, kind) of a number token, multiplier included."""
    num = m.group("num")
    mult = m.group("mult") or ""
    unit = m.group("unit") or ""
    factor = Decimal(1)
    if not num[0].isdigit() and len(num) > 1 and num[-1] in "万亿" and not mult:
        mult = num[-1]
    if mult:
        factor *= lx.multipliers.get(mult, Decimal(1))
    if unit:
        u = lx.units.get(unit)
        if u is None:
            return None
        if u.kind in ("percent", "permille", "percent_point") and mult:
            return None
        return mult + unit, u.base, factor * u.factor, u.kind
    return mult, "", factor, "count"


def _value_of(m: re.Match[str]) -> int | float | None:
    num = m.group("num")
    mult = m.group("mult")
    if not num[0].isdigit() and len(num) > 1 and num[-1] in "万亿" and not mult:
        return parse_number(num[:-1])
    return parse_number(num)


def _unitless_ok(text: str, m: re.Match[str], at_doc_end: bool, lx: Lexicon) -> bool:
    """A number without a unit counts only where the unit was evidently lost: right after a
    noun and before a delimiter (研究解决重大问题6;) or cut off by the end of the text."""
    num = m.group("num")
    s, e = m.start(), m.end()
    if not num[0].isdigit() or m.group("a1") or m.group("a3"):
        return False
    prev = text[s - 1] if s > 0 else ""
    if not prev or not _CJK.match(prev) or prev in "第年月日号期届表图件版条款章节之":
        return False
    if at_doc_end and not text[e:].strip():
        return True
    if len(num) > 3 or "." in num or e >= len(text) or text[e] not in ",;。":
        return False
    head = text[_clause_start(text, s) : s]
    return bool(lx.verb_re.search(head)) and not _PHONE_END.search(head)


def _numbers(text: str, lx: Lexicon) -> Iterator[re.Match[str]]:
    """The matches of ``lx.number_re.finditer(text)``, found faster.

    ``number_re`` begins with the ``num`` group (a digit or a Chinese numeral, at least one)
    and the rest is optional, so it matches at every character of ``_NUMBER_START`` and at no
    other: jumping from one such character to the next gives finditer's matches without an
    attempt at each position of the text.
    """
    number_re, search = lx.number_re, _NUMBER_START.search
    pos = 0
    while True:
        c = search(text, pos)
        if c is None:
            return
        m = number_re.match(text, c.start())
        if m is None:  # never happens (see above); kept for safety: try the next position
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()


def find_metrics(
    text: str, report_year: int | None = None, lx: Lexicon | None = None, at_doc_end: bool = False
) -> list[MetricSpan]:
    """Every metric in one sentence ``text`` (normalised), in text order.

    ``at_doc_end``: the sentence ends the document (a number cut off there keeps no unit).
    """
    lx = lx or lexicon()
    if not _HAS_NUMBER.search(text):
        return []
    spans: list[tuple[int, int]] | None = None  # both made when a number first needs them
    masked: str | None = None
    out: list[MetricSpan] = []
    floor = 0
    for m in _numbers(text, lx):
        unitless = not m.group("unit") and not m.group("mult")
        if unitless and not _unitless_ok(text, m, at_doc_end, lx):
            continue
        if spans is None:
            spans = _excluded_spans(text)
        if not _valid_token(text, m, spans, lx, unitless):
            continue
        uinfo = _unit_of(m, lx)
        value = _value_of(m)
        if uinfo is None or value is None:
            continue
        unit, base_unit, factor, kind = uinfo
        try:
            base = Decimal(str(value)) * factor
        except InvalidOperation:
            continue
        if masked is None:
            masked = _mask(text)
        ms = _build(
            text, masked, m, floor, out, unit, base_unit, kind, value, base, report_year, lx
        )
        if ms is None:
            continue
        if unitless:
            ms.confidence = min(ms.confidence, 0.5)
        out.append(ms)
        floor = max(floor, ms.end, m.end())
    _share_out(out, lx)
    return out


def _core(s: str) -> str:
    """A subject candidate without brackets' content, quotes and edge punctuation."""
    return _clean_subject(_PARENS.sub("", s))


def _post_subject(
    text: str, masked: str, s: int, e: int, lx: Lexicon
) -> tuple[int, int, int, re.Match[str] | None]:
    """Subject of a number from the clause before it: (start, end, head start, verb).

    The subject follows the clause's last verb (受理|各类法律援助案件); a generic head keeps the
    words before its verb (罚款|金额 → 罚款金额, head 金额); a clause that is only a verb has no
    subject (审结|66件: the caller inherits one). A rate keeps its inner verbs (按期办结率).
    """
    if s >= e:
        return e, e, e, None
    generic = lx.words.get("generic_head", set())
    if _rate_like(text[s:e], lx):
        r = _lead_strip(text, s, e, lx, rate=True)
        return r, e, r, None
    upto = masked[:e]
    verbs = [v for v in lx.verb_re.finditer(masked, s, e) if not _nominal(upto, v, lx)]
    k = len(verbs) - 1
    while k >= 0 and masked[verbs[k].end() : verbs[k].end() + 1] == "的":
        k -= 1
    if k < 0:
        return s, e, s, None
    v = verbs[k]
    first_comma = masked.find("、", s, v.start())
    if first_comma >= 0 and "等" in masked[v.end() : e]:
        # a list "A、B等C": the verb governs the whole list (开展|民法典集中宣讲、预防…等活动)
        heads = [
            u
            for u in verbs
            if u.end() <= first_comma
            and _core(masked[u.end() : first_comma])
            and masked[u.end()] != "的"
        ]
        if heads:
            v = heads[-1]
            k = verbs.index(v)
    after_s = _lead_strip(text, v.end(), e, lx)
    after = _core(text[after_s:e])
    if len(after) >= 2 and after not in generic:
        return after_s, e, after_s, v
    prev_end = verbs[k - 1].end() if k > 0 else s
    before_s = _lead_strip(text, prev_end, v.start(), lx) if v.start() > prev_end else v.start()
    if _core(text[before_s : v.start()]):
        # the verb ends a noun (完成|执法线上培训, 设立|人民调解组织): the verb before it qualifies
        return before_s, e, before_s, verbs[k - 1] if k > 0 else None
    if after:
        return v.start(), e, after_s, v
    return e, e, e, v


def _cut_list_head(text: str, masked: str, s: int, e: int, lx: Lexicon) -> int:
    """ "A、B等C" counts C when C says more than a generic word (…等各类宣传册 → 宣传册)."""
    k = masked.rfind("等", s, e)
    if k < 0:
        return s
    t = _lead_strip(text, k + 1, e, lx)
    tail = _core(text[t:e])
    if len(tail) >= 2 and tail not in lx.words.get("generic_head", set()):
        return t
    return s


_CONJ = re.compile(r"\s*(?:、|以及|和|及|与|并|或)\s*")
_FOLLOW_VERB = re.compile(r"(?:予以|依法|集中|全部|已|均)?")


def _build(
    text: str,
    masked: str,
    m: re.Match[str],
    floor: int,
    prior: list[MetricSpan],
    unit: str,
    base_unit: str,
    kind: str,
    value: int | float,
    base: Decimal,
    report_year: int | None,
    lx: Lexicon,
) -> MetricSpan | None:
    ns, ne = m.start(), m.end()
    approximate = bool(m.group("a1") or m.group("a2") or m.group("a3"))
    clause_s = _clause_start(text, ns)
    # = _region_start(text, ns, floor): the same walk stopped at floor (and the lookback)
    rs = max(clause_s, floor, ns - _LOOKBACK)
    if floor > clause_s:  # a list of metrics in one clause: an item starts after the last 、
        k = masked.rfind("、", rs, ns)
        if k >= 0:
            rs = k + 1
    if rs == floor and floor > 0:
        # right after the previous metric: a conjunction joins the two (118件|和政协委员提案321件)
        c = _CONJ.match(text, rs, ns)
        if c:
            rs = c.end()
    re_, aspect, approx_before = _trail_strip(text, rs, ns, lx)
    approximate = approximate or approx_before
    rs2 = _lead_strip(text, rs, re_, lx)
    region = text[rs2:re_]
    subj_s, subj_e, head_s, verb = _post_subject(text, masked, rs2, re_, lx)
    if subj_e > subj_s:
        cut = _cut_list_head(text, masked, subj_s, subj_e, lx)
        if cut > subj_s:
            subj_s = head_s = cut
    subject = _clean_subject(text[subj_s:subj_e]) if subj_e > subj_s else ""
    head = _clean_subject(text[head_s:subj_e]) if subj_e > head_s else ""
    # --- a noun phrase right after the unit (31件|人大代表建议)
    pe = _pre_subject(text, ne, lx)
    pre = _clean_subject(text[ne:pe]) if pe > ne else ""
    if kind in ("percent", "permille", "percent_point", "ratio"):
        use_pre = bool(pre) and (not subject or not (aspect or _rate_like(subject, lx)))
    elif kind == "time":
        use_pre = False
    else:
        use_pre = bool(pre)
    qualifier = aspect or (verb.group(0) if verb else None)
    inherited = False
    bare = not region and not use_pre
    generic = lx.words.get("generic_head", set())
    start, end = ns, ne
    if use_pre and subject and kind in ("percent", "permille", "percent_point", "ratio"):
        # 行政服务中心100%政务服务事项 / “无差别综合窗口”100%全覆盖: both sides describe it
        subject = head = subject + pre
        start, end = subj_s, pe
        subj_e = pe
    elif use_pre:
        subject = head = pre
        subj_s, subj_e = ne, pe
        end = pe
        adjacent = [
            v for v in lx.verb_re.finditer(masked, rs2, re_) if not _core(text[v.end() : ns])
        ]
        qualifier = aspect
        if adjacent:
            start = adjacent[-1].start()  # 建设6个“四星级司法所”
            qualifier = aspect or adjacent[-1].group(0)
    elif subject:
        start = subj_s
        if verb is not None and verb.end() <= subj_s and subj_s - verb.end() <= 4:
            start = verb.start()  # 受理各类法律援助案件380件
    else:
        start = verb.start() if verb is not None else ns
        if aspect and verb is None:
            k = text.rfind(aspect, rs, ns)
            start = k if k >= 0 else ns
        prev = prior[-1] if prior else None
        if prev is not None and prev.head and (verb is None or prev.base_unit == base_unit):
            h = prev.head
            subject = h if h not in generic or not verb else verb.group(0) + h
            head = h
            inherited = True
        elif verb is not None:
            subject = verb.group(0)
        if bare:
            # 3件予以废止、15件宣布失效: the verb after a bare number is its aspect
            f = _FOLLOW_VERB.match(text, ne)
            v2 = lx.verb_re.match(text, f.end() if f else ne)
            if v2 is not None and v2.end() - ne <= 6:
                qualifier = qualifier or text[ne : v2.end()]
                end = v2.end()
    if kind == "time" and not subject:
        return None
    start = min(start, ns)
    scope, year_hint = _scope(text, ns, text[clause_s:ns], region, report_year, lx)
    conf = 0.9
    if not subject:
        conf = 0.5
    elif kind == "time" or (use_pre and kind in ("percent", "ratio")):
        conf = 0.7
    elif inherited:
        conf = 0.85
    return MetricSpan(
        start=start,
        end=end,
        num_start=ns,
        num_end=ne,
        subject=subject or None,
        subj_start=subj_s,
        subj_end=subj_e,
        value=value,
        unit=unit,
        base_value=_num_out(base),
        base_unit=base_unit if kind not in ("percent", "permille", "percent_point") else unit,
        kind=kind,
        approximate=approximate,
        qualifier=qualifier,
        scope=scope,
        year_hint=year_hint,
        bare=bare,
        inherited=inherited,
        confidence=conf,
        clause_start=clause_s,
        head=head or None,
        pre=use_pre,
    )


def _scope(
    text: str, ns: int, head: str, region: str, report_year: int | None, lx: Lexicon
) -> tuple[str, int | None]:
    if _MULTI_YEAR.search(head):
        return "multi_year", None
    if "累计" in head or "历年" in head:
        return "cumulative", None
    w = max(0, ns - 4 * _LOOKBACK)
    before = ("\x00" if w else "") + text[w:ns]  # \x00: the window's start is no clause start
    if "截至" in before or "截止" in before:
        y = _AS_OF_YEAR.search(before)
        return "as_of", int(y.group(1)) if y else None
    if region.startswith(lx.as_of_words) or head.lstrip().startswith(lx.as_of_words):
        return "as_of", None
    years = list(_YEAR_HEAD.finditer(before)) if "年" in before else []  # (a match holds 年)
    if years:
        y = int(years[-1].group(1))
        if report_year and y != report_year:
            if years[-1].group(2) and y < report_year:
                return "cumulative", None
            return "other_year", y
    return "annual", None


def _share_out(ms: list[MetricSpan], lx: Lexicon) -> None:
    """A subject list followed by as many bare numbers: one item each (信访量、诉讼量 … 32.5%24.1%)."""
    i = 0
    while i < len(ms):
        j = i + 1
        while j < len(ms) and ms[j].bare and ms[j].kind == ms[i].kind:
            j += 1
        run = j - i
        if run > 1 and ms[i].subject and not ms[i].inherited and not ms[i].pre:
            masked = _mask(ms[i].subject)
            cuts = [k for k, c in enumerate(masked) if c in "、和及与"]
            bounds = [-1, *cuts, len(masked)]
            items = [
                ms[i].subject[a + 1 : b]
                for a, b in zip(bounds, bounds[1:], strict=False)
                if b > a + 1
            ]
            if len(items) == run:
                for k in range(run):
                    mk = ms[i + k]
                    mk.subject = mk.head = _clean_subject(items[k])
                    mk.qualifier = ms[i].qualifier
                    mk.inherited = k > 0
                    mk.confidence = 0.85
                    mk.start = min(mk.start, ms[i].start)
        i = max(j, i + 1)


# --------------------------------------------------------------------------- concepts and agencies


def _concept(ms: MetricSpan, mention: str, lx: Lexicon) -> str | None:
    subject = ms.subject or ""
    if not subject:
        return None
    subject = (
        _LIST_SPLIT.split(subject)[-1] or subject
    )  # the head of a list: 信访联席会议等各类会议 → 各类会议
    context = (ms.qualifier or "") + subject + mention
    # only the concepts whose pattern can start at one of the subject's characters (in order)
    tried = set(lx.concept_always)
    index = lx.concept_index
    for ch in set(subject):
        ix = index.get(ch)
        if ix:
            tried.update(ix)
    concepts = lx.concepts
    for i in sorted(tried):
        cid, subj_re, aspect_re, ukind = concepts[i]
        if not subj_re.search(subject):
            continue
        if aspect_re is not None and not aspect_re.search(context):
            continue
        if not _unit_ok(ms, ukind):
            continue
        return cid
    return None


_LIST_SPLIT = re.compile(r"[、等]")


def _unit_ok(ms: MetricSpan, ukind: str) -> bool:
    if ukind == "any":
        return True
    if ukind == "percent":
        return ms.kind in ("percent", "percent_point", "permille")
    if ukind == "money":
        return ms.kind == "money"
    if ukind == "count":
        return ms.kind == "count"
    if ukind == "count_person":
        return ms.kind == "count" and ms.base_unit in ("人", "人次", "名", "位")
    if ukind == "count_event":
        return ms.kind == "count" and ms.base_unit in (
            "场",
            "场次",
            "次",
            "期",
            "轮",
            "批",
            "批次",
            "堂",
            "节",
        )
    return False


@dataclass(frozen=True, slots=True)
class _Agency:
    start: int  # source offsets
    end: int
    label: str
    blocked: bool


def _agency_annotations(doc: Doc) -> list[tuple[int, int, str]] | None:
    """Agency spans (source offsets, label) from the ``agencies`` annotation, read defensively."""
    ann = doc.annotations.get("agencies")
    if not ann or not isinstance(ann, (list, tuple)):
        return None
    out: list[tuple[int, int, str]] = []
    for a in ann:
        try:
            if isinstance(a, Fact):
                s, e = a.mention.start, a.mention.end
                label = a.label or a.mention.surface
            elif isinstance(a, dict):
                s, e = int(a.get("start")), int(a.get("end"))  # type: ignore[arg-type]
                label = str(
                    a.get("canonical") or a.get("label") or a.get("mention") or doc.text[s:e]
                )
            elif isinstance(a, (tuple, list)) and len(a) >= 2:
                s, e = int(a[0]), int(a[1])
                label = str(a[2]) if len(a) > 2 and a[2] else doc.text[s:e]
            else:
                s = int(a.start)
                e = int(a.end)
                label = str(
                    getattr(a, "label", None) or getattr(a, "canonical", None) or doc.text[s:e]
                )
        except (TypeError, ValueError, AttributeError):
            continue
        if 0 <= s < e <= len(doc.text) and label:
            out.append((s, e, label))
    out.sort()
    return out


def _agencies_in(
    doc: Doc, sent: Sentence, norm: str, vs: int, given: list[tuple[int, int, str]] | None
) -> list[_Agency]:
    lx = lexicon()
    found: list[tuple[int, int, str]] = []
    if given is not None:
        i = bisect_left(given, (sent.start, -1, ""))
        while i < len(given) and given[i][0] < sent.end:
            found.append(given[i])
            i += 1
    else:
        for m in lx.fallback_agency_re.finditer(norm):
            s, e = doc.view.span(vs + m.start(), vs + m.end())
            found.append((s, e, doc.text[s:e]))
    out: list[_Agency] = []
    prev_blocked = False
    prev_end = -10
    for s, e, label in found:
        before = doc.text[max(sent.start, s - 3) : s]
        after = doc.text[e : min(sent.end, e + 8)]
        blocked = bool(lx.agency_block_re.search(before)) or bool(_AGENCY_FOLLOW_BLOCK.match(after))
        if (
            not blocked
            and before[-1:] in ("、", "和", "及", "与")
            and prev_blocked
            and s - prev_end <= 2
        ):
            blocked = True
        out.append(_Agency(s, e, label, blocked))
        prev_blocked, prev_end = blocked, e
    return out


# --------------------------------------------------------------------------- component


def _view_span(doc: Doc, s: int, e: int) -> tuple[int, int]:
    offs = doc.view.offsets
    if offs is None:
        return s, e
    return bisect_left(offs, s), bisect_left(offs, e)


@component("metrics", VERSION, requires=("sentences", "reporter", "agencies"), provides="metrics")
def metrics(doc: Doc) -> Iterator[Fact]:
    """Every number quantifying the reporter's work: value, unit, subject, aspect, scope."""
    lx = lexicon()
    norm = doc.norm
    report_year = doc.report.year
    given = _agency_annotations(doc)
    carried_agency: str | None = None
    produced: list[Fact] = []
    last = doc.sentences[-1] if doc.sentences else None
    for sent in doc.sentences:
        vs, ve = _view_span(doc, sent.start, sent.end)
        text = norm[vs:ve]
        linked = carried_agency is not None
        found = find_metrics(text, report_year, lx, at_doc_end=sent is last)
        agencies = _agencies_in(doc, sent, text, vs, given) if found else []
        prev_ms: MetricSpan | None = None
        for ms in found:
            s, e = doc.view.span(vs + ms.start, vs + ms.end)
            if e <= s or doc.text[s:e] == "":
                continue
            mention = doc.text[s:e]
            num_src = doc.view.span(vs + ms.num_start, vs + ms.num_end)[0]
            clause_src = doc.view.span(vs + ms.clause_start, vs + ms.clause_start + 1)[0]
            subj_src = (
                doc.view.span(vs + ms.subj_start, vs + ms.subj_end)
                if ms.subj_end > ms.subj_start
                else (-1, -1)
            )
            actors = [
                a
                for a in agencies
                if clause_src <= a.start
                and a.end <= num_src
                and not a.blocked
                and not (subj_src[0] <= a.start and a.end <= subj_src[1])
            ]
            if actors:
                agency = actors[-1].label
            elif prev_ms is not None:
                agency = prev_ms.agency
            else:
                agency = carried_agency if linked else None
            prev_ms = ms
            ms.agency = agency
            ms.metric = _concept(ms, mention, lx)
            year = (
                ms.year_hint
                if ms.scope in ("other_year", "as_of") and ms.year_hint
                else report_year
            )
            produced.append(
                doc.fact(
                    "metric",
                    ms.subject or mention,
                    s,
                    e,
                    COMP,
                    subject=ms.subject,
                    metric=ms.metric,
                    value=ms.value,
                    unit=ms.unit,
                    base_value=ms.base_value,
                    base_unit=ms.base_unit,
                    approximate=ms.approximate,
                    qualifier=ms.qualifier,
                    scope=ms.scope,
                    agency=agency,
                    year=year,
                    confidence=ms.confidence,
                )
            )
        ends_linked = doc.text[sent.end - 1 : sent.end] in (";", "；")
        if ends_linked:
            tail_agency = found[-1].agency if found else None
            carried_agency = tail_agency or carried_agency
        else:
            carried_agency = None
    doc.annotations["metrics"] = len(produced)
    return iter(produced)
