"""Agencies: real sentences of the seeds and the corpus with the agencies a careful reader lists.

Each case gives the reporter the sentence's report has (as the reporter component resolves it)
and every agency fact expected, as (mention, canonical label), in text order. Labels follow the
short-form suffix rule of DESIGN.md (市法院 in 盖州市's report = 盖州市人民法院; 市委 = 盖州市委).
A few rule cases at the end are constructed (marked so) where no real sentence shows the rule.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.agencies import agencies, agency_rows, find_agencies
from extractors.pipeline import COMPONENTS, Doc, Runner
from kg.model import Candidate, Jurisdiction, Report

# reporters: (name, code, level, path, department)
GAIZHOU = ("盖州市", "210881000000", "county", ["辽宁省", "营口市", "盖州市"], None)
DAHE = ("大河镇", "520201101000", "township", ["贵州省", "六盘水市", "钟山区", "大河镇"], None)
TAIBAIHU = ("济宁太白湖新区", None, "zone", ["山东省", "济宁市", "济宁太白湖新区"], None)
QINGYUAN = ("清远市", "441800000000", "prefecture", ["广东省", "清远市"], None)
JINGHAI = ("静海区", "120118000000", "county", ["天津市", "静海区"], None)
TONGGUAN_SFJ = ("潼关县", "610522000000", "county", ["陕西省", "渭南市", "潼关县"], "潼关县司法局")
GUANGXI = ("广西壮族自治区", "450000000000", "province", ["广西壮族自治区"], None)
GUILIN = ("桂林市", "450300000000", "prefecture", ["广西壮族自治区", "桂林市"], None)
HUANGCUN = ("黄村镇", None, "township", [], None)  # the text does not decide between namesakes
JIAOTONG = ("中华人民共和国", None, "national", ["中华人民共和国"], "交通运输部")
XINXIAN = ("新县", "411523000000", "county", ["河南省", "信阳市", "新县"], None)
TONGCHENG = ("通城镇", "500238114000", "township", ["重庆市", "巫溪县", "通城镇"], None)
SENI = ("色尼区", "540602000000", "county", ["西藏自治区", "那曲市", "色尼区"], None)
ZHONGSHAN = ("中山市", "442000000000", "prefecture", ["广东省", "中山市"], None)
XINSHI = ("新市街道", "440111008000", "township", ["广东省", "广州市", "白云区", "新市街道"], None)
ZHONGSHANQU = ("钟山区", "520201000000", "county", ["贵州省", "六盘水市", "钟山区"], None)


def make_doc(text: str, reporter: tuple) -> Doc:
    name, code, level, path, dept = reporter
    report = Report(id="t", version="v", source="t.txt", text=text)
    cands = [] if code or level == "national" or path else [Candidate(name, None, level, [])]
    report.jurisdiction = Jurisdiction(name, code, level, list(path), 0.9, cands)
    report.department = dept
    doc = Runner(["segment"]).prepare(report)
    COMPONENTS["segment"].fn(doc)
    return doc


def found(text: str, reporter: tuple) -> list[tuple[str, str]]:
    return [(f.mention.surface, f.label) for f in agencies(make_doc(text, reporter))]


CASES = [
    # seed 000 (盖州市)
    (
        "市法院新收行政诉讼案件68件,审结66件;新收行政非诉执行案件70件,审结70件,行政案件协调化解率超50%。",
        GAIZHOU,
        [("市法院", "盖州市人民法院")],
    ),
    (
        "市检察院办理行刑反向衔接案件50件,向行政机关发出检察意见3份,回复采纳率100%",
        GAIZHOU,
        [("市检察院", "盖州市人民检察院")],
    ),
    (
        "市委党校将习近平法治思想作为领导干部教育培训的重点课程,各级党委(党组)理论学习中心组将习近平法治思想列入重点学习内容",
        GAIZHOU,
        [("市委党校", "盖州市委党校")],
    ),
    (
        "经梳理,65个事项由营商局、住建局、农业农村局、林草局等9家单位承接、办理。",
        GAIZHOU,
        [
            ("营商局", "盖州市营商环境建设局"),
            ("住建局", "盖州市住房和城乡建设局"),
            ("农业农村局", "盖州市农业农村局"),
            ("林草局", "盖州市林业局"),
        ],
    ),
    (
        "2个乡镇(街道)、市应急局、市自然资源局现场进行述职并评议。",
        GAIZHOU,
        [("市应急局", "盖州市应急管理局"), ("市自然资源局", "盖州市自然资源局")],
    ),
    (
        "组织召开市委法治建设委员会召开第二次(扩大)会议,聚焦重点任务,推动法治盖州建设再上新台阶。",
        GAIZHOU,
        [("市委法治建设委员会", "盖州市委法治建设委员会")],
    ),
    (
        "贯彻落实国务院办公厅《提升行政执法质量三年行动计划(2023—2025年)》,全面规范行政执法行为。",
        GAIZHOU,
        [("国务院办公厅", "国务院办公厅")],
    ),
    (
        "其中盖州市农业农村局“培育‘农村学法用法示范户’”项目作为优秀项目被营口市选取。",
        GAIZHOU,
        [("盖州市农业农村局", "盖州市农业农村局")],
    ),
    ("组织政府法律顾问审核以政府名义签订的重大合同、协议、涉法重要事宜等4件", GAIZHOU, []),
    ("完成盖州市政府法律顾问重新签订聘任合同工作,聘任法律顾问3人", GAIZHOU, []),
    (
        "自觉接受人大法律监督、政协民主监督和社会舆论监督,31件人大代表建议、53件政协委员提案全部办结",
        GAIZHOU,
        [("人大", "盖州市人大常委会"), ("政协", "盖州市政协")],
    ),
    ("形成各负其责、齐抓共管、互动有力、运转高效的全市“一盘棋”格局。", GAIZHOU, []),
    ("确定11个市本级行政执法部门共149项涉企行政执法检查计划。", GAIZHOU, []),
    ("开展星级司法所创建工作,建设6个“四星级司法所”、4个“五星级司法所”", GAIZHOU, []),
    # seed 001 (大河镇, 钟山区)
    (
        "大河镇党委、政府坚持以习近平新时代中国特色社会主义思想为指导",
        DAHE,
        [("大河镇党委", "大河镇党委")],
    ),
    (
        "坚持重大事项向镇人大通报制度,自觉接受镇纪委监委监督。",
        DAHE,
        [("镇人大", "大河镇人大"), ("镇纪委监委", "大河镇纪委监委")],
    ),
    (
        "及时调整大河镇全面推进法治政府建设工作委员会、大河镇全面推进依法行政领导小组,融合各方面资源和力量",
        DAHE,
        [
            ("大河镇全面推进法治政府建设工作委员会", "大河镇全面推进法治政府建设工作委员会"),
            ("大河镇全面推进依法行政领导小组", "大河镇全面推进依法行政领导小组"),
        ],
    ),
    (
        "二是推动全区村(居)人民调解委员会配备1名以上专职人民调解员,乡(镇、街道)人民调解委员会配备2名以上专职人民调解员。",
        DAHE,
        [],
    ),
    ("2022年镇政府制发的行政规范性文件全部经过合法性审查。", DAHE, []),
    ("二是党委法律顾问制度不健全,法律顾问队伍组建不够优化", DAHE, []),
    # seed 002 (济宁太白湖新区, a zone under 济宁市)
    (
        "2024年以来,在市委、市政府的坚强、正确的领导下,在市委依法治市办公室和市司法局支持指导下,新区党政机关深入贯彻落实习近平法治思想",
        TAIBAIHU,
        [
            ("市委", "济宁市委"),
            ("市政府", "济宁市人民政府"),
            ("市委依法治市办公室", "济宁市委依法治市办"),
            ("市司法局", "济宁市司法局"),
        ],
    ),
    (
        "区群团服务部、区税务局在区级中心分别挂牌成立区妇女儿童维权站、区社会保险征缴争议调解室。",
        TAIBAIHU,
        [("区群团服务部", "济宁太白湖新区群团服务部"), ("区税务局", "济宁太白湖新区税务局")],
    ),
    ("创新开展“法治医院”建设,以区人民医院为试点,将法治建设融入院区建设和日常工作。", TAIBAIHU, []),
    (
        "(一)新区党工委书记认真学习习近平法治思想和依法治国方略",
        TAIBAIHU,
        [("新区党工委", "济宁太白湖新区党工委")],
    ),
    ("(二)新区管委会主任认真学习贯彻习近平法治思想和依法治国方略", TAIBAIHU, []),
    (
        "2019年市级成立16支行政执法队伍,市委编办虽明确了市级执法队伍“三定档案”",
        TAIBAIHU,
        [("市委编办", "济宁市委机构编制委员会办公室")],
    ),
    ("坚决履行人民法院生效判决,支持人民法院受理行政诉讼案件,全年共办理应诉案件43件", TAIBAIHU, []),
    (
        "充分发挥党工委在法治建设中的领导作用,成立依法治区委员会及办公室,完善依法治区体制机制",
        TAIBAIHU,
        [("依法治区委员会", "济宁太白湖新区全面依法治区委员会")],
    ),
    ("服务全区各部门办理涉法事项134件。", TAIBAIHU, []),
    # seed 003 (清远市)
    (
        "市政府党组会议、常务会议以及理论学习中心组学习党的二十大及二十届二中、三中全会精神以及习近平法治思想8次。",
        QINGYUAN,
        [],
    ),
    (
        "拟订的地方性法规《清远市促进英德红茶产业发展条例》《清远市非物质文化遗产保护条例》已提交市人大常委会审议",
        QINGYUAN,
        [("市人大常委会", "清远市人大常委会")],
    ),
    (
        "坚决落实党中央、国务院关于法治政府建设的决策部署和省委、省政府的工作要求",
        QINGYUAN,
        [
            ("党中央", "中共中央"),
            ("国务院", "国务院"),
            ("省委", "广东省委"),
            ("省政府", "广东省人民政府"),
        ],
    ),
    ("2024年,市县镇三级党校开展习近平法治思想学习200多期,培训2万余人次", QINGYUAN, []),
    ("审查县(市、区)政府报备的行政规范性文件34件。", QINGYUAN, []),
    # corpus
    (
        "区委常委会、区委全面依法治区委员会着力研究部署法治政府建设工作",
        JINGHAI,
        [("区委", "静海区委"), ("区委全面依法治区委员会", "静海区委全面依法治区委员会")],
    ),
    (
        "区政府每年第一季度向区委、区人大常委会报告上一年度法治政府建设情况。",
        JINGHAI,
        [("区委", "静海区委"), ("区人大常委会", "静海区人大常委会")],
    ),
    (
        "2022年,县司法局紧紧围绕县委、县政府中心工作,立足司法行政实际",
        TONGGUAN_SFJ,
        [("县委", "潼关县委"), ("县政府", "潼关县人民政府")],
    ),
    (
        "学习贯彻党的二十大精神,局党组多次召开专题学习会议,联系实际、指导实践",
        TONGGUAN_SFJ,
        [("局党组", "潼关县司法局党组")],
    ),
    (
        "专题听取自治区人大常委会、政府、政协、高级法院、检察院党组工作汇报",
        GUANGXI,
        [
            ("自治区人大常委会", "广西壮族自治区人大常委会"),
            ("政协", "广西壮族自治区政协"),
            ("高级法院", "广西壮族自治区高级人民法院"),
            ("检察院党组", "广西壮族自治区人民检察院党组"),
        ],
    ),
    ("先后召开自治区党委十一届十次全会、自治区第十二次党代会", GUANGXI, []),
    (
        "市发展改革委、国土资源局、规划局、住建委积极探索重大项目并联审批,推动部门间审批环节的流程再造",
        GUILIN,
        [
            ("市发展改革委", "桂林市发展和改革委员会"),
            ("国土资源局", "桂林市国土资源局"),
            ("规划局", "桂林市规划局"),
        ],
    ),
    (
        "2025年,黄村镇在县委、县政府的坚强领导下,在县委依法治县办的精心指导下",
        HUANGCUN,
        [("县委", "县委"), ("县政府", "县人民政府"), ("县委依法治县办", "县委依法治县办")],
    ),
    ("镇党委、政府充分发挥法治的引领和推动作用", HUANGCUN, [("镇党委", "黄村镇党委")]),
    (
        "调整设立了交通运输部法治政府部门建设领导小组。",
        JIAOTONG,
        [("交通运输部法治政府部门建设领导小组", "交通运输部法治政府部门建设领导小组")],
    ),
    (
        "2017年以来,在党中央、国务院坚强领导下,交通运输系统深入学习贯彻习近平新时代中国特色社会主义思想",
        JIAOTONG,
        [("党中央", "中共中央"), ("国务院", "国务院")],
    ),
    (
        "被省、市分别作为“全国守法普法建设示范县”“河南省法治政府建设示范县”候选地区之一向中央依法治国办守法普法协调小组、省法治政府建设领导小组办公室推荐。",
        XINXIAN,
        [
            ("中央依法治国办", "中央依法治国办"),
            ("省法治政府建设领导小组办公室", "河南省法治政府建设领导小组办公室"),
        ],
    ),
    (
        "召开县委常委会会议、县委全面依法治县委员会会议、县政府党组会议、县政府常务会议常态学习贯彻党的二十大精神",
        XINXIAN,
        [("县委全面依法治县委员会", "新县委全面依法治县委员会")],
    ),
    (
        "成立以镇长为组长的法治政府建设工作领导小组,构建“一把手”负总责、分管领导具体抓的工作格局。",
        TONGCHENG,
        [("法治政府建设工作领导小组", "通城镇法治政府建设工作领导小组")],
    ),
    (
        "认真制定《中共那曲市色尼区委理论学习中心组2025年专题学习研讨计划》。",
        SENI,
        [("中共那曲市色尼区委", "色尼区委")],
    ),
    (
        "一是成立中山市生态环境局法治建设工作领导小组,由局党组书记、局长杜敏任组长",
        ZHONGSHAN,
        [
            ("中山市生态环境局", "中山市生态环境局"),
            ("中山市生态环境局法治建设工作领导小组", "中山市生态环境局法治建设工作领导小组"),
        ],
    ),
    (
        "在区委、区政府的正确领导下,新市街道办事处坚持以习近平新时代中国特色社会主义思想为指导",
        XINSHI,
        [("区委", "白云区委"), ("区政府", "白云区人民政府")],
    ),
    (
        "根据中共中央办公厅、国务院办公厅印发的《法治政府建设与责任落实督察工作规定》",
        QINGYUAN,
        [("中共中央办公厅", "中共中央办公厅"), ("国务院办公厅", "国务院办公厅")],
    ),
    (
        "省委办公厅、省政府办公厅印发《关于深化放管服改革进一步优化政务环境的意见》",
        ("山东省", "370000000000", "province", ["山东省"], None),
        [("省委办公厅", "山东省委办公厅"), ("省政府办公厅", "山东省人民政府办公厅")],
    ),
    (
        "2018年4月26日,人民日报刊发了张庆伟同志题为《学法用法领导干部做在前面》的署名文章",
        QINGYUAN,
        [],
    ),
    ("在“粤法治”平台打造习近平法治思想宣传阵地,召开全省依法治省工作推进会", QINGYUAN, []),
    # constructed rule cases (no real sentence at hand shows the rule)
    ("市中院审结行政案件。", GAIZHOU, [("市中院", "营口市中级人民法院")]),  # 中院: prefecture level
    ("大河司法所调解纠纷。", ZHONGSHANQU, [("大河司法所", "大河镇司法所")]),  # township stem
    ("在市政务服务大厅设立窗口,优化市场格局和产业布局。", GAIZHOU, []),  # halls, 格局, 布局
    ("各部门、有关部门、县级以上政府和各乡镇要落实责任。", GAIZHOU, []),  # generic plurals
    ("市政府常务会议审议通过。", TAIBAIHU, []),  # a meeting
    (
        "省委印发通知,省司法厅、营口市司法局、钟山区人民法院参加。",
        GAIZHOU,
        [
            ("省委", "辽宁省委"),
            ("省司法厅", "辽宁省司法厅"),
            ("营口市司法局", "营口市司法局"),
            ("钟山区人民法院", "钟山区人民法院"),
        ],
    ),
]


@pytest.mark.parametrize("text, reporter, expected", CASES, ids=[c[0][:14] for c in CASES])
def test_agencies_in_real_sentences(text, reporter, expected):
    assert found(text, reporter) == expected


def test_facts_carry_type_category_jurisdiction_and_annotation():
    doc = make_doc("市法院新收行政诉讼案件68件,市委党校开展培训。", GAIZHOU)
    facts = COMPONENTS["agencies"].fn(doc)
    assert doc.annotations["agencies"] == facts
    court, school = facts
    assert court.kind == "agency" and court.component == "agencies@1" and court.id is None
    assert court.attrs == {
        "agency_type": "人民法院", "category": "court", "jurisdiction": "210881000000"}  # fmt: skip
    assert school.attrs["category"] == "school"
    for f in facts:
        assert doc.text[f.mention.start : f.mention.end] == f.mention.surface


def test_reporting_department_is_left_out_but_not_its_government():
    text = "县司法局紧紧围绕县委、县政府中心工作。潼关县司法局制定方案。"
    labels = [label for _m, label in found(text, TONGGUAN_SFJ)]
    assert "潼关县司法局" not in labels and "潼关县人民政府" in labels


def test_traditional_text_keeps_source_offsets():
    text = "全面落實黨中央、國務院決策部署。自治區黨委和政府印發實施方案。"
    doc = make_doc(text, GUANGXI)
    got = [(f.mention.surface, f.label) for f in agencies(doc)]
    assert got == [
        ("黨中央", "中共中央"),
        ("國務院", "国务院"),
        ("自治區黨委", "广西壮族自治区党委"),
    ]


def test_seed_report_end_to_end():
    """Seed 000 through the whole pipeline: the agencies a careful reading lists, no more."""
    from pathlib import Path

    from kg.extract import process

    root = Path(__file__).resolve().parent.parent
    item = next(process([root / "seeds/000_4ee9ce8ba8ed3195.txt"]))
    labels = {f.label for f in item.facts if f.kind == "agency"}
    assert labels == {
        "盖州市委党校", "盖州市应急管理局", "盖州市自然资源局", "盖州市委法治建设委员会",
        "盖州市人大常委会", "盖州市政协", "盖州市人民法院", "盖州市人民检察院",
        "盖州市营商环境建设局", "盖州市住房和城乡建设局", "盖州市农业农村局", "盖州市林业局",
        "国务院办公厅",
    }  # fmt: skip


def test_type_table_keeps_the_reporter_columns():
    rows = agency_rows()
    cats = {r.category for r in rows}
    assert cats <= {"government", "party", "department", "court", "procuratorate", "office",
                    "committee", "school", "congress", "cppcc"}  # fmt: skip
    assert all(r.scope in ("local", "self", "national") for r in rows)


# --------------------------------------------------------------------------- fuzzing

_ALPHABET = st.sampled_from(
    list(
        "市县区镇乡省委局部厅办院所党组政府人大法治领导小组委员会中共营口盖州《》〈〉()、,。;:\n 1234567890"
    )
    + [
        "市委",
        "县政府",
        "司法局",
        "依法治市办",
        "领导小组",
        "委员会",
        "中共",
        "盖州市",
        "大河镇",
        "區黨委",
        "国务院",
        "部门",
        "格局",
        "常务会议",
        "a",
        "Ⅳ",
        "𠀀",
        "\u3000",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(_ALPHABET, max_size=60),
    reporter=st.sampled_from([GAIZHOU, TAIBAIHU, HUANGCUN, JIAOTONG, TONGGUAN_SFJ]),
)
def test_fuzz_never_raises_and_offsets_reproduce_mentions(parts, reporter):
    text = "".join(parts)
    doc = make_doc(text, reporter)
    for f in agencies(doc):
        assert doc.text[f.mention.start : f.mention.end] == f.mention.surface
        assert f.mention.surface and f.label


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_fuzz_arbitrary_unicode(text):
    doc = make_doc(text, GAIZHOU)
    for f in agencies(doc):
        assert doc.text[f.mention.start : f.mention.end] == f.mention.surface


@pytest.mark.parametrize(
    "text",
    [
        "市委" * 50_000,
        "市" * 100_000,
        "《" * 30_000 + "市法院",
        "1234567890" * 10_000,
        "局部" * 50_000,
    ],
    ids=["shiwei", "shi", "brackets", "digits", "jubu"],
)
def test_long_degenerate_texts(text):
    hits = find_agencies(text, [])
    assert all(h.start < h.end <= len(text) for h in hits)


def test_no_reporter_and_empty_text():
    assert find_agencies("", []) == []
    report = Report(id="t", version="v", source="t.txt", text="国务院印发通知,市委部署。")
    doc = Runner(["segment"]).prepare(report)
    COMPONENTS["segment"].fn(doc)
    assert [(f.mention.surface, f.label) for f in agencies(doc)] == [
        ("国务院", "国务院"), ("市委", "市委")]  # fmt: skip
