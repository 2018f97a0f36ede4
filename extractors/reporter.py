"""Who reported, for which year, and when: the report's metadata from its own text.

Clues in order of trust: the title block and the signature, the opening sentence, the page's
发文机构/发布机构, a document title that names this very report (我局总结形成了《…年度法治
政府建设…报告》), then the rest of the text (我市/全县/本区 and the place names it mentions,
parents of candidate places) and the manifest URL (pinyin of a place in a government host).
Never 来源 (the posting office), an addressee line (生态环境部:) or a site header.

Place names come from the gazetteer (:mod:`kg.gazetteer`). Namesakes (15 places are called
大河镇) are decided by their parents named in the text or by the URL; when nothing decides,
the jurisdiction has ``code=None`` and lists the candidates: never a guess presented as fact.

>>> from kg.model import Report
>>> r = Report(id="r", version="v", source="r.txt", text="2024年,盖州市坚持依法行政。")
>>> resolve(r, r.text)
>>> (r.jurisdiction.name, r.jurisdiction.code, r.year)
('盖州市', '210881000000', 2024)
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from extractors.pipeline import Doc, component
from kg.model import Candidate, Jurisdiction, Report

__all__ = ["AgencyType", "agency_types", "find_year", "parse_date", "resolve"]

DATA = Path(__file__).parent / "data"
NATIONAL = "中华人民共和国"

# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class AgencyType:
    type: str
    aliases: tuple[str, ...]
    category: str


@lru_cache(maxsize=1)
def agency_types() -> tuple[AgencyType, ...]:
    """The agency-type table (extractors/data/agency_types.tsv)."""
    rows: list[AgencyType] = []
    with open(DATA / "agency_types.tsv", encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        rows.append(AgencyType(row["type"], aliases, row["category"]))
    return tuple(rows)


@lru_cache(maxsize=1)
def _agency_suffix_re() -> re.Pattern[str]:
    words = sorted({a for t in agency_types() for a in t.aliases}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")")


@lru_cache(maxsize=1)
def _agency_category() -> dict[str, str]:
    return {a: t.category for t in agency_types() for a in t.aliases}


@lru_cache(maxsize=1)
def _gazetteer():
    from kg.gazetteer import load

    return load()


# --------------------------------------------------------------------------- dates and years

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip


def _cn_number(s: str) -> int | None:
    """二〇二四 → 2024, 十二 → 12, 二十六 → 26."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    digits = [_CN_DIGITS.get(c) for c in s]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat() if 1990 <= y <= 2100 else None
    except ValueError:
        return None


_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(
        r"([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
    ),
)
_GARBLED = re.compile(r"^(\d{4})(\d{3,4})$")


def parse_date(s: str) -> str | None:
    """A date as written on a signature or a page → ISO, or None.

    Handles 2024年3月6日, 2024-03-06, 2024/5/14, 二〇二四年三月六日 and a date whose separators
    were lost in scraping (2025217 → 2025-02-17 when only one split is a valid date).

    >>> parse_date("2025217"), parse_date("二〇二四年三月六日"), parse_date("2024/5/14 13:54")
    ('2025-02-17', '2024-03-06', '2024-05-14')
    """
    s = s.strip()
    for pat in _DATE_PATTERNS:
        m = pat.search(s)
        if m:
            y, mo, d = (_cn_number(g) for g in m.groups())
            if None not in (y, mo, d):
                iso = _valid(y, mo, d)  # type: ignore[arg-type]
                if iso:
                    return iso
    m = _GARBLED.match(s)
    if m:
        y, rest = int(m.group(1)), m.group(2)
        options = {_valid(y, int(rest[:i]), int(rest[i:])) for i in (1, 2)} - {None}
        if len(options) == 1:
            return options.pop()
    return None


_YEAR_TITLE = re.compile(r"(?<![—\-–~至到－])((?:19|20)\d\d)\s*年\s*度?")
_YEAR_OPENING = re.compile(r"^\s*((?:19|20)\d\d)\s*年(?:度|以来|是|[,，、上全])")
_YEAR_REPORT = re.compile(r"现将\s*((?:19|20)\d\d)\s*年")
_YEAR_HEADING = re.compile(
    r"^\s*[一二三四五六七八九十]+[、.．]\s*((?:19|20)\d\d)\s*年?度?(?!.*(?:计划|打算|安排|思路|展望))"
)


def find_year(title: str, opening: str, norm: str) -> tuple[int | None, str | None]:
    """The year the report covers and the clue that gave it.

    >>> find_year("保定市人民政府关于保定市2023年度法治政府建设情况的报告", "", "")
    (2023, 'title')
    >>> find_year("", "2024年,我市坚持以习近平新时代中国特色社会主义思想为指导", "")
    (2024, 'opening')
    """
    if title and re.search(r"法治|依法行政|报告|情况", title):
        m = _YEAR_TITLE.search(title)
        if m:
            return int(m.group(1)), "title"
    if opening:
        m = _YEAR_OPENING.match(opening)
        if m:
            return int(m.group(1)), "opening"
        m = re.search(r"[,，。]\s*((?:19|20)\d\d)\s*年(?:度|以来)?[,，]", opening[:400])
        if m:
            return int(m.group(1)), "opening"
    head = norm[:4000]
    m = _YEAR_REPORT.search(head)
    if m:
        return int(m.group(1)), "report-sentence"
    for line in head.splitlines():
        m = _YEAR_HEADING.match(line)
        if m:
            return int(m.group(1)), "heading"
    # the year of the work plan the opening paragraph implements (按照《钟山区2022年…工作要点》)
    first_para = (opening or head).split("\n", 1)[0][:600]
    for m in re.finditer(
        r"《[^《》]*?((?:19|20)\d\d)年(?:度)?[^《》]*?(?:工作要点|工作方案|工作计划|任务|要点)》",
        first_para,
    ):
        return int(m.group(1)), "work-plan-title"
    return None, None


# --------------------------------------------------------------------------- text blocks

_FURNITURE_LINE = re.compile(
    r"首页|当前位置|位置[:：]|>|\||发布|来源|浏览|字体|字号|索引号|分享|打印"
)
_ADDRESSEE = re.compile(r"^[^,，。]{2,30}[:：]\s*$")


@dataclass(slots=True)
class Blocks:
    title: str  # the title block (short lines at the top, joined)
    title_start: int
    opening: str  # first sentence of the body
    opening_start: int
    signature: str  # short lines at the end
    signature_start: int


def _blocks(norm: str, page_title: str | None) -> Blocks:
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw in norm.split("\n"):
        s = raw.strip()
        if s:
            lines.append((pos + raw.find(s[0]), s))
        pos += len(raw) + 1
    title_parts: list[str] = []
    title_start = 0
    opening, opening_start = "", 0
    for i, (start, line) in enumerate(lines[:15]):
        long_line = (
            len(line) > 60
            or re.match(r"^\s*(?:19|20)\d\d年(?:度|以来)?[,，]", line)
            or re.search(r"[,，。；;]|现将|如下[:：]?$", line)  # a sentence, not a title
        )
        if long_line:
            sent = re.split(r"(?<=[。！？!?])", line, maxsplit=1)[0]
            opening, opening_start = sent, start
            break
        if (
            _ADDRESSEE.match(line)
            or _FURNITURE_LINE.search(line)
            and not re.search(r"报告|法治", line)
        ):
            continue
        if re.fullmatch(r"[\d\s:：\-/.年月日]+", line) or heading_like(line):
            if heading_like(line):
                # a body heading before any long line: the title block is over
                opening_start = start
                rest = lines[i + 1 : i + 3]
                if rest:
                    opening, opening_start = rest[0][1], rest[0][0]
                break
            continue
        if not title_parts:
            title_start = start
        if len("".join(title_parts)) < 80:
            title_parts.append(line)
    title = "".join(title_parts)
    if page_title:
        title = page_title + ("\n" + title if title and title not in page_title else "")
    sig_lines: list[tuple[int, str]] = []
    for start, line in reversed(lines[-8:]):
        if len(line) > 40 or _FURNITURE_LINE.search(line) and not parse_date(line):
            if sig_lines:
                break
            continue
        sig_lines.append((start, line))
    sig_lines.reverse()
    if not any(parse_date(x) for _, x in sig_lines):
        # a cover letter's signature (生态环境部: … 上海市生态环境局 / 2022年1月21日)
        for (s1, l1), (s2, l2) in zip(lines, lines[1:], strict=False):
            if (
                len(l1) <= 30
                and not re.search(r"[,，。:：;；]", l1)
                and len(l2) <= 16
                and parse_date(l2)
            ):
                sig_lines = [(s1, l1), (s2, l2)]
    signature = "\n".join(s for _, s in sig_lines)
    return Blocks(title, title_start, opening, opening_start, signature,
                  sig_lines[0][0] if sig_lines else len(norm))  # fmt: skip


def heading_like(line: str) -> bool:
    return bool(re.match(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]", line))


# --------------------------------------------------------------------------- place mentions


@dataclass(slots=True)
class Occ:
    start: int
    end: int
    surface: str
    places: list  # gazetteer places


def occurrences(text: str) -> list[Occ]:
    """Place-name occurrences in ``text``, longest first where they overlap."""
    if not text:
        return []
    found = _gazetteer().find_all(text)
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[Occ] = []
    for s, e, surface, places in found:
        if out and s < out[-1].end:  # overlapped by a longer or earlier name
            if e - s > out[-1].end - out[-1].start and s == out[-1].start:
                out[-1] = Occ(s, e, surface, list(places))
            continue
        out.append(Occ(s, e, surface, list(places)))
    return out


def _chain_last(occs: list[Occ], text: str = "") -> tuple[Occ | None, list, int]:
    """Resolve a contiguous chain of names (长沙市天心区坡子街街道) to its most specific place.

    Returns the last occurrence, the places it may be (filtered by the earlier names of the
    chain when they decide), and where the chain ends. With ``text``, a child whose name is a
    bare type word the automaton does not search (攀枝花市东区, 某市城区) extends the chain.
    """
    if not occs:
        return None, [], 0
    gaz = _gazetteer()
    chain = [occs[0]]
    for o in occs[1:]:
        if o.start - chain[-1].end <= 1:
            chain.append(o)
        else:
            break
    places = list(chain[0].places)
    for o in chain[1:]:
        narrowed = [p for p in o.places if any(gaz.is_ancestor(a, p) for a in places)]
        places = narrowed or list(o.places)
    last, end = chain[-1], chain[-1].end
    while text and len(places) == 1:
        child = next((c for c in gaz.children(places[0]) if text.startswith(c.name, end)), None)
        if child is None:
            break
        last = Occ(end, end + len(child.name), child.name, [child])
        places, end = [child], end + len(child.name)
    return last, places, end


_GOV_WORDS = re.compile(
    r"^(?:人民政府|政府|党工委|管委会|管理委员会|街道办事处|办事处|党委|委员会)"
)
_DEPT_TAIL = re.compile(r"^[\u4e00-\u9fff]{0,14}?(?:局|厅|部|委员会|委|办公室|办|署|院|中心|所)")


def _department(subject: str, after: int) -> str | None:
    """The department named in a subject string from offset ``after`` on (None if the body is
    the government itself)."""
    rest = subject[after:]
    rest = re.sub(r"^[\s、,，]+", "", rest)
    if not rest or _GOV_WORDS.match(rest):
        return None
    m = _DEPT_TAIL.match(rest)
    if not m:
        return None
    word = m.group(0)
    if re.match(r"^(?:全|各|本|我|所|有关|相关)", word) or re.search(r"各级|及其|以及|和|等", word):
        return None
    if word.endswith("委") and len(word) <= 2:  # 市委, 县委: party committee, not a department
        return None
    cat = None
    for alias, c in _agency_category().items():
        if word.endswith(alias):
            cat = c
            break
    if cat in ("government", "party") and not word.endswith(("局", "部", "厅")):
        return None
    return subject[:after].strip() + word if after else word


# --------------------------------------------------------------------------- resolution


@dataclass
class Evidence:
    score: float = 0.0
    clues: list[str] = field(default_factory=list)

    def add(self, w: float, clue: str) -> None:
        self.score += w
        if clue not in self.clues:
            self.clues.append(clue)


_PRONOUN = re.compile(r"(?:我|全|本)([省市县区镇乡州旗])(?![委长级直属])")
_SHORT_AGENCY = re.compile(r"^([省市县区镇乡])(?:[\u4e00-\u9fff]{1,10}?)(局|厅|委员会|办公室|办)")
_SUBJECT_SKIP = re.compile(
    r"^(?:\s*(?:19|20)\d\d年(?:度|以来)?[,，]?\s*)?(?:在[^。]{0,90}?(?:领导|指导|支持|监督|关心|帮助|部署)下[,，]\s*)*"
)
_SELF_TITLE = re.compile(
    r"《([^《》]{2,40}?)(?:关于)?(?:(?:19|20)\d\d年度?)?(?:法治政府|依法行政)[^《》]{0,20}(?:报告|情况)》"
)


def _subject_region(title: str) -> list[str]:
    """The parts of a title that name the reporting body (year and topic removed)."""
    t = re.sub(r"【[^】]*】", "", title)
    t = re.split(r"法治|依法行政|法制|工作报告|年度报告", t, maxsplit=1)[0]
    parts = re.split(r"关于|(?:19|20)\d\d\s*年度?|[\s,，]", t)
    return [p for p in (x.strip("的 ") for x in parts) if p]


def _host_tokens(url: str | None) -> tuple[list[str], bool]:
    if not url:
        return [], False
    host = (urlparse(url).hostname or "").lower()
    gov = host.endswith(".gov.cn") or ".gov." in host
    labels = [
        lab
        for lab in re.split(r"[.\-]", host)
        if lab and lab not in ("www", "gov", "cn", "com", "net", "org", "m")
    ]
    return labels, gov


def _url_match(place, labels: list[str]) -> bool:
    if not labels:
        return False
    full, initials = _gazetteer().pinyin_keys(place)
    for lab in labels:
        if full and len(full) >= 4 and full in lab:
            return True
        if (
            initials
            and len(initials) >= 2
            and (lab == initials or lab.endswith(initials) and len(lab) <= 6)
        ):
            return True
    return False


def resolve(report: Report, norm: str) -> None:
    """Fill ``report.jurisdiction``, ``department``, ``year``, ``published``, ``signed`` and
    ``title`` from its text (``norm`` is the normalised view, same offsets in practice)."""
    gaz = _gazetteer()
    # the place names of the whole text first: the gazetteer then answers the searches in the
    # title, the signature and the other pieces of this text from these hits
    body = occurrences(norm)
    page_title = report.meta.title if report.meta and report.meta.title else None
    blocks = _blocks(norm, page_title)
    if not report.title:
        report.title = (blocks.title.split("\n")[0] or None) if blocks.title else None

    # year, signature and publication dates
    report.year, _ = find_year(blocks.title, blocks.opening, norm)
    for line in reversed(blocks.signature.split("\n")):
        iso = parse_date(line)
        if iso:
            report.signed = iso
            break
    if not report.published and report.meta and report.meta.published:
        report.published = report.meta.published

    ev: dict[str, Evidence] = defaultdict(Evidence)
    places_by_key: dict[str, object] = {}
    surface_of: dict[str, str] = {}
    department: str | None = None
    short_prefix: str | None = None  # 县 of 县司法局: the department's jurisdiction is a 县

    def credit(places: list, w: float, clue: str, surface: str) -> None:
        for p in places:
            places_by_key[p.key] = p
            surface_of.setdefault(p.key, surface)
            ev[p.key].add(w, clue)

    def subject_of(text: str, w: float, clue: str, allow_dept: bool = True) -> bool:
        nonlocal department, short_prefix
        occs = occurrences(text)
        lead = [o for o in occs if o.start == 0]
        if lead:
            last, places, end = _chain_last(lead + [o for o in occs if o.start > 0], text)
            places = places + _generic_zones(last.surface) if last else places
            credit(places, w, clue, last.surface if last else "")
            if allow_dept and department is None:
                department = _department(text, end)
            return True
        zw = next(
            (w for w in sorted(_zone_words(), key=len, reverse=True) if text.startswith(w)), None
        )
        if zw:
            credit(_generic_zones(zw), w, clue, zw)
            if allow_dept and department is None:
                department = _department(text, len(zw))
            return True
        m = _SHORT_AGENCY.match(text)
        if m and allow_dept and department is None:
            short_prefix = m.group(1)
            department = m.group(0)
            return True
        if allow_dept and department is None:
            d = _department(text, 0)
            if d and len(d) >= 3:
                department = d
                return True
        return False

    # 1. the title block (page title first), subject part only
    title_hit = False
    for part in _subject_region(blocks.title):
        if subject_of(part, 10.0, "title"):
            title_hit = True
            break
    # 2. the signature
    if blocks.signature:
        for line in blocks.signature.split("\n"):
            occs = occurrences(line)
            if occs and occs[0].start <= 1:
                last, places, _ = _chain_last(occs, line)
                credit(places, 8.0, "signature", last.surface)
    # 3. the opening sentence: the subject after the year and any 在…领导下 clause
    if blocks.opening:
        opening = re.sub(r"^[^\u4e00-\u9fff\d]+", "", blocks.opening)
        inner = re.search(r"[,，。]\s*((?:19|20)\d\d\s*年(?:度|以来)?[,，])", opening[:300])
        if inner and not re.match(r"\s*(?:19|20)\d\d\s*年", opening):
            opening = opening[inner.start(1) :]
        m = _SUBJECT_SKIP.match(opening)
        subj = opening[m.end() if m else 0 :][:40]
        if not subject_of(subj, 7.0, "opening", allow_dept=not title_hit):
            lead = re.match(
                r"^(?:19|20)\d\d年(?:度|以来)?[,，]?\s*(?:我|本)[局厅委办部]在([^,，。]{2,40}?)(?:领导|指导)下",
                opening,
            )
            if lead:
                # 我局在汉中市委、市政府的领导下: the leading 市委 is the department's own
                occs = occurrences(lead.group(1))
                if occs and re.match(
                    r"[^,，。、]{0,2}?(?:委|政府|人民政府)", lead.group(1)[occs[0].end :]
                ):
                    last, places, _ = _chain_last(occs, lead.group(1))
                    credit(places, 5.0, "department-leadership", last.surface)
    # 4. the page's 发文机构/发布机构
    if report.meta and report.meta.issuer:
        subject_of(normalize_meta(report.meta.issuer), 5.0, "issuer", allow_dept=department is None)
    # 5. a document title naming this very report
    for m in _SELF_TITLE.finditer(norm):
        subject_of(m.group(1), 6.0, "self-title", allow_dept=department is None)
        break

    # 6. the body: names, pronouns and parents (``body``: found first)
    freq: Counter[str] = Counter()
    for o in body:
        for p in o.places:
            places_by_key.setdefault(p.key, p)
            surface_of.setdefault(p.key, o.surface)
            freq[p.key] += 1
    doc_title_names: Counter[str] = Counter()
    for m in re.finditer(r"《([^《》]{2,60})》", norm):
        for o in occurrences(m.group(1))[:1]:
            if o.start == 0:
                for p in o.places:
                    doc_title_names[p.key] += 1
    pron = Counter(m.group(1) for m in _PRONOUN.finditer(norm))
    if short_prefix:
        pron[short_prefix] += 3
    top_pron = pron.most_common(1)[0][0] if pron else None

    subject_keys = [k for k, e in ev.items() if e.score > 0]
    pool = set(subject_keys)
    if not pool:
        # no subject clue: 我市/全县 + the names the text uses most (and names in its titles)
        for k, n in freq.items():
            p = places_by_key[k]
            fits = any(_suffix_ok(p, ch) for ch in pron)
            if (n >= 2 or doc_title_names[k]) and (fits or n >= 3 or doc_title_names[k]):
                pool.add(k)
    labels, gov_host = _host_tokens(report.url)
    if not pool and labels:
        # last resort: a government host naming a place (tongguan.gov.cn), consistent with 我县
        for lab in labels:
            for p in gaz.by_pinyin(lab):
                if p.level in ("province", "prefecture", "county", "zone") and (
                    not top_pron or _suffix_ok(p, top_pron)
                ):
                    places_by_key[p.key] = p
                    surface_of.setdefault(p.key, p.name)
                    ev[p.key].add(3.0 if gov_host else 1.0, "url")
                    pool.add(p.key)

    for k in pool:
        p = places_by_key[k]
        e = ev[k]
        e.add(min(3.0, 0.3 * freq[k]), "frequency") if freq[k] else None
        if doc_title_names[k]:
            e.add(min(2.0, 0.7 * doc_title_names[k]), "document-titles")
        fits = [ch for ch in pron if _suffix_ok(p, ch)]
        if fits:
            share = sum(pron[ch] for ch in fits) / sum(pron.values())
            e.add(2.0 * share, "我" + "".join(fits))
        # parents named in the text decide between namesakes
        for depth, a in enumerate(reversed(gaz.ancestors(p))):
            if freq.get(a.key):
                e.add(2.0 / (1 + depth), "parent-named")
        if _url_match(p, labels) or any(_url_match(a, labels) for a in gaz.ancestors(p)[-2:]):
            e.add(3.0 if gov_host else 1.0, "url")

    jur = _decide(pool, ev, places_by_key, surface_of)
    if jur.name is None and not department:
        jur.candidates = _undecided_candidates(freq, places_by_key, pron)
    if department and not jur.name and _is_national_department(department, norm):
        jur = Jurisdiction(NATIONAL, None, "national", [NATIONAL], 0.9, evidence="department")
    department = _complete_department(department, short_prefix, jur)
    if department is None and jur.name and _SELF_DEPT.search(norm):
        department = _named_self_department(norm, jur.name)
    report.jurisdiction = jur
    report.department = department


@lru_cache(maxsize=1)
def _zone_words() -> dict[str, list]:
    """Generic zone words (高新区 …) → the zones whose name or alias ends with one of them."""
    words: set[str] = set()
    with open(DATA / "zone_types.tsv", encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        words.update(a for a in row["aliases"].split("|") if a)
    out: dict[str, list] = {w: [] for w in words}
    seen: set[tuple[str, str]] = set()
    for surface, place, _kind in _gazetteer().surfaces():
        if place.level != "zone":
            continue
        for w in words:
            if surface.endswith(w) and surface != w and (w, place.key) not in seen:
                seen.add((w, place.key))
                out[w].append(place)
    return out


def _generic_zones(surface: str) -> list:
    """Zones a bare type word such as 高新区 may stand for (decided later by parents/URL)."""
    return list(_zone_words().get(surface, ()))


_SELF_DEPT = re.compile(r"(?:我|本)(?:局|厅|委)(?![员会托])")


def _named_self_department(norm: str, place: str) -> str | None:
    """A report that says 我局 names its bureau elsewhere: the most frequent 〈place〉…局/厅/委员会
    (成立中山市生态环境局法治建设工作领导小组), else 全市司法行政系统 → 〈place〉司法局."""
    known = set(_agency_category())
    found: Counter[str] = Counter()
    for m in re.finditer(re.escape(place) + r"([\u4e00-\u9fff]{2,12}?(?:局|厅|委员会))", norm):
        tail = m.group(1)
        if (
            any(tail.endswith(a) and len(a) >= 2 for a in known)
            and _agency_category().get(tail, "department") == "department"
        ):
            found[m.group(0)] += 1
    if found:
        return found.most_common(1)[0][0]
    m = re.search(r"[全本][市县区省州]([\u4e00-\u9fff]{2,6}?)行政系统", norm)
    if m and m.group(1) + "局" in known:
        return place + m.group(1) + "局"
    return None


def _complete_department(
    dept: str | None, short_prefix: str | None, jur: Jurisdiction
) -> str | None:
    """县司法局 in 潼关县's report → 潼关县司法局; 高新区综治局 → 珠海高新区综治局."""
    if not dept or not jur.name:
        return dept
    if short_prefix and jur.name.endswith(short_prefix) and dept.startswith(short_prefix):
        return jur.name + dept[len(short_prefix) :]
    zw = next((w for w in sorted(_zone_words(), key=len, reverse=True) if dept.startswith(w)), None)
    if zw and jur.level == "zone":
        gaz = _gazetteer()
        places = [gaz.get(jur.code)] if jur.code else gaz.lookup(jur.name)
        names = [jur.name, *(a for p in places if p for a in p.aliases)]
        for n in sorted(names, key=len):
            if n.endswith(zw):
                return n + dept[len(zw) :]
    return dept


def normalize_meta(s: str) -> str:
    from kg.textnorm import normalize

    return normalize(s).strip()


def _suffix_ok(place, ch: str) -> bool:
    """Does 我<ch>/全<ch> fit this place? (全区 fits a 区, a 新区 zone and a 自治区.)"""
    if ch == "州":
        return place.name.endswith("州")
    if ch == "旗":
        return place.name.endswith("旗")
    return place.name.endswith(ch) or (ch == "区" and place.level == "zone")


def _is_national_department(dept: str, norm: str) -> bool:
    return bool(
        re.match(r"^[\u4e00-\u9fff]{2,10}(?:部|委员会|总局|署|局)$", dept)
    ) and not re.match(r"^[省市县区镇乡]", dept)


def _decide(
    pool: set[str], ev: dict[str, Evidence], places: dict, surface_of: dict
) -> Jurisdiction:
    gaz = _gazetteer()
    if not pool:
        return Jurisdiction(None, None, None, [], 0.0)
    ranked = sorted(pool, key=lambda k: (-ev[k].score, _level_rank(places[k]), k))
    best = ranked[0]
    bp = places[best]
    # a more specific place inside the best one with nearly as much subject evidence wins
    ties = [k for k in ranked[1:] if ev[best].score - ev[k].score < 1.0]
    namesakes = [
        k for k in ties if places[k].name == bp.name or surface_of.get(k) == surface_of.get(best)
    ]
    second = ev[ranked[1]].score if len(ranked) > 1 else 0.0
    margin = ev[best].score - second
    strong = any(
        c in ev[best].clues for c in ("title", "signature", "opening", "issuer", "self-title")
    )
    confidence = min(0.99, (0.75 if strong else 0.5) + 0.05 * margin)
    if namesakes:
        cands = [bp] + [places[k] for k in namesakes]
        return Jurisdiction(
            name=bp.name,
            code=None,
            level=bp.level if len({p.level for p in cands}) == 1 else None,
            path=[],
            confidence=round(1.0 / len(cands), 3),
            candidates=[Candidate(p.name, p.code, p.level, gaz.path(p)) for p in cands],
            evidence=",".join(ev[best].clues),
        )
    parent = gaz.parent(bp)
    return Jurisdiction(
        name=bp.name,
        code=bp.code,
        level=bp.level,
        path=gaz.path(bp),
        confidence=round(confidence, 3),
        candidates=[],
        parent_code=parent.code if parent else None,
        evidence=",".join(ev[best].clues),
    )


def _undecided_candidates(freq: Counter, places: dict, pron: Counter) -> list[Candidate]:
    """When nothing names the reporter: the places that fit 我市/我县 — those the text names and
    the parents of the places it names (我市 … 平度市 suggests the city above 平度市)."""
    gaz = _gazetteer()
    seen: dict[str, object] = {}
    for k, _n in freq.most_common(20):
        p = places[k]
        for q in (p, gaz.parent(p)):
            if q is not None and q.level != "province" and any(_suffix_ok(q, ch) for ch in pron):
                seen.setdefault(q.key, q)
    return [Candidate(p.name, p.code, p.level, gaz.path(p)) for p in list(seen.values())[:8]]


def _level_rank(p) -> int:
    return {"township": 0, "zone": 1, "county": 2, "prefecture": 3, "province": 4}.get(p.level, 5)


@component("reporter", 1, requires=("sentences",), provides="reporter")
def reporter_component(doc: Doc) -> None:
    """Resolve the reporting jurisdiction/department, the year and the dates."""
    resolve(doc.report, doc.norm)
    doc.annotations["reporter"] = doc.report.jurisdiction
    return None
