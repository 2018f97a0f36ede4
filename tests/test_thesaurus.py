"""The program thesaurus (ontology/programs.ttl), its matcher, and the curation of programs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import thesaurus
from extractors.thesaurus import PROGRAM_NS, match_key, slugify, squeeze, stoplist
from kg.curation import Curation, CurationError
from kg.textnorm import normalize


@pytest.fixture(autouse=True)
def _empty_overlay(tmp_path):
    """Every test sees an empty curation overlay unless it writes one."""
    thesaurus.set_curation(tmp_path / "overlay" / "decisions.jsonl")
    yield
    thesaurus.set_curation(None)


@pytest.fixture()
def th():
    return thesaurus.load()


def test_size_and_shape(th):
    assert len(th) >= 80
    cats = set(th.categories)
    assert {"公共法律服务", "普法", "行政执法", "矛盾纠纷化解", "政务服务", "决策", "监督", "组织领导",
            "立法与规范性文件", "基层治理"} <= cats  # fmt: skip
    for p in th:
        assert p.id.startswith(PROGRAM_NS) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.slug), p.id
        assert p.slug == slugify(p.pref), (p.pref, p.slug)
        assert p.en and p.category in cats, p.pref
        for b in p.broader:
            assert b in th.programs, (p.pref, b)
    assert not th.warnings, th.warnings  # no name is claimed by two programs


@pytest.mark.parametrize(
    ("name", "pref"),
    [
        ("一村(社区)一法律顾问", "一村(社区)一法律顾问"),
        ("一社区(村)一法律顾问", "一村(社区)一法律顾问"),
        ("一社区（村）一法律顾问", "一村(社区)一法律顾问"),
        ("村(居)法律顾问", "一村(社区)一法律顾问"),
        ("一村一法律顾问", "一村(社区)一法律顾问"),
        ("法律明白人培养工程", "法律明白人"),
        ("七五普法", "七五普法"),
        ("“八五”普法规划", "八五普法"),
        ("谁执法谁普法", "谁执法谁普法"),
        ("新时代“枫桥经验”", "新时代枫桥经验"),
        ("枫桥经验", "新时代枫桥经验"),
        ("首次轻微违法不予处罚", "首违不罚"),
        ("行政执法“三项制度”", "行政执法三项制度"),
        ("双随机一公开", "双随机、一公开"),
        ("放管服改革", "放管服"),
        ("一网通办", "一网通办"),
        ("最多跑一趟", "最多跑一次"),
        ("一趟不用跑", "一趟不用跑"),
        ("高效办成一件事", "高效办成一件事"),
        ("12345政务服务便民热线", "12345热线"),
        ("证照分离", "证照分离"),
        ("告知承诺制", "告知承诺制"),
        ("权责清单制度", "权责清单"),
        ("政府法律顾问", "政府法律顾问制度"),
        ("重大行政决策程序", "重大行政决策程序"),
        ("合法性审查", "合法性审核"),
        ("述法", "述法"),
        ("法治政府建设示范创建", "法治政府建设示范创建"),
        ("民主法治示范村(社区)", "民主法治示范村(社区)"),
        ("三调联动", "三调联动"),
        ("河长制", "河长制"),
        ("一网统管", "一网统管"),
        ("互联网+政务服务", "互联网+政务服务"),
        ("公共法律服务中心", "公共法律服务工作站"),
        ("12348热线", "12348热线"),
        ("法律援助", "法律援助"),
        ("人民调解", "人民调解"),
        ("行政复议体制改革", "行政复议体制改革"),
        ("行政执法责任制", "行政执法责任制"),
        ("包容审慎监管", "包容审慎监管"),
        ("信用监管", "信用监管"),
        ("第一议题", "第一议题"),
        ("关键少数", "关键少数"),
        ("三重一大", "三重一大"),
        ("法治政府建設示范創建", "法治政府建设示范创建"),
    ],
)
def test_required_programs_and_variants(th, name, pref):
    p = th.get(name) or next((q for q in th if q.pref == name), None)
    assert p is not None and p.pref == pref


def test_hierarchy_and_borderline(th):
    three = th.get("行政执法三项制度")
    kids = {p.pref for p in th if three.id in p.broader}
    assert kids == {"行政执法公示制度", "执法全过程记录制度", "重大执法决定法制审核制度"}
    umbrella = next(p for p in th if p.pref == "全民普法")
    assert {"七五普法", "八五普法", "谁执法谁普法", "法律明白人"} <= {
        p.pref for p in th if umbrella.id in p.broader
    }
    assert all(th.get(n).borderline for n in ("第一议题", "关键少数", "三重一大"))
    assert not th.get("法律明白人").borderline


def test_slogans_are_not_programs(th):
    stop = stoplist()
    for slogan in (
        "习近平法治思想",
        "四个意识",
        "四个自信",
        "两个维护",
        "两个确立",
        "五位一体",
        "四个全面",
    ):
        assert match_key(slogan) in stop.slogan
        assert th.find(normalize(f"增强“{slogan}”")) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "深入开展2024年“一社区(村)一法律顾问”服务等工作,实现镇街政府法律顾问以及社区(村)法律顾问全覆盖。",
            [
                ("一村(社区)一法律顾问", "一社区(村)一法律顾问"),
                ("政府法律顾问制度", "政府法律顾问"),
                ("一村(社区)一法律顾问", "社区(村)法律顾问"),
            ],
        ),
        ("扎实推进“三项制度”落实。", [("行政执法三项制度", "三项制度")]),
        ("深入践行新时代“枫桥经验”,调解纠纷案件4727起", [("新时代枫桥经验", "新时代“枫桥经验”")]),
        ("实施“双随机、一公开”全要素、全流程监管", [("双随机、一公开", "双随机、一公开")]),
        ("认真落实“八五”普法规划", [("八五普法", "“八五”普法规划")]),
        (
            "落实本年度国家机关“谁执法谁普法”履职报告评议活动",
            [("谁执法谁普法", "“谁执法谁普法”履职报告评议")],
        ),
        ("组织开展学习宣传上述法律法规", []),  # a veto: 上述法律 is not 述法
        ("共受理群众诉求12345件", []),  # a number, not the hotline
        ("與保定市12345熱線建立聯動合作機制", [("12345热线", "12345熱線")]),
        ("全年受理各类法律援助案件380件", []),  # a policy area, not a named program
        ("2022年區(qū)堅持依法治區(qū),深入推進“放管服”改革", [("放管服", "“放管服”改革")]),
    ],
)
def test_find(th, text, found):
    norm = normalize(text)
    got = [(p.pref, text[s:e]) for p, s, e in th.find(norm)]
    assert got == found


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("一村(社区)居法律顾问“”‘’「」 、·（）三项制度述上12345熱线abcX\n區(qū)")
        ),
        max_size=80,
    )
)
def test_squeeze_maps_back(text):
    norm = normalize(text)
    sq = squeeze(norm)
    assert len(sq.text) <= len(norm)
    for k in range(len(sq.text)):
        assert sq.text[k] == norm[sq.src(k)].lower()
    for p, s, e in thesaurus.load().find(norm, sq):
        assert 0 <= s < e <= len(norm)
        assert match_key(norm[s:e]) in {match_key(n) for n in p.labels} or len(norm[s:e]) >= 2


def test_slugify():
    assert slugify("一村(社区)一法律顾问") == "yi-cun-she-qu-yi-fa-lv-gu-wen"
    assert slugify("1+N行动") == "1-plus-n-xing-dong"
    assert slugify("双随机、一公开") == "shuang-sui-ji-yi-gong-kai"


def test_promote_and_alias_change_thesaurus_and_version(tmp_path):
    from kg.programs import add_alias, promote, thesaurus_quads

    path = tmp_path / "cur" / "decisions.jsonl"
    thesaurus.set_curation(path)
    cur = Curation(path)
    v0 = thesaurus.version()
    assert thesaurus.load().get("三书同达") is None
    d = promote("三书同达", category="行政执法", curation=cur)
    assert d["slug"] == "san-shu-tong-da"
    th = thesaurus.load()
    p = th.get("三书同达")
    assert p.id == PROGRAM_NS + "san-shu-tong-da" and p.promoted and p.category == "行政执法"
    v1 = thesaurus.version()
    assert v1 != v0
    add_alias("法律明白人", "学法用法带头人", curation=cur)
    th = thesaurus.load()
    assert th.get("学法用法带头人").pref == "法律明白人"
    assert thesaurus.version() not in (v0, v1)
    text = normalize("积极推行“三书同达”机制,培育学法用法带头人")
    assert [q.pref for q, _, _ in th.find(text)] == ["三书同达", "法律明白人"]
    quads = {str(q) for q in thesaurus_quads(cur)}
    assert any("san-shu-tong-da" in q and "prefLabel" in q for q in quads)
    assert any("学法用法带头人" in q for q in quads)
    with pytest.raises(CurationError):
        promote("法律明白人", curation=cur)  # already curated: an alias, not a promotion
    with pytest.raises(CurationError):
        add_alias("法律明白人", "放管服", curation=cur)  # names another program
    with pytest.raises(CurationError):
        add_alias("不存在的机制", "某某", curation=cur)
    with pytest.raises(CurationError):
        promote("新机制", category="没有这个类别", curation=cur)
    # the overlay survives a reload (a new process): decisions are data
    assert [d["op"] for d in Curation(path).program_decisions()] == ["promote", "alias"]
