"""The programs component: curated programs and quoted candidates, on real sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import thesaurus
from extractors.pipeline import Runner
from extractors.thesaurus import CANDIDATE_NS, PROGRAM_NS
from kg.model import Report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CORPUS = sorted((ROOT / "tests" / "data" / "corpus").glob("excerpt_*.txt"))


@pytest.fixture(autouse=True)
def _empty_overlay(tmp_path):
    thesaurus.set_curation(tmp_path / "overlay" / "decisions.jsonl")
    yield
    thesaurus.set_curation(None)


@pytest.fixture(scope="module")
def runner():
    return Runner(["segment", "programs"])


def run(runner, text):
    result = runner.run(Report(id="t", version="v", source="t.txt", text=text))
    assert not result.errors, result.errors
    facts = [f for f in result.facts if f.kind == "program"]
    for f in facts:
        assert text[f.mention.start : f.mention.end] == f.mention.surface
    return facts


# (sentence copied from the seeds/corpus, expected (label, mention, candidate) in text order)
CASES = [
    (
        "深入开展2024年“一社区(村)一法律顾问”服务等工作,实现镇街政府法律顾问以及社区(村)法律顾问全覆盖。",
        [
            ("一村(社区)一法律顾问", "一社区(村)一法律顾问", False),
            ("政府法律顾问制度", "政府法律顾问", False),
            ("一村(社区)一法律顾问", "社区(村)法律顾问", False),
        ],
    ),
    (
        "贯彻落实“1+N”行动(即1名村居法律顾问+N名法律明白人),不断完善村(居)法律顾问和“法律明白人”合作机制,持续提升居民群众法治素养。",
        [
            ("1+N行动", "“1+N”行动", True),
            ("一村(社区)一法律顾问", "村居法律顾问", False),
            ("法律明白人", "法律明白人", False),
            ("一村(社区)一法律顾问", "村(居)法律顾问", False),
            ("法律明白人", "法律明白人", False),
        ],
    ),
    (
        "持续深化“法律明白人”培养工程,全市“法律明白人”1490名法律明白人,每村达到5名以上。",
        [
            ("法律明白人", "“法律明白人”培养工程", False),
            ("法律明白人", "法律明白人", False),
            ("法律明白人", "法律明白人", False),
        ],
    ),
    (
        "培训村(社区)法律明白人50人,以部门、村(社区)为单位开展普法学习活动12次。",
        [("法律明白人", "法律明白人", False)],
    ),
    (
        "全面落实行政执法“三项制度”,全市公示行政执法结果信息160369件。",
        [("行政执法三项制度", "行政执法“三项制度”", False)],
    ),
    (
        "深入践行新时代“枫桥经验”,调解纠纷案件4727起,预防各类矛盾纠纷420起。",
        [("新时代枫桥经验", "新时代“枫桥经验”", False)],
    ),
    (
        "依法制定“首违不罚”和轻微违法行为包容免罚清单,在本部门网站公布所执行的行政执法行为裁量范围、种类、幅度。",
        [("首违不罚", "首违不罚", False), ("首违不罚", "包容免罚清单", False)],
    ),
    (
        "实施“双随机、一公开”全要素、全流程监管,抽查任务17次。",
        [("双随机、一公开", "双随机、一公开", False)],
    ),
    ("97%以上政务服务事项和100%许可事项实现“最多跑一次”。", [("最多跑一次", "最多跑一次", False)]),
    ("“高效办成一件事”上线运行,效果良好。", [("高效办成一件事", "高效办成一件事", False)]),
    ("与保定市12345热线建立联动合作机制,共梳理有关线索98条。", [("12345热线", "12345热线", False)]),
    (
        "认真落实“八五”普法规划,出台《盖州市2024年普法依法治理工作要点》。",
        [("八五普法", "“八五”普法规划", False)],
    ),
    (
        "2022年大河镇创建民主法治示范村(社区)3个。",
        [("民主法治示范村(社区)", "民主法治示范村(社区)", False)],
    ),
    (
        "推进行政复议体制改革,加强行政复议规范化、专业化、信息化建设。",
        [("行政复议体制改革", "行政复议体制改革", False)],
    ),
    (
        "健全完善憲法宣誓、政府常務會議學法等制度。",
        [("宪法宣誓", "憲法宣誓", False), ("领导干部学法用法", "政府常務會議學法", False)],
    ),
    (
        "严格落实行政规范性文件合法性审核、备案审查、动态清理工作机制。",
        [
            ("合法性审核", "行政规范性文件合法性审核", False),
            ("规范性文件备案审查", "备案审查", False),
            ("行政规范性文件动态清理", "动态清理工作机制", False),
        ],
    ),
    (
        "组织开展全市70家单位94名党政主要负责人作为述法对象开展书面述法工作。",
        [("述法", "述法", False), ("述法", "书面述法工作", False)],
    ),
    (
        "三是深入开展法治政府建设示范创建活动。",
        [("法治政府建设示范创建", "法治政府建设示范创建活动", False)],
    ),
    # candidates
    (
        "建立“一窗收件、分类办理、统一出件”的“无差别综合窗口”服务模式,落实综合窗口改革。",
        [("无差别综合窗口", "无差别综合窗口", True)],
    ),
    (
        "充分发挥“四所一庭”联动机制优势,以联动方式开展矛盾纠纷排查58次。",
        [("四所一庭", "四所一庭", True)],
    ),
    (
        "组织开展“百律联千企”活动,由18家律所67名律师向全区各类中小微企业提供公益性非诉法律服务。",
        [("百律联千企", "百律联千企", True)],
    ),
    (
        "办理不予实施行政强制措施案件4件,积极推行“三书同达”机制,让行政执法有力度更有温度。",
        [("三书同达", "三书同达", True)],
    ),
    (
        "全市85个镇街上线应用“清远粤执法”平台,其中应用“清远粤执法”办理高达19841宗。",
        [("清远粤执法", "清远粤执法", True), ("清远粤执法", "清远粤执法", True)],
    ),
    (
        "纵深推进“铁拳出稽 守护南粤”执法品牌建设,查办市场监管领域案件3312宗。",
        [("铁拳出稽守护南粤", "铁拳出稽 守护南粤", True)],
    ),
    (
        "2022年组织全镇干部职工74人开展行政执法规范化“大学习”“大练兵”“大比武”活动。",
        [("大学习", "大学习", True), ("大练兵", "大练兵", True), ("大比武", "大比武", True)],
    ),
    (
        "充分利用“一中心一张网十联户”基层社会治理体系宣传和收集信息。",
        [("一中心一张网十联户", "一中心一张网十联户", True)],
    ),
    (
        "积极探索行政执法案卷“制作审查分离”模式,实行法制审查集中受理。",
        [("制作审查分离", "制作审查分离", True)],
    ),
    (
        "建立完善“一基准四清单”,细化行政裁量权基准886项。",
        [("一基准四清单", "一基准四清单", True), ("行政裁量权基准", "行政裁量权基准", False)],
    ),
    ("扎实开展“一网协同”工作,营信APP线上政务交流实现全覆盖。", [("一网协同", "一网协同", True)]),
]

NEGATIVE = [
    "深刻领悟“两个确立”的决定性意义,增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
    "2025年是实施“十四五”规划的收官之年,是全面振兴新突破三年行动的决胜之年。",
    "聚焦“逐利执法”、执法不规范、执法方式简单僵化、执法粗暴、执法“寻租”等方面问题,深入开展执法监督活动。",
    "形成各负其责、齐抓共管、互动有力、运转高效的全市“一盘棋”格局。",
    "为“法治中村”建设提供强有力的法治保障。",
    "全年受理各类法律援助案件380件,法律援助参与刑事案件律师辩护。",
    "查办市场监管领域案件3312宗、“两品一械”案件461宗。",
    "出台《2024年盖州市市(中、省)直单位普法责任清单》《关于动态调整各类清单和建立健全责任制的通知》。",
    "共受理群众诉求12345件,办结率98.3%。",
    "组织开展学习宣传上述法律法规,不断提高领导干部依法行政能力。",
    "紧密围绕省委“1310”具体部署和市委“1312”思路举措推动法治建设。",
    "以落实“2023年法治上城建设工作要点”具体任务为牵引。",
    "聚焦“法律保障”“经济创新”“助企服务”三向发力,全面提振企业发展信心。",
    "开展大型宣传活动百余次。",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentences(runner, text, expected):
    facts = sorted(run(runner, text), key=lambda f: f.mention.start)
    got = [(f.label, f.mention.surface, f.attrs["candidate"]) for f in facts]
    assert got == expected
    for f in facts:
        if f.attrs["candidate"]:
            assert f.id.startswith(CANDIDATE_NS) and f.confidence < 0.9
        else:
            assert f.id.startswith(PROGRAM_NS) and not f.id.startswith(CANDIDATE_NS)
            assert f.attrs["category"] and "borderline" in f.attrs


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_programs(runner, text):
    assert run(runner, text) == []


def _by_label(facts):
    out = {}
    for f in facts:
        out.setdefault(f.label, []).append(f)
    return out


@pytest.fixture(scope="module")
def seed_facts(runner):
    return {p.name[:3]: _by_label(run(runner, p.read_text(encoding="utf-8"))) for p in SEEDS}


def test_seed_expectations(seed_facts):
    for seed in ("000", "001", "002"):
        assert "法律明白人" in seed_facts[seed], seed
    for seed in ("000", "002"):
        assert "一村(社区)一法律顾问" in seed_facts[seed], seed
    three = seed_facts["000"]["行政执法三项制度"]
    assert [f.section for f in three] == ["plans"] and three[0].mention.surface == "三项制度"
    assert seed_facts["000"]["第一议题"][0].attrs["borderline"] is True
    # candidates stay candidates: never merged into curated programs
    assert seed_facts["002"]["三书同达"][0].attrs["candidate"] is True


def test_offsets_on_all_texts(runner):
    for path in SEEDS + CORPUS:
        text = path.read_text(encoding="utf-8")
        facts = run(runner, text)  # run() checks every offset
        assert all(f.component == "programs@1" for f in facts)


ALPHABET = list(
    '“”"‘’「」《》<>〈〉()（）、,。;\n \t一二三四五六七十百千两村社区居法律顾问明白人述上制度机制模式窗口清单平台行动'
    "枫桥经验放管服12345+N八五普法區(qū)abcXYZ"
) + ["\u00b7", "\u3000", "\U0001f600", "ｱ", "丶"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=300) | st.text(max_size=200))
def test_fuzz_never_raises_and_offsets_hold(text):
    runner = Runner(["segment", "programs"])
    run(runner, text)


@pytest.mark.parametrize(
    "text",
    [
        "“" * 100_000,
        "《" * 50_000 + "放管服",
        "一" * 100_000,
        "1234567890" * 10_000,
        "述法" * 50_000,
        "“三书同达”机制" * 5_000,
        "社区(村)" * 20_000,
        "(ā)" * 30_000,
        "",
    ],
)
def test_adversarial(runner, text):
    run(runner, text)
