"""Agencies: the specific organisations a report names (FACTS.md "Agencies").

Government departments (市司法局, 区市场监管局), courts and procuratorates (市法院, 县人民检察院),
party committees and party groups (市委, 镇党委, 局党组, 党工委, the reporter's own included),
named committees and leading groups (市委全面依法治市委员会, 法治政府建设工作领导小组) and their
offices (市委依法治市办), 党校, a named 司法所 (大河司法所), people's congresses, CPPCCs and the
national bodies (中共中央, 国务院, 司法部 …).

How a mention is found (word lists are data: extractors/data/agency_types.tsv and
extractors/data/agency_exclusions.tsv; place names come only from the gazetteer):

1. Anchored mentions. A place name (gazetteer surface), a jurisdiction short form
   (省 市 区 县 镇 乡 州 旗 街道) or a zone word (新区, 高新区 …), optionally followed by 委 (a
   party organ: 市委党校, 市委依法治市办, 市委编办), then either an agency alias of the type
   table (司法局, 法院, 政府, 人大 …), a named committee or leading group (…委员会, …领导小组), or a
   name of at most 8 characters ending in a head character 局 厅 部 署 委 办 (市大数据局,
   区群团服务部, 市委政法委). Nothing after 委 is the party committee itself (市委, 省委).
   中共 in front is kept in the mention (中共盖州市委员会 = 盖州市委). The next items of an
   enumeration keep the place (市发展改革委、国土资源局、规划局 → 桂林市国土资源局 …).
2. Bare mentions: an alias marked ``bare`` (住建局, 营商局, 人大, 政协 …) names the reporter's own
   body when it starts a word after punctuation, a one-character word or a "lead" word
   (由营商局、住建局…承接; 接受人大监督); the national bodies (scope ``national``) stand alone;
   依法治区委员会 names its own level (scope ``self``); 司法所 / 派出所 / 法庭 after a township
   stem of the reporter's county (大河司法所 in 钟山区) is that township's; 局党组 in a bureau's
   report is the bureau's party group.
3. Unanchored committees and leading groups whose name speaks of law (法治政府建设工作领导小组;
   the ``topic`` words): the name is scanned back from 委员会 / 领导小组 over jieba tokens to the
   nearest stop word; right after an agency it is that agency's (交通运输部法治政府部门建设领导小组).

A short-form character is accepted only where jieba (a private Tokenizer knowing the aliases)
makes it a word of its own (市场, 市民, 社区, 全区, 县级, 乡镇 start no mention), and a generic
name only when its tokens are no stop words and its head is no part of an ordinary word (格局,
部署, 委员, 办理, 大厅, 场所: the ``inword`` list).

Canonical labels follow the short-form suffix rule of DESIGN.md: the 市/区/县/镇/乡/省 of a
mention names the nearest jurisdiction of the reporter's chain (the reporter first, then its
ancestors) whose name ends with that character, restricted to the levels a type exists at
(中级人民法院: prefecture or province; 司法厅: province; 司法所: township). The label is that
place's full name, then 委 for a party organ, then the type's canonical form: 市法院 in 盖州市's
report is 盖州市人民法院, 市中院 is 营口市中级人民法院, 市委 is 盖州市委 (convention: the short
form 盖州市委, never 中共盖州市委员会), 市委依法治市办 is 盖州市委依法治市办. An explicit place keeps its
place (the namesake nearest to the reporter's chain). The national bodies keep their own name.
When the reporter is undecided (no gazetteer place), a short form that cannot be resolved keeps
its own form (县委 stays 县委, jurisdiction None); when the chain is known, such a short form is
a generic one (市委 in a provincial report means every city's) and is left out.

Left out (FACTS.md): generic plurals (各部门, 全市法院, 各乡镇党委, 县级以上政府; a modifier before
an earlier item of an enumeration counts: 向同级党委、人大常委会报告), meetings (市政府常务会议,
市委常委会会议, 党组会议, 省委十二届二次全会), media (…日报, …网站), deputies and members (人大代表,
政协委员), places inside a programme's name (法治石家庄建设…: the ``brand`` words),
the reporting government itself (市政府 in a city's report, the 管委会 of a zone's report) and the
reporting department itself (市市场监管局 in that bureau's own report; the government it belongs
to is then another body and is kept). The reporter's own party committee (镇党委, 党工委) is kept. 政务服务大厅 and other halls are places, not agencies.

The facts are also put in ``doc.annotations["agencies"]`` (a list of Fact, in text order) so
that later components can attribute a number to the agency named in its clause.

>>> from kg.model import Report
>>> from extractors.pipeline import Runner
>>> text = "2024年,盖州市坚持依法行政。市法院新收行政诉讼案件68件,市委党校开展培训。"
>>> res = Runner(["segment", "reporter", "agencies"]).run(Report(id="r", version="v", source="r", text=text))
>>> [(f.mention.surface, f.label) for f in res.facts if f.kind == "agency"]
[('市法院', '盖州市人民法院'), ('市委党校', '盖州市委党校')]
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.pipeline import Doc, component
from kg.model import Fact

__all__ = ["AgencyRow", "Hit", "Link", "agencies", "agency_rows", "find_agencies", "reporter_chain"]

VERSION = 1
COMPONENT = f"agencies@{VERSION}"
DATA = Path(__file__).parent / "data"

SHORT_FORMS = "省市区县镇乡州旗"
LONG_SHORT_FORMS = ("自治区", "自治州", "自治县", "自治旗", "街道")  # 自治区党委, 街道党工委
HEADS = "局厅部署委办"
PARTY_SUFFIXES = ("机关党委", "党总支", "党支部", "党工委", "党组", "党委")
_SELF_CHAR = re.compile(r"依法治([省市区县镇乡州旗])")
_COMMITTEE_TAIL = re.compile(r"(?:领导小组|委员会)(?:办公室)?")
_SESSION = re.compile(r"(?:第?[一二三四五六七八九十百零〇\d]{1,4}[届次]){1,2}")
_MAX_NAME = 8  # characters between the qualifier and a generic head (群团服务 in 区群团服务部)
_MAX_COMMITTEE = 20


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class AgencyRow:
    """One row of extractors/data/agency_types.tsv with the agencies component's columns."""

    type: str
    aliases: tuple[str, ...]
    category: str
    label: str  # canonical form written after the place (人民法院 for 法院)
    bare: bool  # a mention with no place before it names the reporter's own body
    scope: str  # local | self | national
    levels: tuple[str, ...]  # jurisdiction levels the type exists at (empty: any)

    @property
    def generic(self) -> bool:
        """The one-character head rows (局, 部, 委 …): matched through a name, never alone."""
        return len(self.type) == 1


def _read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def agency_rows() -> tuple[AgencyRow, ...]:
    """The agency-type table with its extra columns (label, bare, scope, levels)."""
    rows = []
    for r in _read_tsv("agency_types.tsv"):
        rows.append(
            AgencyRow(
                type=r["type"],
                aliases=tuple(a for a in (r.get("aliases") or "").split("|") if a),
                category=r["category"],
                label=(r.get("label") or "").strip() or r["type"],
                bare=(r.get("bare") or "").strip() == "yes",
                scope=(r.get("scope") or "").strip() or "local",
                levels=tuple(x for x in (r.get("levels") or "").split("|") if x.strip()),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class _Tables:
    by_alias: dict[str, AgencyRow]
    by_type: dict[str, AgencyRow]
    patterns: list[str]
    automaton: Any
    modifiers: tuple[str, ...]
    mentions: frozenset[str]
    followers: tuple[str, ...]
    modifier_sets: tuple[tuple[int, frozenset[str]], ...]  # (length, modifiers of that length)
    follower_sets: tuple[tuple[int, frozenset[str]], ...]  # longest first
    inword: dict[str, tuple[tuple[str, int], ...]]  # head char -> (word, offset of the char)
    stopwords: frozenset[str]
    generic_tails: tuple[str, ...]
    leads: frozenset[str]
    topics: tuple[str, ...]
    brands: tuple[str, ...]
    qualifier_re: re.Pattern[str]
    zone_words: frozenset[str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    import ahocorasick_rs

    rows = agency_rows()
    by_alias: dict[str, AgencyRow] = {}
    for row in rows:
        if row.generic:
            continue
        for a in row.aliases:
            by_alias.setdefault(a, row)
    by_type = {row.type: row for row in rows}
    patterns = sorted(by_alias)
    automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)

    kinds: dict[str, list[str]] = {}
    for r in _read_tsv("agency_exclusions.tsv"):
        kinds.setdefault(r["kind"].strip(), []).append(r["pattern"].strip())
    inword: dict[str, list[tuple[str, int]]] = {}
    for w in kinds.get("inword", []):
        for i, ch in enumerate(w):
            if ch in HEADS or ch in "院所":
                inword.setdefault(ch, []).append((w, i))

    zone_words: set[str] = set()
    for r in _read_tsv("zone_types.tsv"):
        zone_words.update(a for a in (r.get("aliases") or "").split("|") if a)
    alts = sorted(zone_words, key=len, reverse=True) + list(LONG_SHORT_FORMS)
    # the short forms as single-character alternatives rather than one class: the same matches,
    # and every alternative then starts with a literal, which lets the regex engine skip ahead
    qualifier_re = re.compile("|".join(map(re.escape, alts + list(SHORT_FORMS))))
    by_len = lambda xs: tuple(sorted(set(xs), key=len, reverse=True))  # noqa: E731

    def len_sets(xs: list[str]) -> tuple[tuple[int, frozenset[str]], ...]:
        lens = sorted({len(x) for x in xs}, reverse=True)
        return tuple((n, frozenset(x for x in xs if len(x) == n)) for n in lens)

    return _Tables(
        by_alias=by_alias,
        by_type=by_type,
        patterns=patterns,
        automaton=automaton,
        modifiers=by_len(kinds.get("modifier", [])),
        mentions=frozenset(kinds.get("mention", [])),
        followers=by_len(kinds.get("follower", [])),
        modifier_sets=len_sets(kinds.get("modifier", [])),
        follower_sets=len_sets(kinds.get("follower", [])),
        inword={k: tuple(v) for k, v in inword.items()},
        stopwords=frozenset(kinds.get("stopword", [])),
        generic_tails=by_len(kinds.get("generic", [])),
        leads=frozenset(kinds.get("lead", [])),
        topics=tuple(kinds.get("topic", [])),
        brands=tuple(kinds.get("brand", [])),
        qualifier_re=qualifier_re,
        zone_words=frozenset(zone_words),
    )


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba Tokenizer that knows the agency aliases (only used on short spans)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for a in _tables().patterns:
        if len(a) >= 2 and not a.startswith("委"):
            tk.add_word(a)
    return tk


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokenizer().lcut(text, HMM=False)) if text else ()


@lru_cache(maxsize=1)
def _gazetteer():
    from kg.gazetteer import load

    return load()


# --------------------------------------------------------------------------- jurisdictions


@dataclass(frozen=True, slots=True)
class Link:
    """One jurisdiction of the reporter's chain (or a place a mention names)."""

    name: str
    code: str | None
    level: str | None
    key: str | None
    aliases: tuple[str, ...] = ()

    @classmethod
    def of(cls, place) -> Link:
        return cls(place.name, place.code, place.level, place.key, tuple(place.aliases))


def reporter_chain(doc: Doc) -> list[Link]:
    """The reporter first, then its ancestors up to the province (empty when unknown)."""
    j = doc.report.jurisdiction
    if j is None or not j.name:
        return []
    gaz = _gazetteer()
    place = gaz.get(j.code) if j.code else None
    if place is None:
        named = [p for p in gaz.lookup(j.name) if p.name == j.name]
        if j.path:
            same = [p for p in named if gaz.path(p) == list(j.path)]
            named = same or ([] if len(named) > 1 else named)
        if len(named) == 1 and not j.candidates:
            place = named[0]
    if place is not None:
        return [Link.of(place)] + [Link.of(a) for a in reversed(gaz.ancestors(place))]
    links = [Link(j.name, None, j.level, None)]
    for name in reversed(list(j.path)[:-1]):
        found = [p for p in gaz.lookup(name) if p.name == name]
        links.append(Link.of(found[0]) if len(found) == 1 else Link(name, None, None, None))
    return links


def _resolve_short(chain: list[Link], ch: str, levels: tuple[str, ...]) -> Link | None:
    """The nearest jurisdiction of the chain whose name ends with ``ch`` (DESIGN.md)."""
    for link in chain:
        if levels and link.level not in levels:
            continue
        if link.name.endswith(ch) or (ch == "区" and link.level == "zone"):
            return link
    return None


def chain_complete(chain: list[Link]) -> bool:
    """Does the chain come from the gazetteer (so an unresolved short form is a generic one)?"""
    return bool(chain) and (chain[0].key is not None or chain[0].level == "national")


def _resolve_zone(chain: list[Link], word: str) -> Link | None:
    for link in chain:
        if link.level == "zone" and (
            link.name.endswith(word) or any(a.endswith(word) for a in link.aliases)
        ):
            return link
    return None


def _choose_place(places: list, chain: list[Link], parents: list | None) -> Link | None:
    """The namesake nearest to the reporter's chain (a place named just before narrows it)."""
    if not places:
        return None
    gaz = _gazetteer()
    if parents:
        narrowed = [p for p in places if any(gaz.is_ancestor(a, p) for a in parents)]
        places = narrowed or places
    uniq = list({p.key: p for p in places}.values())
    if len(uniq) == 1:
        return Link.of(uniq[0])
    keys = [link.key for link in chain]
    best, best_score = [], None
    for p in uniq:
        if p.key in keys:
            score = (2, -keys.index(p.key))
        else:
            anc = {a.key for a in gaz.ancestors(p)}
            near = next((i for i, k in enumerate(keys) if k and k in anc), None)
            score = (1, -near) if near is not None else (0, 0)
        if best_score is None or score > best_score:
            best, best_score = [p], score
        elif score == best_score:
            best.append(p)
    if len(best) == 1:
        return Link.of(best[0])
    names = {p.name for p in best}
    level = best[0].level if len({p.level for p in best}) == 1 else None
    return Link(best[0].name if len(names) == 1 else best[0].name, None, level, None)


# --------------------------------------------------------------------------- matching


def _join(place: str, core: str) -> str:
    """Place + canonical form without repeating their overlap (新市街道 + 街道办事处)."""
    for k in range(min(len(place), len(core)), 1, -1):
        if place.endswith(core[:k]):
            return place + core[k:]
    return place + core


@dataclass(slots=True)
class Hit:
    """An agency mention in the normalised view, before it becomes a Fact."""

    start: int
    end: int
    label: str
    row: AgencyRow
    category: str
    link: Link | None
    confidence: float
    how: str  # place | short | zone | inherit | bare | national | self | stem | scan
    party: bool = False  # a party organ (市委组织部): the 委 is part of the label


_ANCHORED = ("place", "short", "zone", "inherit")


def _committee_row(whole: str) -> AgencyRow:
    cat = "office" if whole.endswith("办公室") else "committee"
    return AgencyRow("办公室" if cat == "office" else "委员会", (), cat, whole, False, "local", ())


_OFFICE_ROW = AgencyRow("办公室", (), "office", "办公室", False, "local", ())


class _Ctx:
    def __init__(
        self, norm: str, chain: list[Link], department: str | None = None, complete: bool = True
    ):
        self.norm = norm
        self.n = len(norm)
        self.chain = chain
        self.complete = complete
        self.t = _tables()
        self.department = department
        typed: dict[int, list[tuple[int, AgencyRow]]] = {}
        for idx, s, e in self.t.automaton.find_matches_as_indexes(norm, overlapping=True):
            a = self.t.patterns[idx]
            typed.setdefault(s, []).append((e, self.t.by_alias[a]))
        for lst in typed.values():
            lst.sort(key=lambda x: -x[0])
        self.typed_at = typed
        self.place_starts: set[int] = set()

    # ---------------------------------------------------------------- small checks
    def cjk(self, i: int) -> bool:
        return 0 <= i < self.n and "\u4e00" <= self.norm[i] <= "\u9fff"

    def inword_at(self, i: int) -> bool:
        """Is the head character at ``i`` part of an ordinary word (格局, 部署, 委员 …)?"""
        norm = self.norm
        for w, j in self.t.inword.get(norm[i], ()):
            s = i - j
            if s >= 0 and norm.startswith(w, s):
                return True
        return False

    def modified(self, start: int) -> bool:
        """A generic modifier (各, 有关, 全市, 县级 …) right before ``start``."""
        norm = self.norm
        for n, words in self.t.modifier_sets:
            if start >= n and norm[start - n : start] in words:
                return True
        return False

    def modified_list(self, start: int) -> bool:
        """A modifier before ``start`` or before an earlier item of the same enumeration
        (向同级党委、人大常委会报告: 人大常委会 is every county's too)."""
        pos = start
        for _ in range(4):
            if self.modified(pos):
                return True
            if pos < 2 or self.norm[pos - 1] != "、":
                return False
            item = pos - 1
            while item > 0 and pos - 1 - item < _MAX_NAME and self.cjk(item - 1):
                item -= 1
            if item == pos - 1:
                return False
            if any(m in self.norm[item : pos - 1] for m in self.t.modifiers):
                return True
            pos = item
        return False

    def follower(self, end: int) -> str | None:
        """A meeting, medium or member word after a mention; a session number may come between
        (省委十二届二次全会, 市委第三次常委会会议)."""
        norm = self.norm
        m = _SESSION.match(norm, end)
        at = m.end() if m else end
        for n, words in self.t.follower_sets:  # longest first, as the followers tuple
            f = norm[at : at + n]
            if f in words:
                return f
        return None

    def window(self, start: int, end: int, left: int = 4, right: int = 2):
        """Tokens of a short window around [start, end): (boundaries, token at each start)."""
        w0 = start
        while w0 > 0 and start - w0 < left and self.cjk(w0 - 1):
            w0 -= 1
        w1 = end
        while w1 < self.n and w1 - end < right and self.cjk(w1):
            w1 += 1
        bounds: set[int] = {w0}
        at: dict[int, str] = {}
        pos = w0
        for tok in _tokens(self.norm[w0:w1]):
            at[pos] = tok
            pos += len(tok)
            bounds.add(pos)
        return bounds, at

    def name_ok(
        self, at: dict[int, str], bounds: set[int], s: int, e: int, strict: bool = True
    ) -> bool:
        """Tokens of a name [s, e): word boundaries at both ends, no stop words; ``strict``
        (a name before a head character) also refuses jurisdiction words inside."""
        if s not in bounds or e not in bounds:
            return False
        pos = s
        while pos < e:
            tok = at.get(pos)
            if tok is None:
                return False
            if tok in self.t.stopwords or tok in self.t.modifiers:
                return False
            if strict and (
                tok in SHORT_FORMS or any(x in tok for x in ("政府", "党委", "人大", "政协"))
            ):
                return False
            pos += len(tok)
        return True

    def head_at(self, p: int, min_name: int, party: bool) -> tuple[int, str] | None:
        """The first head character (局 厅 部 署 委 办) within a name's reach of ``p``:
        (position, head word), the head word being 办公室 / 办公厅 for an office."""
        norm = self.norm
        for i in range(p, min(self.n, p + _MAX_NAME + 1)):
            ch = norm[i]
            if not self.cjk(i):
                return None
            if ch not in HEADS or self.inword_at(i):
                continue
            if ch == "委" and norm.startswith("委员会", i):
                return None
            head = next((h for h in ("办公室", "办公厅") if norm.startswith(h, i)), ch)
            if (
                i - p >= min_name
                or (party and ch == "办" and i == p)
                or (ch in "委办" and i - p >= 1)
            ):
                return i, head
            return None
        return None

    # ---------------------------------------------------------------- anchored mentions
    def parse(self, qs: int, qe: int, kind: str, payload: Any, parents: list | None) -> Hit | None:
        """An agency right after the qualifier [qs, qe) (place, short form or zone word)."""
        norm, t = self.norm, self.t
        p = qe
        if p >= self.n or not self.cjk(p) or p in self.place_starts:
            return None  # 那曲市色尼区委: the inner place speaks
        start = qs
        if kind == "place":
            payload, start = payload
        start = start - 2 if start >= 2 and norm.startswith("中共", start - 2) else start
        q = (qs, qe, kind, payload, parents)
        party = False
        typed = self.typed_at.get(p)
        if norm[p] == "委" and not typed:
            if norm.startswith("委员会", p) and start < qs:  # 中共盖州市委员会
                return self._finish(q, start, p + 3, t.by_type["委"], "", True)
            if self.inword_at(p):
                return None
            party = True
            p += 1
            typed = self.typed_at.get(p)
        body = p
        if typed:
            for end, row in typed:
                if row.scope == "national" or row.generic:
                    continue
                return self._finish(q, start, end, row, None, party, body)
        m = _COMMITTEE_TAIL.search(norm, p, min(self.n, p + _MAX_COMMITTEE + 7))
        if m and m.start() - p >= 2 and all(self.cjk(i) for i in range(p, m.start())):
            whole = norm[p : m.start()] + m.group(0)
            if not any(whole.endswith(g) for g in t.generic_tails):
                hit = self._finish(
                    q, start, m.end(), _committee_row(whole), whole, party, body, False
                )
                if hit is not None:
                    return hit
        found = self.head_at(p, 2, party)
        if found is not None:
            i, head = found
            row = _OFFICE_ROW if head[0] == "办" else t.by_type[head]
            hit = self._finish(q, start, i + len(head), row, norm[p:i] + head, party, body)
            if hit is not None:
                return hit
        if party:
            return self._finish(q, start, p, t.by_type["委"], "", True)
        return None

    def _finish(
        self,
        q: tuple,
        start: int,
        end: int,
        row: AgencyRow,
        name: str | None,
        party: bool,
        body: int | None = None,
        strict: bool = True,
    ) -> Hit | None:
        """Validate an anchored candidate and resolve its place; ``name`` None = a typed alias,
        "" = the party committee itself (市委)."""
        qs, qe, kind, payload, parents = q
        norm = self.norm
        alias = norm[body:end] if body is not None else ""
        if name is None and alias.startswith("委"):  # 委党校: the alias carries the party mark
            party = True
        generic = bool(name)
        if kind in ("short", "place") or generic:
            bounds, at = self.window(qs, end)
            tok = at.get(qs, "")
            merged = (
                qs in bounds and qs + len(tok) == end
            )  # jieba knows the whole: 县法院, 市工商局
            if kind == "place" and (qs not in bounds or (tok in self.t.stopwords and not merged)):
                return None  # the place starts a word and is no tail of one (党委和县委: no 和县)
            if kind == "place" and any(norm.startswith(b, qs - len(b)) for b in self.t.brands):
                return None  # 法治石家庄建设领导小组: the place belongs to a programme's name
            if kind == "short":
                # the short form is a word of its own (not 市场, 社区, 全区, 县级, 乡镇), or
                # jieba glued it to the alias's first word (省政府|办公厅, 市民|政局)
                q = norm[qs:qe]
                glued = name is None and tok.startswith(q) and alias.startswith(tok[len(q) :])
                if qs not in bounds or (tok not in (q, q + "委") and not merged and not glued):
                    return None
            if generic and not merged:
                if not self.name_ok(at, bounds, body if body is not None else qe, end, strict):
                    return None
        if self.modified(start):
            return None
        conf = 0.95 if kind == "place" else 0.9 if kind == "short" else 0.85
        if kind == "place":
            link = _choose_place(payload, self.chain, parents)
        elif kind == "zone":
            link = _resolve_zone(self.chain, payload)
        else:
            link = _resolve_short(self.chain, payload, row.levels)
            if link is None and row.scope == "self":
                m = _SELF_CHAR.search(alias)
                link = _resolve_short(self.chain, m.group(1), ()) if m else None
            if link is None and not self.complete:  # the reporter is undecided: keep 县委 as 县委
                link, conf = Link(payload, None, None, None), 0.6
        if link is None:
            return None
        if generic:
            conf -= 0.15
        core = row.label if name is None else name
        if row.category == "congress" and link.level == "township":
            core = "人大"  # a township congress has a presidium, no standing committee
        label = _join(link.name + ("委" if party else ""), core)
        cat = "party" if party and row.category in ("party", "department") else row.category
        return Hit(start, end, label, row, cat, link, round(conf, 2), kind, party)

    def inherit(self, prev: Hit) -> Hit | None:
        """The next item of an enumeration keeps the place of the one before it
        (市发展改革委、国土资源局、规划局 → 桂林市国土资源局, 桂林市规划局)."""
        norm = self.norm
        p = prev.end + 1
        if prev.end >= self.n or norm[prev.end] != "、" or not self.cjk(p) or prev.link is None:
            return None
        if p in self.place_starts or norm[p] in SHORT_FORMS:
            return None  # the item names its own place (市委、市政府)
        prefix = prev.link.name + ("委" if prev.party else "")
        for end, row in self.typed_at.get(p, ()):
            if row.scope != "local" or row.generic or row.type in PARTY_SUFFIXES:
                continue
            if row.levels and prev.link.level not in row.levels and prev.link.level is not None:
                return None
            label = _join(prefix, row.label)
            return Hit(p, end, label, row, row.category, prev.link, 0.75, "inherit", prev.party)
        found = self.head_at(p, 2, False)
        if found is None:
            return None
        i, head = found
        end = i + len(head)
        if self.cjk(end):
            return None  # a listed name ends at the list's punctuation
        bounds, at = self.window(p, end, left=0)
        if not self.name_ok(at, bounds, p, end):
            return None
        row = _OFFICE_ROW if head[0] == "办" else self.t.by_type[head]
        cat = "party" if prev.party and row.category in ("party", "department") else row.category
        label = _join(prefix, norm[p:end])
        return Hit(p, end, label, row, cat, prev.link, 0.65, "inherit", prev.party)

    # ---------------------------------------------------------------- bare mentions
    def bare(self, s: int, e: int, row: AgencyRow) -> Hit | None:
        norm, t = self.norm, self.t
        if self.inword_at(e - 1) or self.modified(s):
            return None
        if row.scope == "national":
            if self.cjk(s - 1):
                bounds, _at = self.window(s, e)
                if s not in bounds:
                    return None
            return Hit(s, e, row.label, row, row.category, None, 0.95, "national")
        if row.scope == "self":
            m = _SELF_CHAR.search(norm[s:e])
            link = _resolve_short(self.chain, m.group(1), ()) if m else None
            conf = 0.85
            if link is None and m and not self.complete:
                link, conf = Link(m.group(1), None, None, None), 0.6
            if link is None:
                return None
            if self.cjk(s - 1):
                bounds, _at = self.window(s, e)
                if s not in bounds:
                    return None
            return Hit(s, e, _join(link.name, row.label), row, row.category, link, conf, "self")
        if row.levels == ("township",) and not row.bare:
            return self._stem(s, e, row)
        if row.category == "party" and row.type in PARTY_SUFFIXES:
            return self._own_party_group(s, e, row)
        if not row.bare or not self.chain or self.modified_list(s):
            return None
        if self.cjk(s - 1):
            bounds, at = self.window(s, e)
            if s not in bounds:
                return None
            prev = next((tok for pos, tok in at.items() if pos + len(tok) == s), "")
            if len(prev) > 1 and prev not in t.leads:
                return None
        link = next((lk for lk in self.chain if self._bare_level(lk, row)), None)
        if link is None:
            return None
        return Hit(s, e, _join(link.name, row.label), row, row.category, link, 0.8, "bare")

    @staticmethod
    def _bare_level(link: Link, row: AgencyRow) -> bool:
        """The level a bare alias speaks of: a township has no bureaus, no congress standing
        committee and no CPPCC; a zone has no congress and no CPPCC of its own."""
        if row.levels:
            return link.level in row.levels
        if link.level in ("township", "national"):
            return False
        return not (link.level == "zone" and row.category in ("congress", "cppcc"))

    def _stem(self, s: int, e: int, row: AgencyRow) -> Hit | None:
        """大河司法所: a township stem of the reporter's county before 司法所 / 派出所 / 法庭."""
        gaz = _gazetteer()
        anchors = [
            lk for lk in self.chain if lk.key and lk.level in ("county", "zone", "prefecture")
        ]
        mine = [lk for lk in self.chain if lk.key and lk.level == "township"]
        for k in (3, 2):
            if s - k < 0 or not all(self.cjk(i) for i in range(s - k, s)):
                continue
            stem = self.norm[s - k : s]
            if self.modified(s - k):
                continue
            for suffix in ("镇", "乡", "街道"):
                for p in gaz.lookup(stem + suffix):
                    if p.level != "township" or p.name != stem + suffix:
                        continue
                    if any(lk.key == p.key for lk in mine) or any(
                        gaz.is_ancestor(a.key, p) for a in anchors[:1]
                    ):
                        link = Link.of(p)
                        return Hit(
                            s - k, e, p.name + row.label, row, row.category, link, 0.8, "stem"
                        )
        return None

    def _own_party_group(self, s: int, e: int, row: AgencyRow) -> Hit | None:
        """局党组 / 局党委 in a bureau's own report: the bureau's party group."""
        dept = self.department
        if not dept or s < 1:
            return None
        ch = self.norm[s - 1]
        if ch not in "局厅委院部办" or not dept.endswith(ch):
            return None
        if self.cjk(s - 2):
            bounds, at = self.window(s - 1, e)
            if at.get(s - 1) != ch:
                return None
        link = self.chain[0] if self.chain else None
        return Hit(s - 1, e, dept + row.label, row, "party", link, 0.8, "bare", True)

    # ---------------------------------------------------------------- unanchored committees
    def scan_committee(self, s: int) -> tuple[int, str] | None:
        """The name before 委员会 / 领导小组 at ``s``, scanned back over jieba tokens to the
        nearest stop word: (name start, name)."""
        norm, t = self.norm, self.t
        w0 = s
        while w0 > 0 and s - w0 < _MAX_COMMITTEE and self.cjk(w0 - 1):
            w0 -= 1
        if w0 == s:
            return None
        keep: list[str] = []
        for tok in reversed(_tokens(norm[w0:s])):
            if tok in t.stopwords or tok in t.modifiers or tok in SHORT_FORMS:
                break
            keep.insert(0, tok)
        start = s - len("".join(keep))
        moved = True
        while moved and start < s:  # jieba cut 组建长三角 as 组|建长|三角: no 建 in the name
            moved = False
            for w in t.stopwords:
                for j in range(1, len(w)):
                    if start - j >= 0 and norm.startswith(w, start - j):
                        start, moved = start - j + len(w), True
                        break
        return (start, norm[start:s]) if start < s else None

    def topical(self, name: str) -> bool:
        return any(w in name for w in self.t.topics)


def _qualifiers(ctx: _Ctx) -> list[tuple[int, int, str, Any, list | None]]:
    """Every place name, short form and zone word: (start, end, kind, payload, parents)."""
    out: list[tuple[int, int, str, Any, list | None]] = []
    hits = [h for h in _gazetteer().find_all(ctx.norm) if h[3]]
    ends: dict[int, list[tuple[int, list]]] = {}
    for s, e, _surface, places in hits:
        ends.setdefault(e, []).append((s, places))
    ctx.place_starts = {
        s for s, _e, surface, places in hits if any(p.name == surface for p in places)
    }
    for s, e, _surface, places in hits:
        if not ctx.cjk(e):
            continue
        parents = [p for _s, ps in ends.get(s, ()) for p in ps] or None
        outer, seen = s, 0  # 辽宁省营口市盖州市: the mention starts at the outermost place
        while outer in ends and seen < 4:
            outer = min(ps for ps, _ in ends[outer])
            seen += 1
        out.append((s, e, "place", (places, outer), parents))
    for m in ctx.t.qualifier_re.finditer(ctx.norm):
        word = m.group(0)
        kind = "zone" if word in ctx.t.zone_words else "short"
        out.append((m.start(), m.end(), kind, word, None))
    rank = {"place": 0, "zone": 1, "short": 2}
    out.sort(key=lambda q: (q[0], -q[1], rank[q[2]]))
    return out


def find_agencies(
    norm: str, chain: list[Link], department: str | None = None, complete: bool | None = None
) -> list[Hit]:
    """Agency mentions of a normalised text for a reporter ``chain`` (no self-exclusion).

    ``department`` is the reporting department's label (for 局党组); ``complete`` says whether
    the chain is known (default: it comes from the gazetteer), else an unresolved short form
    keeps its own form (县委 stays 县委).
    """
    if not norm:
        return []
    ctx = _Ctx(norm, chain, department, chain_complete(chain) if complete is None else complete)
    hits: list[Hit] = []
    covered_until = 0
    for qs, qe, kind, payload, parents in _qualifiers(ctx):
        if qs < covered_until:
            continue
        hit = ctx.parse(qs, qe, kind, payload, parents)
        if hit is not None:
            hits.append(hit)
            covered_until = hit.end
    starts = {h.start for h in hits}
    for h in list(hits):  # enumerations: 市发展改革委、国土资源局、规划局
        nxt = ctx.inherit(h)
        while nxt is not None and nxt.start not in starts:
            hits.append(nxt)
            starts.add(nxt.start)
            nxt = ctx.inherit(nxt)
    taken: list[tuple[int, int]] = []
    # the positions inside a taken span: while every taken span is a non-empty span of the
    # text, a non-empty span of the text overlaps one exactly when it holds a marked position
    marked = bytearray(ctx.n)
    exact = True

    def take(a: int, b: int) -> None:
        nonlocal exact
        taken.append((a, b))
        if 0 <= a < b <= ctx.n:
            marked[a:b] = b"\x01" * (b - a)
        else:
            exact = False

    def free(s: int, e: int) -> bool:
        if exact and 0 <= s < e <= ctx.n:
            return marked.find(1, s, e) == -1
        return all(e <= a or s >= b for a, b in taken)

    for a, b in sorted((h.start, h.end) for h in hits):
        take(a, b)

    # bare and national aliases: leftmost-longest, outside the anchored mentions
    pos = 0
    for s in sorted(ctx.typed_at):
        if s < pos:
            continue
        e, row = ctx.typed_at[s][0]
        if not free(s, e):
            continue
        pos = e
        hit = ctx.bare(s, e, row)
        if hit is not None and free(hit.start, hit.end):
            hits.append(hit)
            take(hit.start, hit.end)
    # committees and leading groups named with no place before them (法治政府建设工作领导小组),
    # or after an agency (交通运输部法治政府部门建设领导小组, 市人大常委会法制工作委员会)
    for m in _COMMITTEE_TAIL.finditer(norm):
        if not free(m.start(), m.end()):
            continue
        found = ctx.scan_committee(m.start())
        if found is None:
            continue
        s, name = found
        owner = max(
            (h for h in hits if s <= h.start and h.end <= m.start() and h.how != "scan"),
            key=lambda h: h.end,
            default=None,
        )
        if owner is not None:
            name = norm[owner.end : m.start()]
            s = owner.start
        whole = name + m.group(0)
        if (
            len(name) < 2
            or not ctx.topical(name)
            or any(whole.endswith(g) for g in ctx.t.generic_tails)
        ):
            continue
        if owner is None and (len(name) < 4 or ctx.modified(s) or not free(s, m.end())):
            continue
        row = _committee_row(whole)
        if owner is not None:
            label, link = owner.label + whole, owner.link
        else:
            link = chain[0] if chain else None
            label = (link.name if link else "") + whole
        hits.append(Hit(s, m.end(), label, row, row.category, link, 0.7, "scan"))
        take(s, m.end())
    return [h for h in (_extend(ctx, h) for h in sorted(hits, key=lambda h: (h.start, h.end))) if h]


def _extend(ctx: _Ctx, hit: Hit) -> Hit | None:
    """Party groups of an agency (市司法局党组), then meetings, media and plurals dropped."""
    norm = ctx.norm
    if hit.row.type not in PARTY_SUFFIXES and hit.row.type != "委" and hit.category != "committee":
        for suf in PARTY_SUFFIXES:
            if norm.startswith(suf, hit.end):
                row = ctx.t.by_type.get(suf) or ctx.t.by_type["党组"]
                hit = Hit(hit.start, hit.end + len(suf), hit.label + suf, row, "party", hit.link,
                          hit.confidence, hit.how, True)  # fmt: skip
                break
    fol = ctx.follower(hit.end)
    if fol is not None:
        meeting = "会" in fol
        if not (meeting and hit.category in ("committee", "office")):
            return None
    if norm[hit.start : hit.end] in ctx.t.mentions:
        return None
    return hit


# --------------------------------------------------------------------------- the component


def _department_label(doc: Doc, chain: list[Link]) -> str | None:
    dept = doc.report.department
    if not dept:
        return None
    from kg.textnorm import normalize

    d = normalize(dept).strip()
    hits = [h for h in find_agencies(d, chain) if h.start == 0 and h.end == len(d)]
    return hits[0].label if hits else d


def _same(a: Link, b: Link) -> bool:
    if a.key is not None and b.key is not None:
        return a.key == b.key
    return a.name == b.name


def agencies(doc: Doc) -> Iterator[Fact]:
    """Agency facts of a report (see the module docstring)."""
    chain = reporter_chain(doc)
    dept = _department_label(doc, chain)
    own = chain[0] if chain else None
    for h in find_agencies(doc.norm, chain, dept):
        if dept and h.label == dept:
            continue  # the reporting department itself
        if not dept and h.category == "government" and own is not None and h.link is not None:
            if _same(h.link, own):
                continue  # the reporting government itself (市政府 in a city's report)
        yield doc.fact_from_view(
            "agency",
            h.label,
            h.start,
            h.end,
            COMPONENT,
            agency_type=h.row.type,
            category=h.category,
            jurisdiction=h.link.code if h.link else None,
            confidence=h.confidence,
        )


@component("agencies", VERSION, requires=("sentences", "reporter"), provides="agencies")
def agencies_component(doc: Doc) -> list[Fact]:
    """Specific agencies named in the report, labelled by the short-form suffix rule."""
    facts = list(agencies(doc))
    doc.annotations["agencies"] = facts
    return facts
