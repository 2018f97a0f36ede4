"""Documents: titles inside 《》, their role, issuer, kind, 文号 and identity.

The expected documents of the seeds and the corpus excerpts below were written by reading each
《…》 occurrence of the texts (not by running the extractor); scoring follows FACTS.md: facts are
grouped by title; a group is right when its title or mention contains, or is contained in (two
characters at least), an expected title after normalisation; role is scored on the first
document fact, in text order, matching each expected document.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.documents import (
    canonical_title,
    doc_kind,
    documents,
    find_titles,
    law_canonical,
    title_years,
)
from extractors.pipeline import Runner
from extractors.segment import segment
from kg.extract import process
from kg.gazetteer import load
from kg.model import Jurisdiction, Report
from kg.textnorm import normalize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
I, C = "issued", "cited"  # noqa: E741

# ------------------------------------------------------------------------------ expectations

EXPECTED: dict[str, list[tuple[str, str]]] = {
    "seeds/000_4ee9ce8ba8ed3195.txt": [
        ("辽宁省党员干部学法用法制度", C),
        ("辽宁省党员干部学法用法清单(通用版)", C),
        ("辽宁省党员干部学法用法清单(专业领域版)", C),
        ("盖州市2024年推进更高水平法治政府建设十项重点任务", I),
        ("盖州市现行有效规范性文件目录", I),
        ("涉及不平等对待企业法规政策清理工作公告", I),
        ("盖州市开展简政放权“ 回头看”工作方案", I),
        ("盖州市2024年法治为民办实事项目", I),
        ("提升行政执法质量三年行动计划(2023—2025年)", C),
        ("盖州市2024年度涉企行政执法检查计划", I),
        ("大力整治行政执法突出问题工作方案", C),
        ("盖州市2024年普法依法治理工作要点", I),
        ("2024年盖州市市(中、省)直单位普法责任清单", I),
        ("法治政府建设实施纲要(2021-2025年)", C),
    ],
    "seeds/001_d3d407bf22a21093.txt": [
        ("钟山区2022年法治政府建设工作要点", C),
        ("中华人民共和国宪法", C),
        ("中华人民共和国民法典", C),
        ("国家安全法", C),
        ("反有组织犯罪法", C),
        ("贵州省禁毒条例", C),
        ("中华人民共和国反电信网络诈骗法", C),
        ("贵州省信访条例", C),
        ("大河镇全面依法治镇2022年工作方案", I),
        ("社会治安管理处罚法", C),
        ("预防未成年人犯罪法", C),
        ("行政处罚法", C),
        ("大河镇新冠肺炎疫情防控应急预案", I),
    ],
    "seeds/002_01f739070572be2c.txt": [
        ("法治政府建设五年规划纲要(2021-2025年)", C),
        ("关于进一步加强行政规范性文件制定和监督管理工作的通知", I),
        ("济宁北湖省级旅游度假区行政规范性文件管理办法", I),
        ("济宁北湖省级旅游度假区行政应诉办法", I),
        ("关于建立司法协理员制度的实施意见", I),
    ],
    "seeds/003_8fc203b02800c486.txt": [
        ("法治政府建设实施纲要(2021—2025年)", C),
        ("清远市党政主要负责人履行推进法治建设第一责任人职责清单", I),
        ("清远市提升行政执法质量三年行动实施方案(2023-2025)", I),
        ("清远市促进英德红茶产业发展条例", I),
        ("清远市非物质文化遗产保护条例", I),
        ("清远市水上交通安全管理规定", I),
        ("珠江水域水上交通安全协同立法协议", I),
        ("清远市政府法律顾问事务重点领域合法性审查工作要点指引(2024年版)", I),
        ("法律顾问助力企业高质量发展——服务实体经济实用法律手册", I),
        ("清远市实施执法“观察期”制度工作指引(试行)", I),
        ("“发挥调解职能作用做好矛盾纠纷排查化解”专项行动实施方案", I),
        ("清远市行政应诉工作规定", I),
        ("清远市2024年度行政执法监督工作方案", I),
        ("2024年清远市普法依法治理工作要点", I),
        ("清远市青少年普法工作指引", I),
        ("以案释法", C),
    ],
    "seeds/004_a25eb9ab7ca7f975.txt": [
        ("保定市优化营商环境专项行动方案", I),
        ("关于进一步关爱支持民营企业家的若干措施", I),
        ("关于促进法治化营商环境建设十项措施", I),
        ("优化营商环境创新行动96条", I),
        ("保定市人民政府2023年立法工作计划", I),
        ("保定市重大行政决策程序暂行规定", I),
        ("保定市重大行政决策实施情况跟踪反馈与后评估暂行规定", I),
        ("关于动态调整各类清单和建立健全责任制的通知", I),
        ("关于落实〈河北省行政裁量权基准制定和管理办法〉的意见", I),
        ("河北省行政裁量权基准制定和管理办法", C),
    ],
    "excerpt_001.txt": [("法治政府建设实施纲要(2015-2020年)", C)],
    "excerpt_002.txt": [
        ("法治政府建设实施纲要(2021—2025年)", C),
        ("遂宁市地方性法规(规章)调研起草重点工作推进流程表", I),
        ("遂宁市城区农贸市场管理条例", I),
        ("遂宁市城市生活垃圾分类管理条例", I),
        ("遂宁市政府合同管理办法", I),
    ],
    "excerpt_004.txt": [
        ("法治政府建设实施纲要(2021—2025年)", C),
        ("中华人民共和国宪法", C),
        ("中华人民共和国民法典", C),
        ("中华人民共和国行政处罚法", C),
    ],
    "excerpt_006.txt": [("法治政府建设实施纲要(2015-2020年)", C)],
    "excerpt_007.txt": [
        ("珠海市2022年全面依法治市工作要点", C),
        ("反有组织犯罪法", C),
        ("信访工作条例", C),
        ("法律援助法", C),
    ],
    "excerpt_009.txt": [
        ("全面深化法治领域改革纲要(2023—2027年)", C),
        ("习近平法治思想学习纲要", C),
    ],
    "excerpt_010.txt": [
        ("法治政府建设实施纲要(2021-2025年)", C),
        ("广州市法治政府建设实施纲要", C),
        ("中共广州市委全面依法治市委员会2023年工作要点", C),
        ("信访工作条例", C),
        ("中华人民共和国反有组织犯罪法", C),
        ("新市街会议制度", I),
        ("新市街道办事处财务管理制度", I),
    ],
    "excerpt_011.txt": [("法治政府建设实施纲要(2021-2025年)", C)],
    # a department (中山市生态环境局) implementing its city's documents
    "excerpt_012.txt": [
        ("中山市2021年依法行政工作要点", C),
        ("中山市2021年普法依法治理工作要点", C),
    ],
    "excerpt_013.txt": [
        ("法治政府建设与责任落实督察工作规定", C),
        ("上海市生态环境局关于2021年度法治政府建设情况的报告", I),
    ],
    "excerpt_014.txt": [
        ("法治政府建设实施纲要(2015-2020年)", C),
        ("南昌县机构改革实施方案", I),
        ("南昌县县属从事生产经营活动事业单位改革实施方案", I),
    ],
    "excerpt_015.txt": [("北京经济技术开发区条例", I)],
    "excerpt_016.txt": [
        ("中共中央关于全面推进依法治国若干重大问题的决定", C),
        ("福建省2015年推进依法行政建设法治政府工作要点", C),
        ("泉州市2015年推进依法行政建设法治政府工作要点", C),
        ("安溪县2015年推进依法行政建设法治政府工作要点", I),
        ("安溪县贯彻<法治福建建设纲要(2014—2020)>的意见>", I),
        ("法治福建建设纲要(2014—2020)", C),
        ("关于全面推进法治安溪建设的实施意见", I),
        ("宪法", C),
        ("环境保护法", C),
        ("行政诉讼法", C),
        ("预算法", C),
    ],
    "excerpt_017.txt": [
        ("法治政府建设实施纲要(2015—2020年)", C),
        ("山东省法治政府建设实施纲要(2016—2020年)", I),
        ("关于深化放管服改革进一步优化政务环境的意见", I),
    ],
    "excerpt_018.txt": [
        ("法治政府建设实施纲要(2015-2020年)", C),
        ("法治政府建设实施纲要(2016-2020年)", C),
        ("中国法治政府评估报告(2017)", C),
        ("关于深化放管服改革进一步优化政务环境的意见", I),
    ],
    "excerpt_019.txt": [("法治政府建设纲要(2015—2020年)", C)],
    "excerpt_020.txt": [
        ("法治政府建设实施纲要(2015—2020年)", C),
        ("黑龙江省法治政府建设实施方案(2016—2020年)", I),
        ("学法用法领导干部做在前面", C),
        ("2018年度省政府常务会议会前学法计划", I),
    ],
    "excerpt_021.txt": [
        ("關于深化學習宣傳研究闡釋貫徹落實習近平法治思想實施方案", I),
        ("法治內蒙古建設發(fā)展報告", I),
        ("內蒙古自治區(qū)貫徹〈法治政府建設實施綱要(2021-2025年)〉實施方案", I),
        ("法治政府建設實施綱要(2021-2025年)", C),
    ],
    "excerpt_022.txt": [("渝中区政务服务零跑动和最多跑一次事项清单", I)],
    "excerpt_023.txt": [
        ("关于落实法治政府建设年度报告的通知", C),
        ("中华人民共和国基本医疗卫生与健康促进法", C),
        ("执业医师法", C),
        ("医疗机构管理条例", C),
        ("生活饮用水卫生监督管理办法", C),
    ],
    "excerpt_026.txt": [
        ("法治广西建设规划(2021—2025年)", I),
        ("广西法治政府建设实施方案(2021—2025年)", I),
        ("广西壮族自治区法治社会建设实施方案(2021—2025年)", I),
    ],
    "excerpt_027.txt": [
        ("法治政府建设实施纲要(2015—2020年)", C),
        ("广西壮族自治区法治政府建设实施方案(2016—2020年)", C),
    ],
    "excerpt_028.txt": [
        ("法治政府建设实施纲要(2020—2025年)", C),
        ("中共那曲市色尼区委理论学习中心组2025年专题学习研讨计划", I),
        ("区委全面依法治区委员会2025年工作要点", I),
    ],
    "excerpt_029.txt": [
        ("中村乡2025年法治政府建设工作计划", I),
        ("2025年法治建设成效考核任务分解清单", I),
    ],
    "excerpt_030.txt": [
        ("中华人民共和国安全生产法", C),
        ("福建省法治政府建设实施方案(2021-2025年)", I),
        ("关于深入贯彻落实习近平法治思想推进依法行政建设法治政府的若干措施", I),
    ],
    "excerpt_031.txt": [
        ("進一步優化長三角法治化營商環境宣言", I),
        ("滬蘇浙皖司法廳(局)2019—2020輪值年度區域合作重點項目", I),
        ("長三角生態綠色一體化發展示范區司法行政普法與依法治理區域合作框架協議", C),
        ("長三角一體化發展示范區聯合調解機制建設合作協議", C),
        ("中國(上海)自由貿易試驗區臨港新片區管理辦法", I),
        ("關于促進中國(上海)自由貿易試驗區臨港新片區高質量發展實施特殊支持政策的若干意見", I),
        ("境外仲裁機構在中國(上海)自由貿易", I),
    ],
    "excerpt_032.txt": [
        ("法治政府建设实施纲要(2021—2025年)", C),
        ("学习宣传贯彻研究阐释习近平法治思想工作方案", I),
        ("关于健全完善省直单位(部门)法治建设工作机制的指导意见", I),
    ],
    "excerpt_033.txt": [
        ("法治政府建设实施纲要(2021—2025年)", C),
        ("土地管理法实施条例", I),
    ],
    "excerpt_034.txt": [("吉林省干部教育培訓規(guī)劃(2024—2027年)", I)],
    "excerpt_035.txt": [
        ("潼关县贯彻落实<法治政府建设实施纲要(2021-2025年)工作方案>", I),
        ("法治政府建设实施纲要(2021-2025年)工作方案", C),
        ("潼关县2022年法治政府建设工作要点", I),
        ("潼关县行政机关行政应诉工作规则", I),
        ("潼关县行政机关行政应诉规则", I),
        ("规则", I),
        ("渭南市行政复议体制改革实施方案", C),
        ("潼关县复议咨询委员会", I),
        ("工作规则", I),
        ("潼关县人民政府办公室关于加强行政规范性文件制定", C),
    ],
}

_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_PUNCT = re.compile(r"[\s\"'“”‘’()（）《》〈〉<>‹›«»【】\[\]〔〕,，。:：;；、!?！？.·—–\-]")


def _n(s: str) -> str:
    """FACTS.md normalisation: NFKC, simplified, glosses, brackets, punctuation, spaces removed."""
    return _PUNCT.sub("", _GLOSS.sub("", normalize(s)))


def _match(a: str, b: str) -> bool:
    a, b = _n(a), _n(b)
    return len(a) >= 2 and len(b) >= 2 and (a in b or b in a)


def score(facts: list, expected: list[tuple[str, str]]) -> dict[str, float]:
    """FACTS.md scoring of one report's document facts."""
    docs = sorted((f for f in facts if f.kind == "document"), key=lambda f: f.mention.start)
    groups: dict[str, list] = {}
    for f in docs:
        groups.setdefault(f.label, []).append(f)
    right = sum(
        any(_match(lab, t) or _match(fs[0].mention.surface, t) for t, _ in expected)
        for lab, fs in groups.items()
    )
    found = roles = 0
    for t, role in expected:
        first = next((f for f in docs if _match(f.label, t) or _match(f.mention.surface, t)), None)
        if first is not None:
            found += 1
            roles += first.attrs["role"] == role
    return {
        "groups": len(groups),
        "right": right,
        "items": len(expected),
        "found": found,
        "roles": roles,
    }


@pytest.fixture(scope="module")
def extracted() -> dict[str, list]:
    paths = [ROOT / k if k.startswith("seeds/") else CORPUS / k for k in EXPECTED]
    return {k: (it.facts, it.report.text) for k, it in zip(EXPECTED, process(paths), strict=True)}


def _totals(extracted, keys) -> dict[str, float]:
    tot = {"groups": 0, "right": 0, "items": 0, "found": 0, "roles": 0}
    for k in keys:
        for a, b in score(extracted[k][0], EXPECTED[k]).items():
            tot[a] += b
    p = tot["right"] / tot["groups"] if tot["groups"] else 1.0
    r = tot["found"] / tot["items"]
    tot["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    tot["role_acc"] = tot["roles"] / tot["found"] if tot["found"] else 0.0
    return tot


def test_seeds_f1_and_role_accuracy(extracted):
    tot = _totals(extracted, [k for k in EXPECTED if k.startswith("seeds/")])
    assert tot["f1"] >= 0.99, tot
    assert tot["role_acc"] >= 0.90, tot


def test_corpus_f1_and_role_accuracy(extracted):
    tot = _totals(extracted, [k for k in EXPECTED if not k.startswith("seeds/")])
    assert tot["f1"] >= 0.99, tot
    assert tot["role_acc"] >= 0.85, tot


def test_every_occurrence_is_a_fact_and_offsets_reproduce(extracted):
    for k, (facts, text) in extracted.items():
        docs = [f for f in facts if f.kind == "document"]
        top = [f for f in docs if not f.attrs["nested"]]
        assert len(top) == text.count("《"), k  # no 《 is unbalanced in these texts but the last
        for f in docs:
            assert f.mention.surface == text[f.mention.start : f.mention.end]
            assert f.label in f.mention.surface and f.attrs["title"] == f.label
            assert f.id and f.attrs["role"] in ("issued", "cited")


# ------------------------------------------------------------------------------ sentences


def _jurisdiction(key: str) -> Jurisdiction:
    g = load()
    p = g.get(key)
    return Jurisdiction(p.name, p.code, p.level, g.path(p), 0.9)


def run(text: str, reporter: str | None = None, department: str | None = None) -> list:
    report = Report(id="t", version="v", source="t", text=text)
    doc = Runner(["segment"]).prepare(report)
    segment(doc)
    report.jurisdiction = _jurisdiction(reporter) if reporter else None
    report.department = department
    return list(documents(doc) or [])


GAIZHOU, DAHE, TAIBAIHU, QINGYUAN, BAODING = (
    "210881",
    "520201101",
    "zone:济宁太白湖新区",
    "441800",
    "130600",
)
ANXI, SENI, NEIMENG, HLJ, TONGGUAN = "350524", "540602", "150000", "230000", "610522"

# (sentence, reporter, department, [(title, role, issuer or ..., doc_kind or ...)])
ANY = ...
CASES = [
    (
        "贯彻落实《辽宁省党员干部学法用法制度》《辽宁省党员干部学法用法清单(通用版)》,进一步提升法治思维和依法行政能力。",
        GAIZHOU,
        None,
        [
            ("辽宁省党员干部学法用法制度", C, "辽宁省", "rule"),
            ("辽宁省党员干部学法用法清单(通用版)", C, "辽宁省", "list"),
        ],
    ),
    (
        "出台《盖州市2024年推进更高水平法治政府建设十项重点任务》,部署安排全市法治政府建设重点工作任务。",
        GAIZHOU,
        None,
        [("盖州市2024年推进更高水平法治政府建设十项重点任务", I, "盖州市", "key_points")],
    ),
    (
        "开展涉及不平等对待企业法规政策清理工作,在政府网站公开《涉及不平等对待企业法规政策清理工作公告》。",
        GAIZHOU,
        None,
        [("涉及不平等对待企业法规政策清理工作公告", I, "盖州市", "notice")],
    ),
    (
        "贯彻落实国务院办公厅《提升行政执法质量三年行动计划(2023—2025年)》,全面规范行政执法行为。",
        GAIZHOU,
        None,
        [("提升行政执法质量三年行动计划(2023—2025年)", C, "国务院办公厅", "plan")],
    ),
    (
        "大河镇人民政府严格按照《钟山区2022年法治政府建设工作要点》要求,将法治政府建设纳入年度工作计划。",
        DAHE,
        None,
        [("钟山区2022年法治政府建设工作要点", C, "钟山区", "key_points")],
    ),
    (
        "具体学习《中华人民共和国宪法》《国家安全法》《贵州省禁毒条例》等法律法规,印发《大河镇全面依法治镇2022年工作方案》,组织开展法律知识集中宣传宣讲活动3次。",
        DAHE,
        None,
        [
            ("中华人民共和国宪法", C, None, "law"),
            ("国家安全法", C, None, "law"),
            ("贵州省禁毒条例", C, "贵州省", "regulation"),
            ("大河镇全面依法治镇2022年工作方案", I, "大河镇", "scheme"),
        ],
    ),
    (
        "发放《中华人民共和国民法典》《社会治安管理处罚法》《预防未成年人犯罪法》等各类宣传册6000余份。",
        DAHE,
        None,
        [
            ("中华人民共和国民法典", C, None, "law"),
            ("社会治安管理处罚法", C, None, "law"),
            ("预防未成年人犯罪法", C, None, "law"),
        ],
    ),
    (
        "完成《济宁北湖省级旅游度假区行政规范性文件管理办法》废止工作,确保我区行政规范性文件与上级决策部署相一致;启动《济宁北湖省级旅游度假区行政应诉办法》制定工作。",
        TAIBAIHU,
        None,
        [
            ("济宁北湖省级旅游度假区行政规范性文件管理办法", I, "济宁太白湖新区", "rule"),
            ("济宁北湖省级旅游度假区行政应诉办法", I, "济宁太白湖新区", "rule"),
        ],
    ),
    (
        "积极推进司法所规范化建设,制定《关于建立司法协理员制度的实施意见》,招录司法协理员2名。",
        TAIBAIHU,
        None,
        [("关于建立司法协理员制度的实施意见", I, "济宁太白湖新区", "opinion")],
    ),
    (
        "拟订的地方性法规《清远市促进英德红茶产业发展条例》《清远市非物质文化遗产保护条例》已提交市人大常委会审议,政府规章《清远市水上交通安全管理规定》进入合法性审查阶段。",
        QINGYUAN,
        None,
        [
            ("清远市促进英德红茶产业发展条例", I, "清远市", "regulation"),
            ("清远市非物质文化遗产保护条例", I, "清远市", "regulation"),
            ("清远市水上交通安全管理规定", I, "清远市", "rule"),
        ],
    ),
    (
        "在清远电台FM88.7《以案释法》栏目组织开展线上宣传200多期,其中未成年人专题42期。",
        QINGYUAN,
        None,
        [("以案释法", C, None, "column")],
    ),
    (
        "我市印发了《保定市优化营商环境专项行动方案》《关于进一步关爱支持民营企业家的若干措施》《优化营商环境创新行动96条》,明确22项重点工作。",
        BAODING,
        None,
        [
            ("保定市优化营商环境专项行动方案", I, "保定市", "scheme"),
            ("关于进一步关爱支持民营企业家的若干措施", I, "保定市", "scheme"),
            ("优化营商环境创新行动96条", I, "保定市", ANY),
        ],
    ),
    (
        "制发《关于动态调整各类清单和建立健全责任制的通知》《关于落实〈河北省行政裁量权基准制定和管理办法〉的意见》,制定11个执法领域标准。",
        BAODING,
        None,
        [
            ("关于动态调整各类清单和建立健全责任制的通知", I, "保定市", "notice"),
            ("关于落实〈河北省行政裁量权基准制定和管理办法〉的意见", I, "保定市", "opinion"),
            ("河北省行政裁量权基准制定和管理办法", C, "河北省", "rule"),
        ],
    ),
    (
        "严格按照《福建省2015年推进依法行政建设法治政府工作要点》(闽政办〔2015〕16号)、《安溪县2015年推进依法行政建设法治政府工作要点》(安政办〔2015〕56号)的文件要求,紧紧围绕县委、县政府的重大决策部署。",
        ANXI,
        None,
        [
            ("福建省2015年推进依法行政建设法治政府工作要点", C, "福建省", "key_points"),
            ("安溪县2015年推进依法行政建设法治政府工作要点", I, "安溪县", "key_points"),
        ],
    ),
    (
        "将2025年法治政府建设重点工作纳入《区委全面依法治区委员会2025年工作要点》,坚持同部署、同推进、同落实。",
        SENI,
        None,
        [("区委全面依法治区委员会2025年工作要点", I, "色尼区委", "key_points")],
    ),
    (
        "自治區(qū)黨委和政府印發(fā)《內蒙古自治區(qū)貫徹〈法治政府建設實施綱要(2021-2025年)〉實施方案》(內黨發(fā)〔2022〕4號)和2022年度工作計劃。",
        NEIMENG,
        None,
        [
            (
                "內蒙古自治區(qū)貫徹〈法治政府建設實施綱要(2021-2025年)〉實施方案",
                I,
                "内蒙古自治区",
                "scheme",
            ),
            ("法治政府建設實施綱要(2021-2025年)", C, None, "plan"),
        ],
    ),
    (
        "认真落实中共中央、国务院印发的《法治政府建设实施纲要(2015—2020年)》和《黑龙江省法治政府建设实施方案(2016—2020年)》有关要求。",
        HLJ,
        None,
        [
            ("法治政府建设实施纲要(2015—2020年)", C, "中共中央、国务院", "plan"),
            ("黑龙江省法治政府建设实施方案(2016—2020年)", I, "黑龙江省", "scheme"),
        ],
    ),
    (
        "2018年4月26日,人民日报刊发了张庆伟同志题为《学法用法领导干部做在前面》的署名文章。",
        HLJ,
        None,
        [("学法用法领导干部做在前面", C, None, ANY)],
    ),
    (
        "5月9日成立了《潼关县复议咨询委员会》并下发了咨询委员会《工作规则》,壮大了复议人员力量。四是持续全面贯彻执行《潼关县人民政府办公室关于加强行政规范性文件制定",
        TONGGUAN,
        "潼关县司法局",
        [
            ("潼关县复议咨询委员会", I, "潼关县", ANY),
            ("工作规则", I, "咨询委员会", "rule"),
            ("潼关县人民政府办公室关于加强行政规范性文件制定", C, "潼关县人民政府办公室", ANY),
        ],
    ),
]


@pytest.mark.parametrize(("text", "reporter", "department", "expected"), CASES)
def test_sentences(text, reporter, department, expected):
    facts = run(text, reporter, department)
    got = [(f.label, f.attrs["role"], f.attrs["issuer"], f.attrs["doc_kind"]) for f in facts]
    assert len(got) == len(expected), got
    for g, e in zip(got, expected, strict=True):
        assert g[0] == e[0] and g[1] == e[1], got
        assert e[2] is ANY or g[2] == e[2], got
        assert e[3] is ANY or g[3] == e[3], got
    for f in facts:
        assert text[f.mention.start : f.mention.end] == f.mention.surface


def test_mention_includes_brackets_and_doc_number():
    text = (
        "严格按照《福建省2015年推进依法行政建设法治政府工作要点》(闽政办〔2015〕16号)的文件要求。"
    )
    (f,) = run(text, ANXI)
    assert f.mention.surface == "《福建省2015年推进依法行政建设法治政府工作要点》"
    assert f.attrs["doc_number"] == "闽政办〔2015〕16号"
    assert f.attrs["year"] == 2015 and f.attrs["years"] is None
    text = "印发《关于X的通知》(眉彭法领发〔2021〕2号)。"
    assert run(text, ANXI)[0].attrs["doc_number"] == "眉彭法领发〔2021〕2号"


def test_identity_keys():
    facts = run(
        "学习《民法典》《中华人民共和国民法典》,按照《钟山区2022年法治政府建设工作要点》要求,印发《2024年普法依法治理工作要点》。",
        DAHE,
    )
    ids = [f.id for f in facts]
    assert ids[0] == ids[1] == "中华人民共和国民法典"
    assert ids[2] == "钟山区2022年法治政府建设工作要点|钟山区"
    assert ids[3] == "2024年普法依法治理工作要点|大河镇"  # issued: title + the reporter (inferred)
    assert facts[3].attrs["issuer_inferred"] is True
    assert facts[0].attrs["canonical"] == "中华人民共和国民法典"
    # a central organ's document is one node across reporters
    (f,) = run(
        "紧紧围绕党中央、国务院《法治政府建设实施纲要(2021—2025年)》,推进依法行政。", GAIZHOU
    )
    assert f.id == "法治政府建设实施纲要(2021-2025年)" and f.attrs["issuer"] == "党中央、国务院"


def test_all_occurrences_share_role():
    text = "根据《关于规范行政执法的通知》要求开展工作。年内印发《关于规范行政执法的通知》。"
    facts = run(text, GAIZHOU)
    assert [f.attrs["role"] for f in facts] == [I, I]
    assert facts[0].id == facts[1].id


# ------------------------------------------------------------------------------ spans


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("《 》《12》", []),  # nothing to name
        ("刊登于《China Daily》", [("China Daily", "closed", False)]),
        ("学习《宪法》。", [("宪法", "closed", False)]),
        (
            "制发《关于落实〈河北省办法〉的意见》",
            [("关于落实〈河北省办法〉的意见", "closed", False), ("河北省办法", "closed", True)],
        ),
        (
            "贯彻《关于贯彻《信访工作条例》的实施意见》",
            [
                ("关于贯彻《信访工作条例》的实施意见", "closed", False),
                ("信访工作条例", "closed", True),
            ],
        ),
        (
            "制定《潼关县贯彻落实<法治政府建设实施纲要>工作方案>》",
            [
                ("潼关县贯彻落实<法治政府建设实施纲要>工作方案>", "closed", False),
                ("法治政府建设实施纲要", "closed", True),
            ],
        ),
        ("学习《《民法典》》", [("民法典", "closed", False)]),
        (
            "制定出臺《境外仲裁機構在中國(上海)自由貿易",
            [("境外仲裁機構在中國(上海)自由貿易", "truncated", False)],
        ),
        ("制定出台《境外仲裁机构管理办法\n\n", [("境外仲裁机构管理办法", "truncated", False)]),
        # an unbalanced 《 in the middle never swallows the rest of the report
        (
            "学习《国家安全法《反有组织犯罪法》等。下一步,我们将《继续推进工作,确保实效。另见《附件》。",
            [
                ("国家安全法", "unclosed", False),
                ("反有组织犯罪法", "closed", False),
                ("附件", "closed", False),
            ],
        ),
        ("《规则的出台,明确了职责。" + "很长的句子" * 40 + "》", []),
    ],
)
def test_find_titles(text, titles):
    s = normalize(text)
    got = [(text[t.tstart : t.tend], t.status, t.nested) for t in find_titles(s)]
    assert got == titles


def test_title_cap():
    text = "《" + "法" * 150 + "》"
    assert find_titles(text) == []


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("中华人民共和国行政处罚法", "law"),
        ("民法典", "law"),
        ("保定市重大行政决策程序暂行规定", "rule"),
        ("遂宁市政府合同管理办法", "rule"),
        ("贵州省禁毒条例", "regulation"),
        ("法治政府建设实施纲要(2021—2025年)", "plan"),
        ("盖州市2024年度涉企行政执法检查计划", "plan"),
        ("关于建立司法协理员制度的实施意见", "opinion"),
        ("盖州市2024年普法依法治理工作要点", "key_points"),
        ("关于动态调整各类清单和建立健全责任制的通知", "notice"),
        ("中共中央关于全面推进依法治国若干重大问题的决定", "decision"),
        ("辽宁省党员干部学法用法清单(专业领域版)", "list"),
        ("上海市生态环境局关于2021年度法治政府建设情况的报告", "report"),
        ("法治日报", "publication"),
        ("中国法治政府建设白皮书", "publication"),
        ("清远市青少年普法工作指引", "guideline"),
        ("行政执法文书制作标准", "standard"),
        ("珠江水域水上交通安全协同立法协议", "other"),
    ],
)
def test_doc_kind(title, kind):
    assert doc_kind(title) == kind


def test_law_canonical_and_years():
    assert law_canonical("社会治安管理处罚法") == "中华人民共和国治安管理处罚法"
    assert law_canonical("中华人民共和国行政复议法(2023年修订)") == "中华人民共和国行政复议法"
    assert law_canonical("乡村振兴法") == "中华人民共和国乡村振兴法"  # by rule, not listed
    assert law_canonical("遂宁市政府合同管理办法") is None
    assert (
        canonical_title("法治政府建設實施綱要(2021-2025年)") == "法治政府建设实施纲要(2021-2025年)"
    )
    assert canonical_title("法治內蒙古建設發(fā)展報告") == "法治内蒙古建设发展报告"
    assert title_years("滬蘇浙皖司法廳(局)2019—2020輪值年度區域合作重點項目") == (None, "2019-2020")
    assert title_years("中国法治政府评估报告(2017)") == (2017, None)
    assert title_years("二〇二四年工作要点") == (2024, None)
    assert title_years("优化营商环境创新行动96条") == (None, None)


def test_pipeline_annotation():
    r = Runner()
    res = r.run(
        Report(
            id="r",
            version="v",
            source="r",
            text="2024年,盖州市出台《盖州市2024年普法依法治理工作要点》。",
        )
    )
    docs = [f for f in res.facts if f.kind == "document"]
    assert len(docs) == 1 and docs[0].component == "documents@1"
    assert r.stats["documents@1"].failures == 0


# ------------------------------------------------------------------------------ robustness

_ALPHABET = st.sampled_from(
    list(
        "《》〈〉<>‹›«»()（）〔〕。，、;\n 法条例办法纲要印发根据按照市县区镇省委政府盖州钟山2024年号0123456789aé發(fā)"
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=300) | st.text(max_size=200))
def test_fuzz_never_raises_and_offsets_reproduce(text):
    for rep in (None, GAIZHOU):
        for f in run(text, rep):
            assert text[f.mention.start : f.mention.end] == f.mention.surface
            assert (
                f.mention.surface.startswith(("《", "〈", "‹", "<", "«", "⟨"))
                or f.attrs["truncated"]
            )


@pytest.mark.parametrize(
    "text",
    [
        "《" * 100_000,
        "》" * 100_000,
        "法" * 100_000,
        "1234567890" * 10_000,
        ("《关于" + "〈" * 50) * 500,
        "学习《" + "a" * 100_000,
        "ＡＢＣ《ｆｕｌｌ》㈠《民法典》",
    ],
)
def test_adversarial(text):
    t0 = time.perf_counter()
    for f in run(text, GAIZHOU):
        assert text[f.mention.start : f.mention.end] == f.mention.surface
    assert time.perf_counter() - t0 < 5
